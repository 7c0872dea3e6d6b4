"""Forms of a call's page: its rules, criteria, cost categories, checklist, and the
split of a metropolis-wide call's pool by municipality."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.permissions import users_with_role
from areas.models import NOT_IN_USE, Area
from workflows.versioning import VersionFormMixin

from ..models import (
    CALL_RULE_FIELDS,
    Call,
    ChecklistItem,
    CostCategory,
    Criterion,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(VersionFormMixin, forms.ModelForm):
    """A call's rules. A new call also names its organisation (among the official's)."""

    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=None)
    handlers = forms.ModelMultipleChoiceField(
        label=_("Officials handling the applications"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "They are told of the call's applications until an official takes a case. "
            "With nobody chosen, every official of the organisation is told."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.active(keeping=self.instance.area_id)
        grantor_ids = [self.instance.organisation_id] if self.instance.pk else organisations
        self.fields["handlers"].queryset = users_with_role(
            [getattr(o, "pk", o) for o in grantor_ids], Role.OFFICIAL
        )
        if self.instance.pk:
            self.fields["handlers"].initial = list(self.instance.handlers.all())
        # Only a metropolis runs metropolis-wide calls.
        grantors = [self.instance.organisation] if self.instance.pk else organisations
        if not any(o.is_metropolis for o in grantors):
            del self.fields["metropolis_wide"]
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0]

    class Meta:
        model = Call
        fields = CALL_RULE_FIELDS
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}
        error_messages = {"area": {"invalid_choice": NOT_IN_USE}}


class PoolShareForm(forms.Form):
    """One municipality's share of a metropolis-wide call's pool (an empty row is none)."""

    municipality = forms.ModelChoiceField(label=_("municipality"), queryset=None)
    amount = forms.DecimalField(
        label=_("share of the pool"), max_digits=12, decimal_places=2, min_value=0
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


def pool_share_formset(*, data, municipalities, shares=()):
    """The split of the pool: the saved shares and as many empty rows as there are
    member municipalities without one (at least one). A post is read as sent, never
    compared with the saved rows (a posted row equal to its saved one would otherwise
    count as empty and be dropped)."""
    initial = [{"municipality": s.municipality_id, "amount": s.amount} for s in shares]
    if data is not None:
        initial = None
    extra = max(len(municipalities) - len(initial or ()), 1)
    formset = forms.formset_factory(PoolShareForm, extra=extra, max_num=500)
    # Every row may be left empty, a saved one too: emptied, its share is dropped.
    return formset(
        data,
        prefix="pool_shares",
        initial=initial,
        form_kwargs={"municipalities": municipalities, "empty_permitted": True},
    )


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "max_points"]
        widgets = {"description": forms.TextInput}


class CostCategoryForm(forms.ModelForm):
    class Meta:
        model = CostCategory
        fields = ["name", "cap_share"]


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["text"]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3)
CostCategoryFormSet = forms.formset_factory(CostCategoryForm, extra=3)
ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=3)
