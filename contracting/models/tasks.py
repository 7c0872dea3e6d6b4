"""Tasks to contract, their pilots and efficiency analyses."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from workflows.models import StateField, WorkflowModel

from ..workflow import AnalysisState, AnalysisWorkflow, TaskState, TaskWorkflow
from .presets import ContractingModel

MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 10, "decimal_places": 2}


class Task(TaskWorkflow, WorkflowModel):
    """A social service to contract (zadanie publiczne) under a procedure preset."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracting_tasks"
    )
    title = models.CharField(_("service"), max_length=255)
    beneficiaries = models.CharField(_("for whom"), max_length=255)
    unit = models.CharField(_("unit of service"), max_length=60)
    units_per_year = models.DecimalField(_("units a year"), **QUANTITY)
    beneficiaries_per_year = models.PositiveIntegerField(_("beneficiaries a year"))
    years = models.PositiveSmallIntegerField(_("years"))
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, verbose_name=_("area of public tasks")
    )
    model = models.ForeignKey(
        ContractingModel, on_delete=models.PROTECT, verbose_name=_("contracting model")
    )
    contractor_name = models.CharField(_("organisation"), max_length=255, blank=True)
    pilot_override_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=TaskState.choices, default=TaskState.PLANNED)

    class Meta:
        verbose_name = _("task to contract")
        verbose_name_plural = _("tasks to contract")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracting:task", args=[self.pk])


class Pilot(models.Model):
    """A short agreement or micro-purchase before the multi-year one, and its evaluation."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("a short agreement")
        PURCHASE = "purchase", _("a micro-purchase")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="pilots")
    kind = models.CharField(_("form"), max_length=10, choices=Kind.choices)
    reference = models.CharField(_("agreement or purchase number"), max_length=100, blank=True)
    grant_agreement = models.ForeignKey(
        "grants.Agreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purchase = models.ForeignKey(
        "purchases.Purchase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    planned_units = models.DecimalField(_("units planned"), **QUANTITY)
    planned_cost_per_unit = models.DecimalField(_("planned cost per unit"), **MONEY)
    indicators = models.JSONField(_("indicators achieved"), default=dict, blank=True)
    satisfaction = models.DecimalField(
        _("beneficiary satisfaction"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    actual_units = models.DecimalField(_("units delivered"), **QUANTITY, null=True, blank=True)
    actual_cost = models.DecimalField(_("actual cost"), **MONEY, null=True, blank=True)
    cost_per_unit = models.DecimalField(_("cost per unit"), **MONEY, null=True, blank=True)
    positive = models.BooleanField(_("positive"), null=True)
    findings = models.JSONField(default=list, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "pk"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}".strip()


class EfficiencyAnalysis(AnalysisWorkflow, WorkflowModel):
    """The comparison of the ways to do a task, with the municipality's weights."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="analyses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    volunteer_rate = models.DecimalField(_("value of a volunteer hour (zł)"), **MONEY)
    weight_cost = models.DecimalField(_("weight of cost"), max_digits=5, decimal_places=2)
    weight_social = models.DecimalField(_("weight of social value"), max_digits=5, decimal_places=2)
    weight_risk = models.DecimalField(_("weight of risk"), max_digits=5, decimal_places=2)
    chosen = models.ForeignKey(
        "AnalysisOption", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(_("justification of the choice"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    call = models.ForeignKey(
        "grants.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purchase = models.ForeignKey(
        "purchases.Purchase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grant_agreement = models.ForeignKey(
        "grants.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=AnalysisState.choices, default=AnalysisState.DRAFT)

    class Meta:
        verbose_name = _("efficiency analysis")
        verbose_name_plural = _("efficiency analyses")
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return f"{self.task} ({self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("contracting:analysis", args=[self.pk])

    @classmethod
    def documents_visible_to(cls, user):
        from ..selectors import analyses_visible_to

        return analyses_visible_to(user)


class AnalysisOption(models.Model):
    """One way to do the task, with what the official entered and the figures computed
    from it (``contracting.scoring``) when it was saved."""

    class Kind(models.TextChoices):
        OWN_UNIT = "own_unit", _("the municipality's own unit")
        MICRO_PURCHASE = "micro_purchase", _("a micro-purchase or a purchase under the threshold")
        SMALL_GRANT = "small_grant", _("a small grant (art. 19a)")
        COMPETITION_ONE_YEAR = "competition_1y", _("an open competition, one year")
        COMPETITION_MULTI_YEAR = "competition_multi", _("an open competition, multi-year")
        REGRANTING = "regranting", _("regranting (art. 16a)")

    analysis = models.ForeignKey(
        EfficiencyAnalysis, on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("option"), max_length=20, choices=Kind.choices)
    yearly_cost = models.DecimalField(_("yearly cost (zł)"), **MONEY)
    years = models.PositiveSmallIntegerField(_("years"))
    units_per_year = models.DecimalField(_("units a year"), **QUANTITY)
    beneficiaries_per_year = models.PositiveIntegerField(_("beneficiaries a year"))
    volunteer_hours = models.DecimalField(_("volunteer hours a year"), **QUANTITY)
    own_contribution = models.DecimalField(_("own contribution a year (zł)"), **MONEY)
    local_partners = models.PositiveSmallIntegerField(_("local partners involved"))
    participation = models.DecimalField(
        _("beneficiaries taking part in shaping the service (%)"), max_digits=5, decimal_places=2
    )
    risk_level = models.PositiveSmallIntegerField(_("risk (1 low to 5 high)"))
    risks = models.TextField(_("risks"), blank=True)
    total_cost = models.DecimalField(**MONEY)
    cost_per_unit = models.DecimalField(**MONEY)
    cost_per_beneficiary = models.DecimalField(**MONEY)
    social_value = models.DecimalField(**MONEY)
    cost_score = models.DecimalField(max_digits=6, decimal_places=2)
    social_score = models.DecimalField(max_digits=6, decimal_places=2)
    risk_score = models.DecimalField(max_digits=6, decimal_places=2)
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["analysis", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "position"], name="analysis_option_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()}"


class AnalysisEvaluation(models.Model):
    """The later evaluation: what was reported against what the chosen option planned."""

    analysis = models.ForeignKey(
        EfficiencyAnalysis, on_delete=models.CASCADE, related_name="evaluations"
    )
    reported_yearly_cost = models.DecimalField(_("reported yearly cost (zł)"), **MONEY)
    reported_units = models.DecimalField(_("reported units a year"), **QUANTITY)
    reported_beneficiaries = models.PositiveIntegerField(_("reported beneficiaries a year"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["analysis", "pk"]

    def __str__(self) -> str:
        return f"{self.analysis_id}: {self.recorded_at:%Y-%m-%d}"
