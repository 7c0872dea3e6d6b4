"""Forms of the contracting pages: shapes only; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.models import BudgetClassification

from .models import AnalysisOption, ContractingModel, EfficiencyAnalysis, Task, YearReview

TASK_FIELDS = [
    "title",
    "beneficiaries",
    "unit",
    "units_per_year",
    "beneficiaries_per_year",
    "years",
    "area",
    "model",
    "contractor_name",
]


class TaskForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=None)

    def __init__(self, *args, organisations, models, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.single_organisation = organisations[0] if len(organisations) == 1 else None
        if self.single_organisation is not None:
            del self.fields["organisation"]  # nothing to choose
        self.fields["model"].queryset = ContractingModel.objects.filter(
            pk__in=[m.pk for m in models]
        )
        self.fields["model"].widget = forms.RadioSelect(choices=self.fields["model"].choices)
        self.fields["model"].empty_label = None
        self.fields["area"].queryset = self.fields["area"].queryset.filter(active=True)

    def clean_years(self):
        years = self.cleaned_data["years"]
        if years < 1:
            raise forms.ValidationError(_("A task lasts at least one year."))
        return years

    class Meta:
        model = Task
        fields = ["organisation", *TASK_FIELDS]


class AnalysisForm(forms.ModelForm):
    class Meta:
        model = EfficiencyAnalysis
        fields = ["weight_cost", "weight_social", "weight_risk", "volunteer_rate"]

    def clean(self):
        data = super().clean()
        for name in ("weight_cost", "weight_social", "weight_risk", "volunteer_rate"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Give a value of zero or more."))
        return data


class OptionForm(forms.ModelForm):
    class Meta:
        model = AnalysisOption
        fields = [
            "kind",
            "yearly_cost",
            "years",
            "units_per_year",
            "beneficiaries_per_year",
            "volunteer_hours",
            "own_contribution",
            "local_partners",
            "participation",
            "risk_level",
            "risks",
        ]
        widgets = {"risks": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        positive = ("yearly_cost", "units_per_year", "beneficiaries_per_year", "years")
        for name in positive:
            if data.get(name) is not None and data[name] <= 0:
                self.add_error(name, _("Give a value above zero."))
        for name in ("volunteer_hours", "own_contribution"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Give a value of zero or more."))
        if data.get("participation") is not None and not 0 <= data["participation"] <= 100:
            self.add_error("participation", _("Give a share from 0 to 100."))
        if data.get("risk_level") is not None and not 1 <= data["risk_level"] <= 5:
            self.add_error("risk_level", _("Give a level from 1 to 5."))
        return data


OptionFormSet = forms.formset_factory(OptionForm, extra=3, min_num=1, validate_min=True)


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Agreement number"), max_length=60)
    contractor_name = forms.CharField(label=_("Organisation carrying out the task"), max_length=255)
    start_year = forms.IntegerField(label=_("First budget year"), min_value=2000, max_value=2100)
    years = forms.IntegerField(label=_("Number of budget years"), min_value=1, max_value=20)
    yearly_amount = forms.DecimalField(
        label=_("Amount for each year (zł)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    tranches_per_year = forms.IntegerField(
        label=_("Tranches in each year"), min_value=1, max_value=4, initial=1
    )
    classification = forms.ModelChoiceField(
        label=_("Budget classification of the first year"),
        queryset=BudgetClassification.objects.none(),
        required=False,
        help_text=_("The same line of each later year is found by its code."),
    )

    def __init__(self, *args, classifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearReportForm(forms.Form):
    report_on = forms.DateField(label=_("Partial report submitted on"), widget=DATE)
    spent = forms.DecimalField(label=_("Spent (zł)"), max_digits=14, decimal_places=2, min_value=0)
    units_delivered = forms.DecimalField(
        label=_("Units of service delivered"), max_digits=10, decimal_places=2
    )
    beneficiaries_reached = forms.IntegerField(label=_("Beneficiaries reached"), min_value=0)


class YearReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=YearReview.Decision.choices)
    next_year_amount = forms.DecimalField(
        label=_("Next year's new amount (an annex; only with changes)"),
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class YearReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)


class TranchePaidForm(forms.Form):
    tranche = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class AnalysisLinkForm(forms.ModelForm):
    """What follows the decided analysis: the organisation's own call, purchase or grant
    agreement (each optional; the page starts from the links saved)."""

    class Meta:
        model = EfficiencyAnalysis
        fields = ["call", "purchase", "grant_agreement"]
        labels = {
            "call": _("Call"),
            "purchase": _("Purchase"),
            "grant_agreement": _("Grant agreement"),
        }

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            field = self.fields[name]
            field.queryset = field.queryset.filter(organisation_id=organisation_id).order_by("-pk")
