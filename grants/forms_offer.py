"""The statutory offer form's own fields (regulation of 24 October 2018) on the
applicant's page: a form of their own, shown by the include
``grants/includes/offer_statutory_fields.html`` beside the application form; what it
cleans goes to ``services.application_save_draft`` with the other fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OFFER_FIELDS, Application


class OfferStatutoryForm(forms.ModelForm):
    """Shapes only (an e-mail is an e-mail, an amount is an amount); the register and
    the parts of the own money are checked on submit (``grants.rules.statutory``)."""

    prefix = "offer"

    class Meta:
        model = Application
        fields = list(OFFER_FIELDS)
        widgets = {
            "capacity": forms.Textarea(attrs={"rows": 4}),
            "results_measurement": forms.Textarea(attrs={"rows": 3}),
            "other_information": forms.Textarea(attrs={"rows": 3}),
        }


class SignedCopyForm(forms.Form):
    """The signed agreement or annex: a file (scan or electronically signed PDF) or,
    without one, the date it was signed on paper."""

    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    annex = forms.ModelChoiceField(
        label=_("Annex"),
        queryset=None,
        required=False,
        empty_label=_("the agreement itself"),
    )
    file = forms.FileField(
        label=_("Signed file"),
        required=False,
        help_text=_(
            "A scan (PDF, JPEG, PNG) or a PDF signed electronically; it is kept as it is. "
            "Leave it empty when the agreement was signed on paper."
        ),
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annex"].queryset = agreement.annexes.order_by("number")
