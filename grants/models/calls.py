"""Calls (nabory) and their rules: criteria, cost categories, the formal checklist."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from finance.models import BudgetClassification
from workflows.models import StateField, WorkflowModel
from workflows.versioning import version_field

from ..workflow import (
    CallState,
    CallWorkflow,
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


class OfferForm(models.TextChoices):
    """Which statutory offer and report form a call uses (regulation of 24 October 2018):
    the general one (Dz.U. 2018 poz. 2057) or the simplified one of art. 19a (poz. 2055)."""

    GENERAL = "general", _("general offer form (Dz.U. 2018 poz. 2057)")
    SIMPLIFIED = "simplified", _("simplified offer form, art. 19a (Dz.U. 2018 poz. 2055)")


class ApplicantKind(models.TextChoices):
    INFORMAL_GROUP = "informal_group", _("informal group")
    NGO = "ngo", _("non-governmental organisation")
    RESIDENT = "resident", _("individual resident")


class GroupModel(models.TextChoices):
    """How a call serves informal groups (DOMAIN.md section 1; ``grants.models.groups``)."""

    DIRECT = "direct", _("the group receives the grant")
    PATRON = "patron", _("a patron organisation signs and receives the grant")
    OPERATOR_PAYS = "operator_pays", _("the operator pays the group's invoices")
    REGRANTING = "regranting", _("regranting by an operator (art. 16a)")


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
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("area of public tasks"),
    )
    allows_informal_group = models.BooleanField(_("informal groups may apply"), default=True)
    allows_ngo = models.BooleanField(_("NGOs may apply"), default=True)
    allows_resident = models.BooleanField(_("individual residents may apply"), default=False)
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"), default=3)
    group_model = models.CharField(
        _("how informal groups are served"),
        max_length=20,
        choices=GroupModel.choices,
        default=GroupModel.DIRECT,
    )
    members_confirm_by_link = models.BooleanField(
        _("group members confirm by their e-mail links"),
        default=False,
        help_text=_(
            "The application is submitted only once the minimum number of adult members "
            "have confirmed their membership, and a guardian for each minor."
        ),
    )
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
    metropolis_wide = models.BooleanField(
        _("metropolis-wide call"),
        default=False,
        help_text=_(
            "Only for a metropolis's call: applicants from any member municipality, each "
            "application naming the municipality where the initiative takes place."
        ),
    )
    offer_form = models.CharField(
        _("statutory offer form"),
        max_length=20,
        choices=OfferForm.choices,
        blank=True,
        help_text=_("Empty: the simplified form for art. 19a calls, the general one otherwise."),
    )
    next_number = models.PositiveIntegerField(default=1, editable=False)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handlers"),
        blank=True,
        related_name="handled_calls",
        help_text=_(
            "Officials told of this call's applications that nobody has taken yet; when "
            "empty, every official of the organisation is told."
        ),
    )
    state = StateField(choices=CallState.choices, default=CallState.DRAFT)
    version = version_field()

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

    @classmethod
    def documents_visible_to(cls, user):
        """Whose call documents (notice, committee protocol, decision list) ``user``
        may download: the officials of the call's organisation (and of its parent)."""
        from accounts.models import Role
        from accounts.permissions import organisation_ids_readable

        return cls.objects.filter(
            organisation_id__in=organisation_ids_readable(user, Role.OFFICIAL)
        )

    @property
    def statutory_form(self) -> str:
        """The offer and report form in force for this call: its own choice, or by
        procedure (art. 19a: the simplified form)."""
        if self.offer_form:
            return self.offer_form
        return OfferForm.SIMPLIFIED if self.is_19a else OfferForm.GENERAL

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
        if (
            self.metropolis_wide
            and self.organisation_id is not None
            and not self.organisation.is_metropolis
        ):
            errors["metropolis_wide"] = _("Only a call of a metropolis can be metropolis-wide.")
        if errors:
            raise ValidationError(errors)

    def allowed_kinds(self) -> list[str]:
        flags = [
            (ApplicantKind.INFORMAL_GROUP, self.allows_informal_group),
            (ApplicantKind.NGO, self.allows_ngo),
            (ApplicantKind.RESIDENT, self.allows_resident),
        ]
        return [kind for kind, allowed in flags if allowed]

    def member_municipalities(self):
        """Where the initiatives of a metropolis-wide call may take place: the
        metropolis's member municipalities (none for any other call)."""
        if not self.metropolis_wide:
            return Organisation.objects.none()
        return Organisation.objects.filter(
            metropolis_id=self.organisation_id, kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name")

    @property
    def is_published(self) -> bool:
        """Open for submissions in its dates (the page offers to apply)."""
        return self.state == CallState.PUBLISHED


# The rules of a call that officials set (the API and the call form both use them).
CALL_RULE_FIELDS = [
    "procedure",
    "code",
    "title",
    "description",
    "area",
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
    "group_model",
    "members_confirm_by_link",
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
    "metropolis_wide",
    "offer_form",
]


class PoolShare(models.Model):
    """A member municipality's share of a metropolis-wide call's pool (podział puli):
    when a call has shares they add up to its pool, and the grants awarded to
    initiatives in a municipality stay within its share."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pool_shares")
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("share of the pool"), **MONEY)

    class Meta:
        ordering = ["call", "municipality__name", "pk"]
        verbose_name = _("share of the pool")
        verbose_name_plural = _("shares of the pool")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "municipality"], name="pool_share_unique_per_municipality"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pool_share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.amount}"


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
