"""Forms of the grant pages. They check shapes only; the call's rules are checked by
the services when submitting (``calls``: the forms of a call's own page)."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from finance.validators import validate_paid_on
from workflows.versioning import VersionFormMixin

from ..models import (
    OFFER_FIELDS,
    ApplicantKind,
    Application,
    Call,
    ChecklistItem,
    CostCategory,
    CostType,
    Criterion,
    Report,
)
from ..models.reports import REPORT_STATUTORY_FIELDS
from ..services import DRAFT_FIELDS
from .calls import (
    DATETIME,
    CallForm,
    ChecklistFormSet,
    ChecklistItemForm,
    CostCategoryForm,
    CostCategoryFormSet,
    CriterionForm,
    CriterionFormSet,
    PoolShareForm,
    pool_share_formset,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who applies?"), widget=forms.RadioSelect)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        choices = dict(Application._meta.get_field("kind").choices)
        self.fields["kind"].choices = [(k, choices[k]) for k in call.allowed_kinds()]


class AccountNumberField(forms.CharField):
    """A Polish account number (NRB) as people type it: spaces and dashes are
    accepted and dropped, so "61 1090 1014 0000 0712 1981 2874" is stored as its 26
    digits (the model's validator checks the digits). No ``maxlength``: a browser would
    cut a number typed with spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(ch for ch in value if ch not in " -\u00a0\t")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="numeric", autocomplete="off", spellcheck="false")
        return attrs


# Fields that only an organisation (NGO) fills in: a group or a resident never sees them.
NGO_FIELDS = ("krs", "nip", "regon", "register_name", "register_number", "representatives")

# The sections of the application form, in order: (slug, title, fields of the main form).
# Lists (members, schedule, indicators, budget) are sections of their own.
APPLICATION_SECTIONS = (
    (
        "applicant",
        _("Applicant"),
        (
            "applicant_name",
            "address",
            "phone",
            *NGO_FIELDS,
            "contact_person",
            "contact_email",
            "account_number",
        ),
    ),
    (
        "initiative",
        _("The initiative"),
        (
            "title",
            "place",
            "municipality",
            "start_date",
            "end_date",
            "summary",
            "goals",
            "beneficiaries",
            "expected_results",
            "results_measurement",
        ),
    ),
    ("members", _("Group members"), ()),
    ("activities", _("Schedule of activities"), ()),
    ("indicators", _("Expected results and indicators"), ()),
    ("capacity", _("Capacity and resources"), ("capacity",)),
    ("budget", _("Budget"), ()),
    # The statutory offer's other sources of money and its personal contribution.
    (
        "volunteers",
        _("Other sources and volunteer work"),
        (
            "fees_from_beneficiaries",
            "other_public_funds",
            "other_public_funds_source",
            "volunteer_hours",
            "volunteer_rate",
        ),
    ),
    (
        "declarations",
        _("Other information and declarations"),
        ("other_information", "declarations_confirmed"),
    ),
)
# Sections nothing in the call's rules requires: the outline counts them only once
# something is typed in them.
OPTIONAL_SECTIONS = frozenset({"capacity", "volunteers", "declarations"})


class ApplicationForm(VersionFormMixin, forms.ModelForm):
    """The main fields of an application: only those that apply to its kind of applicant
    (no KRS, NIP or REGON for an informal group or a resident)."""

    account_number = AccountNumberField(label=_("bank account (NRB)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != ApplicantKind.NGO:
            for name in NGO_FIELDS:
                del self.fields[name]
        # Only a metropolis-wide call asks where the initiative takes place, among the
        # metropolis's members (required to submit: ``grants.rules``).
        if self.instance.call.metropolis_wide:
            self.fields["municipality"].queryset = self.instance.call.member_municipalities()
        else:
            del self.fields["municipality"]
        # The statutory offer's other sources are optional: an empty amount is none.
        for name in OFFER_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
        self.fields["account_number"].label = capfirst(
            Application._meta.get_field("account_number").verbose_name
        )
        self.fields["account_number"].help_text = _(
            "26 digits; you may type them with spaces, as on a bank statement."
        )

    def saved_fields(self) -> dict:
        """The fields typed well enough to save (each valid field, whatever the others)."""
        fields = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name != "version" and name in self.cleaned_data
        }
        for name in ("fees_from_beneficiaries", "other_public_funds"):
            if name in fields and fields[name] is None:
                fields[name] = Decimal("0.00")
        return fields

    def sections(self) -> list[dict]:
        return [
            {"slug": slug, "title": title, "fields": [self[f] for f in names if f in self.fields]}
            for slug, title, names in APPLICATION_SECTIONS
        ]

    class Meta:
        model = Application
        fields = [name for name in DRAFT_FIELDS if name != "kind"]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "results_measurement": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.Textarea(attrs={"rows": 4}),
            "other_information": forms.Textarea(attrs={"rows": 3}),
        }


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("full name"), max_length=200)
    email = forms.EmailField(label=_("e-mail"))
    is_leader = forms.BooleanField(label=_("leader"), required=False)
    declares_adult_resident = forms.BooleanField(
        label=_("declares being an adult resident"), required=False
    )
    consents_to_processing = forms.BooleanField(
        label=_("consents to data processing"), required=False
    )
    is_minor = forms.BooleanField(label=_("minor (under 18)"), required=False)
    guardian_name = forms.CharField(
        label=_("parent's or guardian's name"), max_length=200, required=False
    )
    guardian_email = forms.EmailField(label=_("parent's or guardian's e-mail"), required=False)


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("activity"), max_length=255)
    start_date = forms.DateField(label=_("from"), widget=DATE)
    end_date = forms.DateField(label=_("to"), widget=DATE)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=255)
    target = forms.DecimalField(label=_("target value"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("unit"), max_length=50)


class BudgetLineForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=CostCategory.objects.none())
    description = forms.CharField(label=_("description"), max_length=255)
    unit = forms.CharField(label=_("unit"), max_length=30)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=10, decimal_places=2)
    unit_cost = forms.DecimalField(label=_("unit cost"), max_digits=12, decimal_places=2)
    from_grant = forms.DecimalField(
        label=_("from the grant"), max_digits=12, decimal_places=2, initial=Decimal("0")
    )
    own_money = forms.DecimalField(
        label=_("own money"), max_digits=12, decimal_places=2, required=False
    )
    own_in_kind = forms.DecimalField(
        label=_("own in-kind contribution"), max_digits=12, decimal_places=2, required=False
    )
    cost_type = forms.ChoiceField(
        label=_("type of cost"), choices=CostType.choices, initial=CostType.ACTION, required=False
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.cost_categories.all()


def member_formset(*, rows: int):
    """The members' formset class showing ``rows`` empty rows beyond those given."""
    return forms.formset_factory(MemberForm, extra=rows, can_delete=True, max_num=200)


MemberFormSet = member_formset(rows=2)
ActivityFormSet = forms.formset_factory(ActivityForm, extra=1, can_delete=True)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, can_delete=True)


class FormalCheckForm(forms.Form):
    """One yes/no per checklist item of the call."""

    def __init__(self, *args, items: list[ChecklistItem], answers: dict[int, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.BooleanField(
                label=item.text, required=False, initial=answers.get(item.pk, False)
            )

    def answers(self) -> dict[int, bool]:
        return {int(name[5:]): value for name, value in self.cleaned_data.items()}


class AssignEvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluators"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = evaluators


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria: list[Criterion], scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            existing = scores.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s: points (0-%(max)d)")
                % {"name": criterion.name, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=2,
                initial=existing.points if existing else None,
                help_text=criterion.description,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("%(name)s: justification") % {"name": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.justification if existing else "",
            )

    def scores(self) -> list[dict]:
        return [
            {
                "criterion": c.pk,
                "points": self.cleaned_data[f"points_{c.pk}"],
                "justification": self.cleaned_data[f"justification_{c.pk}"],
            }
            for c in self.criteria
        ]


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=12, decimal_places=2)
    due_date = forms.DateField(label=_("payment date"), widget=DATE)


TrancheFormSet = forms.formset_factory(TrancheForm, extra=2)


class ChangeRequestForm(forms.Form):
    """A shift of grant money between budget lines: the new grant amount of each line."""

    description = forms.CharField(
        label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=_("%(line)s: from the grant (now %(amount)s)")
                % {"line": line.description, "amount": line.from_grant},
                max_digits=12,
                decimal_places=2,
                min_value=0,
                initial=line.from_grant,
            )

    def shifts(self) -> dict:
        """The lines whose grant amount changes, by id."""
        return {
            line.pk: self.cleaned_data[f"line_{line.pk}"]
            for line in self.lines
            if self.cleaned_data[f"line_{line.pk}"] != line.from_grant
        }


class AgreementForm(forms.Form):
    spending_deadline = forms.DateField(label=_("deadline for using the grant"), widget=DATE)


class ReportForm(forms.Form):
    narrative = forms.CharField(
        label=_("what was achieved"), widget=forms.Textarea(attrs={"rows": 5})
    )
    volunteer_hours = forms.DecimalField(
        label=_("volunteer hours worked"), max_digits=8, decimal_places=2, initial=0
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        # The statutory report form's figures that the expenses do not tell.
        statutory = forms.fields_for_model(
            Report,
            fields=REPORT_STATUTORY_FIELDS,
            widgets={
                "other_information": forms.Textarea(attrs={"rows": 3}),
                "attachments_list": forms.Textarea(attrs={"rows": 3}),
            },
        )
        for name, field in statutory.items():
            field.required = False
            self.fields[name] = field
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"achieved_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s: value achieved (target %(target)s %(unit)s)")
                % {"name": indicator.name, "target": indicator.target, "unit": indicator.unit},
                max_digits=10,
                decimal_places=2,
                required=False,
                initial=indicator.achieved,
            )

    def statutory(self) -> dict:
        """The statutory figures as typed, an empty amount as zero."""
        return {
            name: Decimal("0.00") if value is None else value
            for name, value in self.cleaned_data.items()
            if name in REPORT_STATUTORY_FIELDS
        }

    def achieved(self) -> dict:
        return {
            i.pk: self.cleaned_data[f"achieved_{i.pk}"]
            for i in self.indicators
            if self.cleaned_data.get(f"achieved_{i.pk}") is not None
        }


class ExpenseForm(forms.Form):
    document_number = forms.CharField(label=_("document number"), max_length=100)
    document_date = forms.DateField(label=_("document date"), widget=DATE)
    issuer = forms.CharField(label=_("issuer"), max_length=255)
    purpose = forms.CharField(label=_("what for"), max_length=255)
    budget_line = forms.ModelChoiceField(label=_("budget line"), queryset=None)
    amount = forms.DecimalField(label=_("amount"), max_digits=12, decimal_places=2)
    from_grant = forms.DecimalField(
        label=_("of which from the grant"), max_digits=12, decimal_places=2
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines


ExpenseFormSet = forms.formset_factory(ExpenseForm, extra=2, can_delete=True)


class IneligibleForm(forms.Form):
    reason = forms.CharField(label=_("Why is it ineligible?"), max_length=500)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("returned on"), widget=DATE, validators=[validate_paid_on]
    )


class PublicCommentForm(forms.Form):
    author_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class InterestRateForm(forms.Form):
    valid_from = forms.DateField(
        label=_("in force from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    annual_rate = forms.DecimalField(
        label=_("annual rate in percent"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )


__all__ = [
    "APPLICATION_SECTIONS",
    "DATE",
    "DATETIME",
    "NGO_FIELDS",
    "AccountNumberField",
    "ActivityForm",
    "ActivityFormSet",
    "AgreementForm",
    "ApplicationForm",
    "ApplicationStartForm",
    "AssignEvaluatorsForm",
    "BudgetLineForm",
    "BudgetLineFormSet",
    "CallForm",
    "ChangeRequestForm",
    "ChecklistFormSet",
    "ChecklistItemForm",
    "CostCategoryForm",
    "CostCategoryFormSet",
    "CriterionForm",
    "CriterionFormSet",
    "ExpenseForm",
    "ExpenseFormSet",
    "FormalCheckForm",
    "IndicatorForm",
    "IndicatorFormSet",
    "IneligibleForm",
    "InterestRateForm",
    "MemberForm",
    "MemberFormSet",
    "PoolShareForm",
    "PublicCommentForm",
    "ReportForm",
    "ReturnForm",
    "ScoreForm",
    "TrancheForm",
    "TrancheFormSet",
    "member_formset",
    "pool_share_formset",
]
