"""The settlement register's filters as a form: the page, the exports and the API read
the same fields and the same error messages."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from workflows.processes import settlement_sources

from ..settlements import SettlementFilters, status_choices

CLASSIFICATION_RE = re.compile(r"^\d{3}(-\d{5}(-\d{4})?)?$")

FILTER_LABELS = {
    "date_from": _("Agreement or order date from"),
    "date_to": _("Agreement or order date to"),
    "organisation": _("Organisation"),
    "call": _("Call"),
    "group": _("Purchase group"),
    "classification": _("Budget classification"),
    "status": _("Status"),
}


class DateInput(forms.DateInput):
    input_type = "date"


class SettlementFilterForm(forms.Form):
    date_from = forms.DateField(label=FILTER_LABELS["date_from"], required=False, widget=DateInput)
    date_to = forms.DateField(label=FILTER_LABELS["date_to"], required=False, widget=DateInput)
    organisation = forms.ModelChoiceField(
        label=FILTER_LABELS["organisation"], queryset=Organisation.objects.none(), required=False
    )
    call = forms.ModelChoiceField(
        label=FILTER_LABELS["call"], queryset=Organisation.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=FILTER_LABELS["group"], queryset=Organisation.objects.none(), required=False
    )
    classification = forms.CharField(
        label=FILTER_LABELS["classification"],
        required=False,
        max_length=14,
        help_text=_("Section, chapter or paragraph, e.g. 921, 921-92105 or 921-92105-2360."),
    )
    status = forms.ChoiceField(label=FILTER_LABELS["status"], required=False)

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        organisation_ids = list(organisation_ids)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=organisation_ids
        ).order_by("name")
        for source in settlement_sources().values():  # a call, a purchase group
            self.fields[source.unit].queryset = source.units(organisation_ids=organisation_ids)
        self.fields["status"].choices = [("", _("any")), *status_choices()]

    def clean_classification(self) -> str:
        code = self.cleaned_data["classification"].strip()
        if code and not CLASSIFICATION_RE.match(code):
            raise forms.ValidationError(
                _("Give a section (921), a chapter (921-92105) or a full code (921-92105-2360).")
            )
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        if data.get("call") and data.get("group"):
            self.add_error(
                "group", _("A call holds grants and a group purchases: choose one of them.")
            )
        return data

    def filters(self) -> SettlementFilters:
        """The valid form's filters (call ``is_valid`` first)."""
        data = self.cleaned_data
        return SettlementFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            organisation=data["organisation"].pk if data.get("organisation") else None,
            call=data["call"].pk if data.get("call") else None,
            group=data["group"].pk if data.get("group") else None,
            classification=data.get("classification") or "",
            status=data.get("status") or "",
        )
