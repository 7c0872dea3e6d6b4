"""The multi-year agreement and its schedule per budget year."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from finance.models import BudgetClassification
from workflows.models import StateField, WorkflowModel

from ..workflow import AgreementState, MultiYearAgreementWorkflow
from .tasks import MONEY, QUANTITY, EfficiencyAnalysis, Task


class MultiYearAgreement(MultiYearAgreementWorkflow, WorkflowModel):
    """An agreement on a public task for several budget years (umowa wieloletnia).

    ``grant_agreement`` and ``call``: the grants process's agreement or call it follows
    from, when there is one (the schedule per year lives here, not in grants)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="agreements")
    analysis = models.ForeignKey(
        EfficiencyAnalysis, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=60, unique=True)
    contractor_name = models.CharField(_("organisation carrying out the task"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("first budget year"))
    years = models.PositiveSmallIntegerField(_("budget years"))
    call = models.ForeignKey(
        "grants.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grant_agreement = models.ForeignKey(
        "grants.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    final_report_on = models.DateField(_("final report submitted on"), null=True, blank=True)
    final_report_note = models.TextField(_("final report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=AgreementState.choices, default=AgreementState.DRAFT)

    class Meta:
        verbose_name = _("multi-year agreement")
        verbose_name_plural = _("multi-year agreements")
        ordering = ["-start_year", "number"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("contracting:agreement", args=[self.pk])

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.start_year, 1, 1)

    @property
    def last_year(self) -> int:
        return self.start_year + self.years - 1


class AgreementYear(models.Model):
    """One budget year of a multi-year agreement: its amount (committed against that
    year's plan line), spending deadline, partial report, settlement and return."""

    agreement = models.ForeignKey(
        MultiYearAgreement, on_delete=models.CASCADE, related_name="schedule"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = models.DecimalField(_("amount"), **MONEY)
    classification = models.ForeignKey(
        BudgetClassification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("budget classification"),
    )
    spending_deadline = models.DateField(_("deadline for using the money"))
    report_on = models.DateField(_("partial report submitted on"), null=True, blank=True)
    spent = models.DecimalField(_("spent"), **MONEY, null=True, blank=True)
    units_delivered = models.DecimalField(_("units delivered"), **QUANTITY, null=True, blank=True)
    beneficiaries_reached = models.PositiveIntegerField(_("beneficiaries"), null=True, blank=True)
    indicators = models.JSONField(_("indicators achieved"), default=dict, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    paid = models.DecimalField(_("paid"), **MONEY, null=True, blank=True)
    unused = models.DecimalField(_("unused, to return"), **MONEY, null=True, blank=True)
    return_deadline = models.DateField(_("return deadline"), null=True, blank=True)
    interest_from = models.DateField(_("interest runs from"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    interest = models.DecimalField(_("interest"), **MONEY, null=True, blank=True)

    class Meta:
        ordering = ["agreement", "year"]
        verbose_name = _("year of a multi-year agreement")
        verbose_name_plural = _("years of multi-year agreements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="agreement_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} / {self.year}"

    @property
    def cost_per_unit(self):
        if self.spent is None or not self.units_delivered:
            return None
        return (self.spent / self.units_delivered).quantize(Decimal("0.01"))


class YearTranche(models.Model):
    agreement_year = models.ForeignKey(
        AgreementYear, on_delete=models.CASCADE, related_name="tranches"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("payment date"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement_year", "due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} / {self.due_date}"


class YearReview(models.Model):
    """The review after a year: indicators, satisfaction, cost per unit and the decision."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("continue")
        CHANGE = "change", _("continue with changes (an annex)")
        TERMINATE = "terminate", _("terminate")

    agreement_year = models.OneToOneField(
        AgreementYear, on_delete=models.CASCADE, related_name="review"
    )
    indicators = models.JSONField(default=dict, blank=True)
    satisfaction = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    cost_per_unit = models.DecimalField(**MONEY, null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement_year"]

    def __str__(self) -> str:
        return f"{self.agreement_year}: {self.get_decision_display()}"


class Annex(models.Model):
    """A change of a year's amount after a review (aneks)."""

    agreement = models.ForeignKey(
        MultiYearAgreement, on_delete=models.CASCADE, related_name="annexes"
    )
    number = models.PositiveSmallIntegerField(_("annex number"))
    agreement_year = models.ForeignKey(AgreementYear, on_delete=models.PROTECT, related_name="+")
    amount_before = models.DecimalField(**MONEY)
    amount_after = models.DecimalField(**MONEY)
    reason = models.TextField(_("reason"))
    review = models.ForeignKey(
        YearReview, null=True, blank=True, on_delete=models.PROTECT, related_name="annexes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="annex_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} / {self.number}"


class SurveyResponse(models.Model):
    """One beneficiary's answer to the short satisfaction survey of a year (anonymous)."""

    agreement_year = models.ForeignKey(
        AgreementYear, on_delete=models.CASCADE, related_name="survey_responses"
    )
    score = models.PositiveSmallIntegerField(
        _("How satisfied are you with the service? (1 to 5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement_year", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement_year}: {self.score}"
