from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_nrb
from workflows.models import StateField, WorkflowModel

from .workflow import PaymentOrderWorkflow, PaymentState


class BudgetClassification(models.Model):
    """One line of the budget classification in force for a budget year."""

    year = models.PositiveSmallIntegerField(_("budget year"))
    section = models.CharField(_("section (dział)"), max_length=3)
    chapter = models.CharField(_("chapter (rozdział)"), max_length=5)
    paragraph = models.CharField(_("paragraph (paragraf)"), max_length=4)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("budget classification line")
        verbose_name_plural = _("budget classification lines")
        ordering = ["-year", "section", "chapter", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "section", "chapter", "paragraph"],
                name="classification_unique_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}-{self.chapter}-{self.paragraph} ({self.year}) {self.name}"

    @property
    def code(self) -> str:
        return f"{self.section}-{self.chapter}-{self.paragraph}"


class PaymentOrder(PaymentOrderWorkflow, WorkflowModel):
    """Money owed to a beneficiary: a grant tranche or a purchase invoice."""

    class Kind(models.TextChoices):
        GRANT_TRANCHE = "grant_tranche", _("grant tranche")
        INVOICE = "invoice", _("invoice")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="payment_orders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    beneficiary_name = models.CharField(_("beneficiary"), max_length=255)
    beneficiary_address = models.CharField(_("beneficiary's address"), max_length=255)
    account_number = models.CharField(
        _("account number (NRB)"), max_length=26, validators=[validate_nrb]
    )
    title = models.CharField(_("transfer title"), max_length=140)
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    due_date = models.DateField(_("due date"))
    classification = models.ForeignKey(
        BudgetClassification,
        verbose_name=_("budget classification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=PaymentState.choices, default=PaymentState.ORDERED)

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.title}: {self.amount} PLN"
