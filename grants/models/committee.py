"""The committee's record of a call (protokół komisji): the chair's sign-off of the
protocol as rendered, kept as a row of its own so who signed which version, and when,
stays known."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .calls import Call


class ProtocolSignOff(models.Model):
    """The committee chair (przewodniczący komisji) signs off the protocol of a call:
    the document version signed, its SHA-256, who and when. Rows are only added."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="protocol_sign_offs")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(_("SHA-256 of the protocol signed"), max_length=64)
    signed_at = models.DateTimeField(_("signed off at"))

    class Meta:
        ordering = ["call", "signed_at", "pk"]
        verbose_name = _("protocol sign-off")
        verbose_name_plural = _("protocol sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["call", "document"], name="protocol_sign_off_once")
        ]

    def __str__(self) -> str:
        return f"{self.call} / {self.signed_at:%Y-%m-%d}"
