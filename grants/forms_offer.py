"""The statutory offer form's own fields (regulation of 24 October 2018) on the
applicant's page: a form of their own, shown by the include
``grants/includes/offer_statutory_fields.html`` beside the application form; what it
cleans goes to ``services.application_save_draft`` with the other fields."""

from django import forms

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
