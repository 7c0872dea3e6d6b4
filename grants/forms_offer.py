"""Forms of the agreement's documents: the signed copy of an agreement or annex. (The
statutory offer's own fields are sections of ``forms.ApplicationForm``.)"""

from django import forms
from django.utils.translation import gettext_lazy as _


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
