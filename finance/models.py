from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from accounts.validators import validate_nrb
from documents.formatting import format_amount
from workflows.models import StateField, WorkflowModel
from workflows.versioning import version_field

from .workflow import (
    BatchState,
    PaymentBatchWorkflow,
    PaymentOrderWorkflow,
    PaymentState,
)


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
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            # The API list and the payment queue, in their order, after years of orders.
            models.Index(fields=["organisation", "due_date", "id"], name="order_org_due_idx"),
            models.Index(
                fields=["organisation", "state", "due_date", "id"], name="order_org_state_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {format_amount(self.amount)}"


class BankAccount(models.Model):
    """An account of the organisation that transfers leave from (a batch's debit account)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_accounts"
    )
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("account number (NRB)"), max_length=26, validators=[validate_nrb])
    active = models.BooleanField(pgettext_lazy("bank account", "active"), default=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="bank_account_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class PaymentBatch(PaymentBatchWorkflow, WorkflowModel):
    """Payment orders sent to the bank together: prepared by one finance user, approved
    by another, exported as one Elixir-O file, then settled against the bank's results."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="payment_batches"
    )
    number = models.CharField(_("number"), max_length=40)
    account = models.ForeignKey(
        BankAccount, verbose_name=_("debit account"), on_delete=models.PROTECT, related_name="+"
    )
    execution_date = models.DateField(_("execution date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)
    # The bank file exactly as first exported: downloading it again gives the same bytes.
    file_name = models.CharField(max_length=100, blank=True)
    file_content = models.BinaryField(editable=False, null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    state = StateField(choices=BatchState.choices, default=BatchState.DRAFT)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-pk"]
        indexes = [  # the batch list and its API, newest first, a page at a time
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="batch_org_created_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="batch_number_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_draft(self) -> bool:
        return self.state == BatchState.DRAFT


class BatchItem(models.Model):
    """One payment order in one batch, with what the bank did with the transfer."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transfer outcome", "pending")
        PAID = "paid", pgettext_lazy("transfer outcome", "paid")
        REJECTED = "rejected", pgettext_lazy("transfer outcome", "rejected by the bank")
        REMOVED = "removed", pgettext_lazy("transfer outcome", "removed from the batch")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="items")
    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="batch_items")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("batch item")
        verbose_name_plural = _("batch items")
        ordering = ["batch", "pk"]
        constraints = [
            # An order is in at most one batch that may still pay it, and is paid once.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(outcome__in=["pending", "paid"]),
                name="order_in_one_live_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch}: {self.order}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING


class BudgetPlanLine(models.Model):
    """The amount an organisation plans to spend in a year on one classification line."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="budget_plan_lines"
    )
    classification = models.ForeignKey(
        BudgetClassification, verbose_name=_("budget classification"), on_delete=models.PROTECT
    )
    planned = models.DecimalField(
        _("planned"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = _("budget plan line")
        verbose_name_plural = _("budget plan lines")
        ordering = ["organisation", "classification"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "classification"], name="plan_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.classification.code} {self.planned}"


class BudgetOverride(models.Model):
    """Finance's permission, with a reason, for one approval or award to exceed its line."""

    plan_line = models.ForeignKey(
        BudgetPlanLine, on_delete=models.PROTECT, related_name="overrides"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    amount = models.DecimalField(_("amount allowed"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget override")
        verbose_name_plural = _("budget overrides")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.plan_line}: +{format_amount(self.amount)}"


class Export(models.Model):
    """One export somebody made: the log of who exported what, and for exports built in
    the background (XLSX) the job's progress and the file when ready."""

    class Kind(models.TextChoices):
        SETTLEMENTS = "settlements", _("settlement register")
        BATCH = "batch", _("payment batch")
        SUMMARY = "summary", _("yearly summary")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        ELIXIR = "elixir", "Elixir-O"

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export status", "queued")
        RUNNING = "running", pgettext_lazy("export status", "running")
        DONE = "done", pgettext_lazy("export status", "done")
        FAILED = "failed", pgettext_lazy("export status", "failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", max_length=255, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [  # the export log, newest first, a page at a time
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="export_org_created_idx"
            ),
            models.Index(fields=["user", "-created_at", "-id"], name="export_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} ({self.created_at:%Y-%m-%d %H:%M})"
