"""Applications (wnioski) and what they hold: group members, activities, indicators,
budget lines, formal check answers, public comments (attachments: the attachments app)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_krs, validate_nip, validate_nrb, validate_regon
from workflows.models import StateField, WorkflowModel
from workflows.versioning import version_field

from ..workflow import (
    ApplicationState,
    ApplicationWorkflow,
)
from .calls import (
    MONEY,
    ZERO,
    ApplicantKind,
    Call,
    ChecklistItem,
    CostCategory,
)

# The statutory offer's fields an applicant types (appended to the draft's fields).
OFFER_FIELDS = (
    "register_name",
    "register_number",
    "contact_person",
    "contact_email",
    "capacity",
    "results_measurement",
    "fees_from_beneficiaries",
    "other_public_funds",
    "other_public_funds_source",
    "other_information",
    "declarations_confirmed",
)


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
    municipality = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("municipality of the initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "municipality"},
        help_text=_(
            "In a metropolis-wide call: the member municipality where the initiative takes place."
        ),
    )
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
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_applications",
        help_text=_("The official who took the case or was assigned it; told of its events."),
    )
    # Sums kept in step with the lines by the services (for lists and rankings).
    total_cost = models.DecimalField(**MONEY, default=ZERO, editable=False)
    requested_amount = models.DecimalField(**MONEY, default=ZERO, editable=False)
    own_money = models.DecimalField(**MONEY, default=ZERO, editable=False)
    own_in_kind = models.DecimalField(**MONEY, default=ZERO, editable=False)
    # The statutory offer form (regulation of 24 October 2018, Dz.U. 2018 poz. 2055/2057).
    register_name = models.CharField(
        _("other register or records"),
        max_length=200,
        blank=True,
        help_text=_("When the applicant is not in the KRS: the register's name."),
    )
    register_number = models.CharField(_("number in that register"), max_length=50, blank=True)
    contact_person = models.CharField(
        _("person authorised to explain the offer"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    capacity = models.TextField(
        _("the applicant's capacity and resources"),
        blank=True,
        help_text=_("Earlier activity, and the staff, material and financial resources used."),
    )
    results_measurement = models.TextField(
        _("how the results are measured"),
        blank=True,
        help_text=_("How the results are monitored; the source of information on each one."),
    )
    fees_from_beneficiaries = models.DecimalField(
        _("of the own money: fees from the beneficiaries"), **MONEY, default=ZERO
    )
    other_public_funds = models.DecimalField(
        _("of the own money: other public funds"), **MONEY, default=ZERO
    )
    other_public_funds_source = models.CharField(
        _("other public funds: from whom"), max_length=255, blank=True
    )
    other_information = models.TextField(_("other information"), blank=True)
    declarations_confirmed = models.BooleanField(
        _("I confirm the declarations of the offer form"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = StateField(choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    version = version_field()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "sequence"], name="application_sequence_unique_per_call"
            )
        ]

    @property
    def comment_period_ends(self) -> datetime.datetime | None:
        """Art. 19a ust. 5: an offer published for comments may be commented on until
        its publication plus the call's comment period; the one place this is computed."""
        if self.published_at is None:
            return None
        return self.published_at + datetime.timedelta(days=self.call.comment_period_days)

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
        from ..selectors import applications_visible_to

        return applications_visible_to(user)

    @classmethod
    def attachments_visible_to(cls, user):
        """Whose attachments ``user`` sees: those of the applications they see (the
        applicant, the office once submitted, evaluators after their declaration)."""
        from ..selectors import applications_visible_to

        return applications_visible_to(user)

    def attachments_editable_by(self, user) -> bool:
        """The applicant changes the attachments while the application is a draft or
        a correction or budget revision is asked for."""
        from ..workflow import EDITABLE_STATES

        return self.applicant_id == user.pk and self.state in EDITABLE_STATES

    @property
    def volunteer_value(self) -> Decimal:
        return (self.volunteer_hours * self.volunteer_rate).quantize(Decimal("0.01"))

    @property
    def own_contribution(self) -> Decimal:
        return self.own_money + self.own_in_kind + self.volunteer_value

    @property
    def awaits_corrections(self) -> bool:
        """The applicant is asked to correct it."""
        return self.state == ApplicationState.CORRECTIONS_REQUESTED

    @property
    def awaits_formal_check(self) -> bool:
        """Submitted: the official checks it formally."""
        return self.state == ApplicationState.SUBMITTED

    @property
    def awaits_evaluators(self) -> bool:
        """Formally accepted: evaluators are assigned."""
        return self.state == ApplicationState.FORMALLY_ACCEPTED

    @property
    def is_approved(self) -> bool:
        """Approved: an agreement is drafted from it."""
        return self.state == ApplicationState.APPROVED

    @property
    def is_budget_revision(self) -> bool:
        """The grant was cut: the applicant revises the budget."""
        return self.state == ApplicationState.BUDGET_REVISION


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


class CostType(models.TextChoices):
    """The two parts of the statutory cost table (V.A of the offer form)."""

    ACTION = "action", _("costs of the activities")
    ADMINISTRATIVE = "administrative", _("administrative costs")


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
    cost_type = models.CharField(
        _("type of cost"), max_length=20, choices=CostType.choices, default=CostType.ACTION
    )

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
    """The upload path of the former grants.Attachment, named by old migrations (the
    files now belong to ``attachments.Attachment``)."""
    return f"grants/attachments/{instance.application_id}/{filename}"


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
