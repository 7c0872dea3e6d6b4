"""Informal groups (grupy nieformalne) and the three ways a grantor serves them
(DOMAIN.md section 1), chosen per call (``Call.group_model``):

- *direct*: today's behaviour, the grant is paid to the account the group gives;
- *patron* (organizacja patronacka): a host organisation signs and receives the money
  for the group (``Patronage``);
- *operator pays* (operator płaci faktury): no money flows to the group; the operator
  pays the group's invoices to the sellers (``GroupInvoice``);
- *regranting* (regranting, art. 16a): an operator organisation runs the call with
  money from the municipality, which oversees it read-only.

A ``GroupMember`` is a person listed by the leader; their own confirmation of
membership and consent (``MemberConsent``), or a parent's or guardian's consent for a
minor, is given through a personal e-mail link. Consents are kept by e-mail address,
so saving the draft (which rewrites the list of members) does not lose them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_nrb
from finance.models import PaymentOrder
from workflows.models import StateField, WorkflowModel

from ..workflow_groups import GroupInvoiceState, GroupInvoiceWorkflow
from .applications import Application
from .calls import MONEY, GroupModel

__all__ = [
    "AdviserComment",
    "Consultation",
    "GroupInvoice",
    "GroupMember",
    "GroupModel",
    "MemberConsent",
    "Patronage",
    "RegrantingFund",
]


class GroupMember(models.Model):
    """A member of an informal group, with the declarations they made and when. A minor
    takes part with a parent's or guardian's consent, asked of ``guardian_email``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    is_leader = models.BooleanField(_("leader"), default=False)
    declares_adult_resident = models.BooleanField(_("declares being an adult resident"))
    consents_to_processing = models.BooleanField(_("consents to data processing"))
    declared_at = models.DateTimeField(_("declared at"))
    is_minor = models.BooleanField(_("minor (under 18)"), default=False)
    guardian_name = models.CharField(_("parent's or guardian's name"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("parent's or guardian's e-mail"), blank=True)

    class Meta:
        ordering = ["application", "-is_leader", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return self.full_name


class MemberConsent(models.Model):
    """A member's own confirmation of membership and consent, or a guardian's consent
    for a minor member, given through a personal link; ``withdrawn_at`` once taken back."""

    class Party(models.TextChoices):
        MEMBER = "member", _("the member")
        GUARDIAN = "guardian", _("a parent or guardian")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="member_consents"
    )
    member_email = models.EmailField(_("member's e-mail"))
    party = models.CharField(_("who consents"), max_length=10, choices=Party.choices)
    signer_name = models.CharField(_("name of who consents"), max_length=200)
    signer_email = models.EmailField(_("e-mail of who consents"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "member_email", "party"]
        verbose_name = _("group member's consent")
        verbose_name_plural = _("group members' consents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member_email", "party"], name="member_consent_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_email} ({self.party})"

    @property
    def is_given(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None


class Patronage(models.Model):
    """A patron (host) organisation that signs for an informal group and receives the
    grant on its account; the patron's staff confirm it in the product."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="patronage"
    )
    patron = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="patronages",
        verbose_name=_("patron organisation"),
    )
    account_number = models.CharField(
        _("patron's bank account (NRB)"), max_length=26, blank=True, validators=[validate_nrb]
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("patronage")
        verbose_name_plural = _("patronages")

    def __str__(self) -> str:
        return f"{self.patron} / {self.application}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None and self.declined_at is None


class GroupInvoice(GroupInvoiceWorkflow, WorkflowModel):
    """An invoice or bill (faktura, rachunek) of a group whose grant the operator pays
    directly to the sellers; once approved it becomes a payment order to the seller."""

    agreement = models.ForeignKey(
        "grants.Agreement", on_delete=models.PROTECT, related_name="group_invoices"
    )
    budget_line = models.ForeignKey(
        "grants.BudgetLine", on_delete=models.PROTECT, verbose_name=_("budget line")
    )
    number = models.CharField(_("invoice or bill number"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    due_date = models.DateField(_("payment due"))
    seller_name = models.CharField(_("seller"), max_length=255)
    seller_address = models.CharField(_("seller's address"), max_length=255)
    seller_account = models.CharField(
        _("seller's bank account (NRB)"), max_length=26, validators=[validate_nrb]
    )
    description = models.CharField(_("what for"), max_length=255)
    amount = models.DecimalField(
        _("amount to pay (gross)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    payment_order = models.OneToOneField(
        PaymentOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_invoice",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=GroupInvoiceState.choices, default=GroupInvoiceState.SUBMITTED)

    class Meta:
        ordering = ["agreement", "issued_on", "pk"]
        verbose_name = _("group's invoice")
        verbose_name_plural = _("group's invoices")

    def __str__(self) -> str:
        return f"{self.number} ({self.seller_name})"

    @property
    def workflow_organisation_id(self) -> int:
        return self.agreement.organisation_id

    @property
    def awaits_approval(self) -> bool:
        return self.state == GroupInvoiceState.SUBMITTED


class RegrantingFund(models.Model):
    """Regranting (art. 16a): an operator's call for groups run with the money of the
    grant its parent municipality gave it (``agreement``), which the municipality
    oversees read-only, and which the operator settles with the municipality."""

    call = models.OneToOneField(
        "grants.Call", on_delete=models.PROTECT, related_name="regranting_fund"
    )
    agreement = models.ForeignKey(
        "grants.Agreement",
        on_delete=models.PROTECT,
        related_name="regranted_calls",
        verbose_name=_("the operator's regranting grant"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("regranting fund")
        verbose_name_plural = _("regranting funds")

    def __str__(self) -> str:
        return f"{self.call} / {self.agreement}"


class Consultation(models.Model):
    """The incubator (inkubator działalności społecznej): a group asks the operator for
    advice on its draft. ``first_time`` flags a group that has never submitted an
    application before. The adviser's comments are not part of the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    question = models.TextField(_("what the group asks"), max_length=4000)
    first_time = models.BooleanField(_("first-time group"), default=False)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"{self.application} ({self.requested_at:%Y-%m-%d})"


class AdviserComment(models.Model):
    """An adviser's comment on a group's draft, given in a consultation."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "created_at", "pk"]
        verbose_name = _("adviser's comment")
        verbose_name_plural = _("advisers' comments")

    def __str__(self) -> str:
        return self.text[:50]
