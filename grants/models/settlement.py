"""Returns (zwroty) of unused or misused grant money."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.formatting import format_amount

from .agreements import Agreement
from .calls import MONEY


class Return(models.Model):
    """Money to be returned to the grantor after settlement."""

    class Kind(models.TextChoices):
        UNUSED = "unused", _("unused (art. 251)")
        MISUSED = "misused", _("used against its purpose (art. 252)")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    deadline = models.DateField(_("return deadline"))
    interest_from = models.DateField(_("interest runs from"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    interest = models.DecimalField(_("interest"), **MONEY, null=True, blank=True)

    class Meta:
        ordering = ["agreement", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {format_amount(self.amount)}"
