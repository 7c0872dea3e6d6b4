"""Micro-grant data. The processes (states, transitions, who may do what) are in
``grants/workflow.py``; every write is in ``grants/services.py``."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_krs, validate_nip, validate_nrb, validate_regon
from documents.formatting import format_amount
from finance.models import BudgetClassification, PaymentOrder
from workflows.models import StateField, WorkflowModel

from .workflow import (
    AgreementState,
    AgreementWorkflow,
    ApplicationState,
    ApplicationWorkflow,
    CallState,
    CallWorkflow,
    ReportState,
    ReportWorkflow,
    ReviewState,
    ReviewWorkflow,
)

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 4}

# The values of a call's rules that have a meaning: field -> (lowest, highest or None).
# Checked in ``Call.clean`` (so the call form and the API alike answer at the field).
CALL_YEARS = (2000, 2100)
CALL_RANGES = {
    "year": CALL_YEARS,
    "pool": (ZERO, None),
    "min_grant": (ZERO, None),
    "max_grant": (Decimal("0.01"), None),
    "yearly_cap": (ZERO, None),
    "min_own_share": (Decimal("0"), Decimal("1")),
    "min_own_money_share": (Decimal("0"), Decimal("1")),
    "budget_shift_tolerance": (Decimal("0"), Decimal("1")),
    "min_group_size": (1, None),
    "max_duration_days": (1, None),
    "evaluators_per_application": (1, None),
    "score_gap": (Decimal("0"), None),
    "min_average_score": (Decimal("0"), None),
    "report_deadline_days": (1, None),
    "correction_days": (1, None),
    "comment_period_days": (1, None),
}


def range_problem(value, lowest, highest) -> str | None:
    """The message for a value outside ``[lowest, highest]`` (``None``: no bound)."""
    if value is None:
        return None
    if highest is not None and not lowest <= value <= highest:
        return _("Enter a value from %(lowest)s to %(highest)s.") % {
            "lowest": lowest,
            "highest": highest,
        }
    if value < lowest:
        return _("Enter a value of at least %(lowest)s.") % {"lowest": lowest}
    return None


class ApplicantKind(models.TextChoices):
    INFORMAL_GROUP = "informal_group", _("informal group")
    NGO = "ngo", _("non-governmental organisation")
    RESIDENT = "resident", _("individual resident")


class Call(CallWorkflow, WorkflowModel):
    """A call for applications (nabór) with its rules as data."""

    class Procedure(models.TextChoices):
        NEIGHBOURHOOD_FUND = "neighbourhood_fund", _("neighbourhood fund (committee scoring)")
        SMALL_GRANT_19A = "small_grant_19a", _("small grant, art. 19a (no committee)")

    class TieBreak(models.TextChoices):
        EARLIER_SUBMISSION = "earlier_submission", _("earlier submission first")
        LOWER_AMOUNT = "lower_amount", _("lower requested amount first")
        HIGHER_OWN_SHARE = "higher_own_share", _("higher own contribution first")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    procedure = models.CharField(_("procedure"), max_length=30, choices=Procedure.choices)
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Part of application numbers, e.g. FS1.")
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("budget year"))
    pool = models.DecimalField(_("pool"), **MONEY)
    min_grant = models.DecimalField(_("minimum grant"), **MONEY, default=ZERO)
    max_grant = models.DecimalField(_("maximum grant"), **MONEY)
    min_own_share = models.DecimalField(
        _("minimum own contribution (share of the total cost)"),
        **SHARE,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    min_own_money_share = models.DecimalField(
        _("minimum money in the own contribution (share of it)"),
        **SHARE,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    allows_informal_group = models.BooleanField(_("informal groups may apply"), default=True)
    allows_ngo = models.BooleanField(_("NGOs may apply"), default=True)
    allows_resident = models.BooleanField(_("individual residents may apply"), default=False)
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"), default=3)
    max_duration_days = models.PositiveSmallIntegerField(_("maximum task duration in days"))
    yearly_cap = models.DecimalField(
        _("yearly cap per applicant organisation"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Across all of the grantor's calls in a calendar year (art. 19a: 20 000)."),
    )
    opens_at = models.DateTimeField(_("submissions open"))
    closes_at = models.DateTimeField(_("submissions close"))
    evaluators_per_application = models.PositiveSmallIntegerField(
        _("evaluators per application"), default=2
    )
    score_gap = models.DecimalField(
        _("score gap that calls in a third evaluator"), max_digits=6, decimal_places=2, default=20
    )
    min_average_score = models.DecimalField(
        _("minimum average score to be fundable"), max_digits=6, decimal_places=2, default=0
    )
    tie_break = models.CharField(
        _("tie-break"), max_length=30, choices=TieBreak.choices, default=TieBreak.EARLIER_SUBMISSION
    )
    classification = models.ForeignKey(
        BudgetClassification,
        verbose_name=_("budget classification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    report_deadline_days = models.PositiveSmallIntegerField(
        _("report deadline (days after the task ends)"), default=30
    )
    budget_shift_tolerance = models.DecimalField(
        _("budget shift allowed without an annex (share of a line)"),
        **SHARE,
        default=Decimal("0.10"),
    )
    correction_days = models.PositiveSmallIntegerField(_("days to correct"), default=7)
    correction_days_working = models.BooleanField(
        _("days to correct are working days"),
        default=True,
        help_text=_(
            "Working days skip weekends and public holidays; calendar days move a deadline "
            "that falls on a day off to the next working day."
        ),
    )
    comment_period_days = models.PositiveSmallIntegerField(
        _("public comment period in days (art. 19a)"), default=7
    )
    next_number = models.PositiveIntegerField(default=1, editable=False)
    state = StateField(choices=CallState.choices, default=CallState.DRAFT)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by each edit (ETag).")
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "code"], name="call_code_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_grant__gte=F("min_grant")), name="call_max_grant_at_least_min"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:call", args=[self.pk])

    @property
    def is_19a(self) -> bool:
        return self.procedure == self.Procedure.SMALL_GRANT_19A

    def clean(self) -> None:
        from finance.rules import classification_year_problem

        errors = {}
        for name, (lowest, highest) in CALL_RANGES.items():
            value = getattr(self, name)
            problem = range_problem(value, lowest, highest) if value != "" else None
            if problem:
                errors[name] = problem
        if (
            "min_grant" not in errors
            and "max_grant" not in errors
            and None not in (self.min_grant, self.max_grant)
            and self.max_grant < self.min_grant
        ):
            errors["max_grant"] = _("The maximum grant cannot be below the minimum.")
        if None not in (self.opens_at, self.closes_at) and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Submissions must close after they open.")
        if (
            self.organisation_id is not None
            and self.code
            and "year" not in errors
            and Call.objects.filter(organisation_id=self.organisation_id, year=self.year)
            .filter(code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["code"] = _("This code is already used by another call of the same year.")
        if "year" not in errors:
            problem = classification_year_problem(self.classification, self.year)
            if problem:
                errors["classification"] = problem
        if errors:
            raise ValidationError(errors)

    def allowed_kinds(self) -> list[str]:
        flags = [
            (ApplicantKind.INFORMAL_GROUP, self.allows_informal_group),
            (ApplicantKind.NGO, self.allows_ngo),
            (ApplicantKind.RESIDENT, self.allows_resident),
        ]
        return [kind for kind, allowed in flags if allowed]


# The rules of a call that officials set (the API and the call form both use them).
CALL_RULE_FIELDS = [
    "procedure",
    "code",
    "title",
    "description",
    "year",
    "pool",
    "min_grant",
    "max_grant",
    "min_own_share",
    "min_own_money_share",
    "allows_informal_group",
    "allows_ngo",
    "allows_resident",
    "min_group_size",
    "max_duration_days",
    "yearly_cap",
    "opens_at",
    "closes_at",
    "evaluators_per_application",
    "score_gap",
    "min_average_score",
    "tie_break",
    "classification",
    "report_deadline_days",
    "budget_shift_tolerance",
    "correction_days",
    "correction_days_working",
    "comment_period_days",
]


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = range_problem(self.max_points, 1, None)
        if problem:
            raise ValidationError({"max_points": problem})


class CostCategory(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="cost_categories")
    name = models.CharField(_("name"), max_length=200)
    cap_share = models.DecimalField(
        _("cap (share of the total cost)"), **SHARE, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = range_problem(self.cap_share, Decimal("0"), Decimal("1"))
        if problem:
            raise ValidationError({"cap_share": problem})


class ChecklistItem(models.Model):
    """One question of the call's formal checklist."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(_("question"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("formal checklist item")
        verbose_name_plural = _("formal checklist items")

    def __str__(self) -> str:
        return self.text


class Application(ApplicationWorkflow, WorkflowModel):
    """An application (wniosek / oferta) to a call, following the statutory offer."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_applications"
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    sequence = models.PositiveIntegerField(null=True, editable=False)
    kind = models.CharField(_("applicant kind"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(
        _("applicant's name"),
        max_length=255,
        blank=True,
        help_text=_("The group's name, the organisation's name, or the resident's name."),
    )
    address = models.CharField(_("address for correspondence"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    representatives = models.CharField(
        _("representatives"), max_length=500, blank=True, help_text=_("NGO: who signs.")
    )
    account_number = models.CharField(
        _("bank account (NRB)"), max_length=26, blank=True, validators=[validate_nrb]
    )
    title = models.CharField(_("title of the initiative"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    beneficiaries = models.TextField(_("beneficiaries"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    volunteer_hours = models.DecimalField(
        _("volunteer hours"), max_digits=8, decimal_places=2, default=ZERO
    )
    volunteer_rate = models.DecimalField(_("volunteer hourly rate"), **MONEY, default=ZERO)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    correction_request = models.TextField(_("what to correct"), blank=True)
    correction_deadline = models.DateTimeField(null=True, blank=True)
    decision_justification = models.TextField(_("justification"), blank=True)
    average_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    needs_third_evaluator = models.BooleanField(default=False)
    approved_amount = models.DecimalField(_("approved amount"), **MONEY, null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Sums kept in step with the lines by the services (for lists and rankings).
    total_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    requested_amount = models.DecimalField(**MONEY, default=ZERO, editable=False)
    own_money = models.DecimalField(**MONEY, default=ZERO, editable=False)
    own_in_kind = models.DecimalField(**MONEY, default=ZERO, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = StateField(choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by each edit (ETag).")
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "sequence"], name="application_sequence_unique_per_call"
            )
        ]

    def __str__(self) -> str:
        return self.number or self.title or f"#{self.pk}"

    @property
    def workflow_organisation_id(self) -> int:
        return self.call.organisation_id

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])

    @classmethod
    def documents_visible_to(cls, user):
        """Whose application PDFs ``user`` may download (see ``documents.selectors``)."""
        from .selectors import applications_visible_to

        return applications_visible_to(user)

    @property
    def volunteer_value(self) -> Decimal:
        return (self.volunteer_hours * self.volunteer_rate).quantize(Decimal("0.01"))

    @property
    def own_contribution(self) -> Decimal:
        return self.own_money + self.own_in_kind + self.volunteer_value


class GroupMember(models.Model):
    """A member of an informal group, with the declarations they made and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    is_leader = models.BooleanField(_("leader"), default=False)
    declares_adult_resident = models.BooleanField(_("declares being an adult resident"))
    consents_to_processing = models.BooleanField(_("consents to data processing"))
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["application", "-is_leader", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return self.full_name


class Activity(models.Model):
    """One entry of the schedule of activities."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    name = models.CharField(_("activity"), max_length=255)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))

    class Meta:
        ordering = ["application", "start_date", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An expected result with a measurable indicator (and, after the report, the
    value achieved)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=255)
    target = models.DecimalField(_("target value"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=50)
    achieved = models.DecimalField(
        _("value achieved"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT)
    description = models.CharField(_("description"), max_length=255)
    unit = models.CharField(_("unit"), max_length=30)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost"), **MONEY)
    from_grant = models.DecimalField(_("from the grant"), **MONEY, default=ZERO)
    own_money = models.DecimalField(_("own money"), **MONEY, default=ZERO)
    own_in_kind = models.DecimalField(_("own in-kind contribution"), **MONEY, default=ZERO)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))


def attachment_path(instance, filename: str) -> str:
    return f"grants/attachments/{instance.application_id}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FormalCheckAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="formal_answers"
    )
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT)
    passed = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="formal_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.passed}"


class PublicComment(models.Model):
    """A comment on an art. 19a offer during its public comment period."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="public_comments"
    )
    author_name = models.CharField(_("name"), max_length=200, blank=True)
    text = models.TextField(_("public comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class Review(ReviewWorkflow, WorkflowModel):
    """One evaluator's assessment of one application (ocena merytoryczna)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_reason = models.TextField(blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    state = StateField(choices=ReviewState.choices, default=ReviewState.ASSIGNED)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="review_one_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.evaluator}"

    @property
    def workflow_organisation_id(self) -> int:
        return self.application.call.organisation_id

    def get_absolute_url(self) -> str:
        return reverse("grants:review", args=[self.pk])


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    justification = models.TextField()

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Agreement(AgreementWorkflow, WorkflowModel):
    """The grant agreement (umowa) made from an approved application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=60, unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    spending_deadline = models.DateField(_("deadline for using the grant"))
    report_deadline = models.DateField(_("report deadline"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_scan = models.FileField(upload_to="grants/signed/", blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=AgreementState.choices, default=AgreementState.DRAFT)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("grants:agreement", args=[self.pk])

    @classmethod
    def documents_visible_to(cls, user):
        from .selectors import agreements_visible_to

        return agreements_visible_to(user)


class Tranche(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("payment date"))
    payment_order = models.OneToOneField(
        PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="tranche"
    )

    class Meta:
        ordering = ["agreement", "due_date", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} / {self.due_date}"


class ChangeRequest(models.Model):
    """A shift between budget lines during implementation."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="change_requests"
    )
    description = models.TextField(_("description"))
    shifts = models.JSONField(
        _("new amounts from the grant per budget line"), default=dict, blank=True
    )
    needs_annex = models.BooleanField(default=False)
    annex_number = models.PositiveSmallIntegerField(
        _("annex number"), null=True, blank=True, help_text=_("Set when the annex is approved.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "pk"]

    def __str__(self) -> str:
        return self.description[:50]


class Report(ReportWorkflow, WorkflowModel):
    """The final report (sprawozdanie końcowe) of an agreement."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="report")
    narrative = models.TextField(_("what was achieved"), blank=True)
    volunteer_hours = models.DecimalField(
        _("volunteer hours worked"), max_digits=8, decimal_places=2, default=ZERO
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    corrections = models.TextField(_("what to correct"), blank=True)
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


class InterestRate(models.Model):
    """The rate of interest on tax arrears (odsetki jak dla zaległości podatkowych),
    effective from a date; it applies to late grant returns (art. 251-252 u.f.p.)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    annual_rate = models.DecimalField(_("annual rate in percent"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("interest rate")
        verbose_name_plural = _("interest rates")

    def __str__(self) -> str:
        return f"{self.annual_rate}% from {self.valid_from}"


class SmallGrantLimits(models.Model):
    """The statutory limits of the art. 19a mode (małe granty) of the act on
    public-benefit activity and volunteering, effective from a date. They are law, not
    call settings: every art. 19a call and offer obeys the row in force; a call may be
    stricter, never looser. Kept here, editable in the admin, so an amendment of the act
    is a new row and not a change of code."""

    valid_from = models.DateField(_("valid from"), unique=True)
    max_grant = models.DecimalField(_("maximum grant per offer"), **MONEY)
    max_duration_days = models.PositiveSmallIntegerField(_("maximum task duration in days"))
    yearly_cap = models.DecimalField(
        _("maximum per organisation in a calendar year"),
        **MONEY,
        help_text=_("Across all of the grantor's art. 19a grants to one organisation."),
    )
    comment_period_days = models.PositiveSmallIntegerField(_("public comment period in days"))
    ngo_only = models.BooleanField(
        _("only organisations may apply"),
        default=True,
        help_text=_(
            "Art. 19a ust. 1: NGOs and the entities of art. 3 ust. 3; not informal groups "
            "nor individual residents."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("art. 19a statutory limits")
        verbose_name_plural = _("art. 19a statutory limits")

    def __str__(self) -> str:
        return f"art. 19a ({self.valid_from})"

    @classmethod
    def in_force(cls, on: datetime.date) -> "SmallGrantLimits | None":
        """The limits in force on ``on``: the latest row valid from that day or before."""
        return cls.objects.filter(valid_from__lte=on).order_by("-valid_from").first()


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
