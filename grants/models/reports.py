"""Final reports (sprawozdania) and their expenses."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.models import StateField, WorkflowModel

from ..workflow import (
    ReportState,
    ReportWorkflow,
)
from .agreements import Agreement, OfAgreement
from .applications import BudgetLine
from .calls import MONEY, ZERO

# The statutory report's fields the grantee types besides the narrative and expenses.
REPORT_STATUTORY_FIELDS = (
    "own_in_kind_used",
    "fees_collected",
    "other_public_funds_used",
    "other_information",
    "attachments_list",
)


class Report(ReportWorkflow, WorkflowModel):
    """The final report (sprawozdanie końcowe) of an agreement."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="report")
    narrative = models.TextField(_("what was achieved"), blank=True)
    volunteer_hours = models.DecimalField(
        _("volunteer hours worked"), max_digits=8, decimal_places=2, default=ZERO
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    corrections = models.TextField(_("what to correct"), blank=True)
    # The statutory report form (regulation of 24 October 2018): the parts the expenses
    # do not tell.
    own_in_kind_used = models.DecimalField(
        _("in-kind contribution used (value)"), **MONEY, default=ZERO
    )
    fees_collected = models.DecimalField(
        _("of the own money: fees collected from the beneficiaries"), **MONEY, default=ZERO
    )
    other_public_funds_used = models.DecimalField(
        _("of the own money: other public funds"), **MONEY, default=ZERO
    )
    other_information = models.TextField(_("other information"), blank=True)
    attachments_list = models.TextField(
        _("attachments"), blank=True, help_text=_("One attachment a line.")
    )
    state = StateField(choices=ReportState.choices, default=ReportState.DRAFT)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.agreement}"

    @property
    def workflow_organisation_id(self) -> int:
        return self.agreement.organisation_id

    def get_absolute_url(self) -> str:
        return reverse("grants:report", args=[self.agreement_id])

    @classmethod
    def documents_visible_to(cls, user):
        """Whose report PDFs ``user`` may download (see ``documents.selectors``)."""
        from ..selectors import reports_visible_to

        return reports_visible_to(user)

    @classmethod
    def attachments_visible_to(cls, user):
        """The report's photos and scans: for whom its agreement is visible."""
        from ..selectors import reports_visible_to

        return reports_visible_to(user)

    def attachments_editable_by(self, user) -> bool:
        """The grantee, while the report is a draft or corrections are asked for."""
        return self.agreement.application.applicant_id == user.pk and self.state in (
            ReportState.DRAFT,
            ReportState.CORRECTIONS_REQUESTED,
        )

    @property
    def awaits_corrections(self) -> bool:
        """The grantee is asked to correct it."""
        return self.state == ReportState.CORRECTIONS_REQUESTED

    @property
    def is_under_review(self) -> bool:
        """An official judges its expenses."""
        return self.state == ReportState.UNDER_REVIEW


class Expense(models.Model):
    """One expense document listed in the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expenses")
    document_number = models.CharField(_("document number"), max_length=100)
    document_date = models.DateField(_("document date"))
    issuer = models.CharField(_("issuer"), max_length=255)
    purpose = models.CharField(_("what for"), max_length=255)
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT)
    amount = models.DecimalField(_("amount"), **MONEY)
    from_grant = models.DecimalField(_("of which from the grant"), **MONEY)
    eligible = models.BooleanField(_("eligible"), default=True)
    ineligible_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["report", "document_date", "pk"]

    def __str__(self) -> str:
        return self.document_number


class PartialReport(OfAgreement, models.Model):
    """A partial report (sprawozdanie częściowe) on the statutory form, for an agreement
    paid in tranches or running over more than one budget year: what was done in its
    period and what was spent, by budget line and by source. Submitted once, then kept
    as it is (its PDF is the record)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="partial_reports"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    narrative = models.TextField(_("what was achieved"))
    spending = models.JSONField(
        _("spending by budget line"),
        default=dict,
        help_text=_("Budget line id -> from_grant, own_money, own_in_kind."),
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours worked"), max_digits=8, decimal_places=2, default=ZERO
    )
    attachments_list = models.TextField(_("attachments"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("partial report")
        verbose_name_plural = _("partial reports")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="partial_report_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} / {self.number}"
