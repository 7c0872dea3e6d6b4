from django import forms
from django.utils.translation import gettext_lazy as _

from .content import max_bytes

ACCEPT = ".pdf,.jpg,.jpeg,.png,.odt,.docx,application/pdf,image/jpeg,image/png"


def file_help_text() -> str:
    """What every file field of the product accepts, with the limit of the settings
    (read when the form is made, so a changed setting shows)."""
    return _("PDF, JPEG, PNG, ODT or DOCX, at most %(mb)s MB.") % {
        "mb": f"{max_bytes() / 1_000_000:g}".replace(".", ",")
    }


class AttachmentForm(forms.Form):
    """One file; its content is judged by the service, not here."""

    attachment = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attachment"]
        field.widget.attrs["accept"] = ACCEPT
        field.help_text = file_help_text()
