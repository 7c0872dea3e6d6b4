"""Forms of the budget pages: which organisation and year, a plan line, an override."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from workflows.versioning import VersionFormMixin

from ..models import BudgetClassification
from ..services import budget
from ..services.classification import FIRST_YEAR, LAST_YEAR

MONEY = {"max_digits": 14, "decimal_places": 2}


class PlanFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("organisation"), queryset=None, empty_label=None
    )
    year = forms.IntegerField(
        label=gettext_lazy("budget year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = budget.finance_organisations(user)


class PlanLineForm(VersionFormMixin, forms.Form):
    classification = forms.ModelChoiceField(
        label=gettext_lazy("budget classification"), queryset=BudgetClassification.objects.none()
    )
    planned = forms.DecimalField(
        label=gettext_lazy("planned (zł)"), min_value=Decimal("0.00"), **MONEY
    )

    def __init__(self, *args, year=None, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        queryset = BudgetClassification.objects.order_by("section", "chapter", "paragraph")
        if year is not None:
            queryset = queryset.filter(year=year).exclude(pk__in=exclude)
        self.fields["classification"].queryset = queryset


class OverrideForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("number of the application or purchase"),
        max_length=60,
        help_text=gettext_lazy("As shown on the refused application or purchase."),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("amount allowed over the plan (zł)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    reason = forms.CharField(
        label=pgettext_lazy("budget override", "reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("At least 20 characters; kept in the log."),
    )
