"""The form of the organisation's bank accounts page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class BankAccountForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("How finance staff will recognise it, e.g. “Main account”."),
    )
    number = forms.CharField(
        label=_("Account number (NRB)"),
        # 26 digits, typed with or without the bank's spaces ("12 3456 7890 ...").
        max_length=40,
        help_text=_("26 digits; spaces are allowed."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
