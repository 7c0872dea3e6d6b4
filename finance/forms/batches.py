"""Forms of the payment queue and batch pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation

from ..models import BatchItem, PaymentOrder
from ..validators import validate_paid_on
from ..workflow import BatchState


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    due_by = forms.DateField(label=_("due by"), required=False, widget=DateInput())
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", pgettext_lazy("filter", "all")), *PaymentOrder.Kind.choices],
    )
    beneficiary_account = forms.CharField(
        label=_("beneficiary's account contains"), required=False, max_length=32
    )

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=organisation_ids
        ).order_by("name")


class BatchCreateForm(forms.Form):
    """Checked orders go to an existing draft, or to a new batch paid from an account
    on a date."""

    orders = forms.MultipleChoiceField(
        label=_("payment orders"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    batch = forms.TypedChoiceField(
        label=_("put them in"), coerce=int, required=False, empty_value=None, choices=()
    )
    account = forms.TypedChoiceField(
        label=_("debit account"), coerce=int, required=False, empty_value=None, choices=()
    )
    execution_date = forms.DateField(label=_("execution date"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=500)

    def __init__(self, *args, orders=(), drafts=(), accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].choices = [(str(o.pk), o.title) for o in orders]
        self.fields["batch"].choices = [("", _("a new batch"))] + [
            (b.pk, f"{b.number} ({b.organisation.short_name})") for b in drafts
        ]
        self.fields["account"].choices = [("", "–")] + [
            (a.pk, f"{a.name}, {a.number} ({a.organisation.short_name})") for a in accounts
        ]

    def clean(self):
        data = super().clean()
        if data.get("batch") is None:
            for name in ("account", "execution_date"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a new batch."))
        return data


class BatchUpdateForm(forms.Form):
    execution_date = forms.DateField(label=_("execution date"), widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=500)


class BatchFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[("", pgettext_lazy("filter", "all")), *BatchState.choices],
    )


class ResultForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("the bank's result"),
        widget=forms.RadioSelect,
        choices=[
            (BatchItem.Outcome.PAID, BatchItem.Outcome.PAID.label),
            (BatchItem.Outcome.REJECTED, BatchItem.Outcome.REJECTED.label),
        ],
    )
    paid_on = forms.DateField(
        label=_("paid on"), required=False, widget=DateInput(), validators=[validate_paid_on]
    )
    reason = forms.CharField(label=_("reason for rejection"), required=False, max_length=500)
