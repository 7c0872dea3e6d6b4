"""A purchase and what it brings along: criteria, invitations, offers, annexes, invoice."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DateField, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from finance.models import BudgetClassification, PaymentOrder
from workflows.models import StateField, WorkflowModel
from workflows.versioning import version_field

from ..workflow import COUNTED_STATES, PurchaseState, PurchaseWorkflow
from .regulation import ZERO, SameKindGroup, ValueBand, money, validate_cpv
from .suppliers import Supplier


def register_date() -> Coalesce:
    """The purchase's date in the settlement register (``purchases.settlements``): the
    day the order was signed, before that the day it was awarded (in Warsaw). One
    definition for the register's sort and filter and for the index that serves them
    (``purchase_settlement_idx``): an expression index is used only for the very
    expression it was made of."""
    return Coalesce("signed_on", TruncDate("awarded_at"), output_field=DateField())


class Purchase(PurchaseWorkflow, WorkflowModel):
    """A micro-purchase from need to payment (zamówienie poniżej progu)."""

    class VatRate(models.TextChoices):
        VAT_23 = "23", "23%"
        VAT_8 = "8", "8%"
        VAT_5 = "5", "5%"
        VAT_0 = "0", "0%"
        EXEMPT = "zw", _("exempt")

    class LegalBasis(models.TextChoices):
        REGULATION = (
            "regulation",
            _("the municipality's regulation for purchases under the threshold"),
        )
        SOCIAL_SERVICE = "social_service", _("micro-purchase of a social service")
        RESERVED_94 = "reserved_94", _("order reserved under art. 94 Pzp")
        RESERVED_361 = "reserved_361", _("order reserved under art. 361 Pzp")

    class ContractForm(models.TextChoices):
        ORDER = "order", _("order (zlecenie)")
        CONTRACT = "contract", _("contract (umowa)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="purchases"
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    requesting_unit = models.CharField(_("requesting unit"), max_length=200)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchases",
        verbose_name=_("area of public tasks"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    expected_result = models.TextField(
        _("expected result"), help_text=_("The effect to be delivered, not the effort.")
    )
    group = models.ForeignKey(
        SameKindGroup, verbose_name=_("same-kind group"), on_delete=models.PROTECT
    )
    cpv_code = models.CharField(_("CPV code"), max_length=10, validators=[validate_cpv])
    estimated_net = money(
        _("estimated value, net"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "Art. 28 Pzp: the total pay to the supplier without VAT, estimated with due care."
        ),
    )
    vat_rate = models.CharField(_("VAT rate"), max_length=2, choices=VatRate.choices)
    estimated_gross = money(_("estimated value, gross"))
    estimation_method = models.TextField(_("how the value was estimated"))
    estimated_on = models.DateField(_("estimated on"))
    estimated_by = models.CharField(_("estimated by"), max_length=200)
    classification = models.ForeignKey(
        BudgetClassification,
        verbose_name=_("budget classification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    year = models.PositiveSmallIntegerField(
        _("financial year"), help_text=_("The calendar year of the planned start.")
    )
    # The threshold guard's record.
    band = models.ForeignKey(
        ValueBand, verbose_name=_("value band"), null=True, blank=True, on_delete=models.PROTECT
    )
    aggregated_net = money(_("aggregated value, net"), null=True, blank=True)
    aggregation = models.JSONField(_("aggregation"), default=dict, blank=True)
    threshold_override = models.TextField(_("justification of the override"), blank=True)
    threshold_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Approval.
    funds_confirmed_at = models.DateTimeField(_("funds confirmed at"), null=True, blank=True)
    funds_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Quoting and award.
    quote_deadline = models.DateTimeField(_("deadline for offers"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    awarded_offer = models.ForeignKey(
        "Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    awarded_net = money(_("awarded value, net"), null=True, blank=True)
    awarded_gross = money(_("awarded value, gross"), null=True, blank=True)
    annexes_net = money(_("annexes, net"), default=ZERO)
    annexes_gross = money(_("annexes, gross"), default=ZERO)
    contract_form = models.CharField(
        _("form of the agreement"), max_length=10, choices=ContractForm.choices, blank=True
    )
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    # Execution and acceptance.
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_scope = models.TextField(_("what was delivered"), blank=True)
    acceptance_partial = models.BooleanField(_("partial acceptance"), default=False)
    acceptance_defects = models.TextField(_("defects found"), blank=True)
    accepted_net = money(_("accepted value, net"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=PurchaseState.choices, default=PurchaseState.DRAFT)
    version = version_field()

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-year", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "group", "year"]),
            # The splitting guard's sum (``selectors.counted_total``): only the counted
            # rows, with the values it adds up, so it is read from the index alone.
            models.Index(
                fields=["organisation", "group", "year"],
                include=["id", "awarded_net", "annexes_net", "estimated_net"],
                condition=Q(state__in=COUNTED_STATES),
                name="purchase_counted_idx",
            ),
            # The register (``selectors.register_for``: an organisation's year in pk
            # order) and the API list (newest first) read a page from it in order.
            models.Index(fields=["organisation", "year", "id"], name="purchase_register_idx"),
            # The settlement register's page: an organisation's awarded purchases in the
            # register's order, read a page at a time (``finance.settlements``, #18).
            models.Index(
                F("organisation"),
                register_date(),
                F("number"),
                F("id"),
                condition=Q(awarded_at__isnull=False),
                name="purchase_settlement_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("purchases:detail", args=[self.pk])

    @classmethod
    def documents_visible_to(cls, user):
        """Purchases whose documents ``user`` may download: any of an organisation where
        they hold a role."""
        return cls.objects.filter(organisation_id__in=user.organisation_ids())

    def clean(self) -> None:
        from finance.rules import classification_year_problem

        problem = classification_year_problem(self.classification, self.year)
        if problem:
            raise ValidationError({"classification": problem})

    @property
    def threshold_overridden(self) -> bool:
        return bool(self.threshold_override)

    @property
    def threshold_refusal(self) -> str:
        """For a draft: why the threshold guard would refuse its submission now, with the
        computation (empty when it would pass). Computed, not kept: a refused submission
        changes nothing, and the group's other purchases may change since."""
        from ..selectors import aggregate_for

        if self.state != PurchaseState.DRAFT or self.threshold_overridden or not self.group_id:
            return ""
        result = aggregate_for(self)
        return "" if result.admitted else result.refusal_message()

    @property
    def counted_net(self) -> Decimal:
        """The value this purchase adds to its group's aggregate."""
        if self.awarded_net is not None:
            return self.awarded_net + self.annexes_net
        return self.estimated_net

    @property
    def contract_net(self) -> Decimal:
        return (self.awarded_net or ZERO) + self.annexes_net

    @property
    def contract_gross(self) -> Decimal:
        return (self.awarded_gross or ZERO) + self.annexes_gross

    @property
    def is_draft(self) -> bool:
        return self.state == PurchaseState.DRAFT

    @property
    def is_quoting(self) -> bool:
        return self.state == PurchaseState.QUOTING

    @property
    def has_offers_stage(self) -> bool:
        """Quoting has started (the offers section of the page applies)."""
        return self.state not in (
            PurchaseState.DRAFT,
            PurchaseState.SUBMITTED,
            PurchaseState.APPROVED,
        )

    def offers_open_at(self, at) -> bool:
        """Whether the offers are open at ``at``: the deadline for offers has passed, so
        their content may be read and evaluation may start; until then they are sealed
        and offers are still received. The one place this is decided."""
        return self.quote_deadline is not None and self.quote_deadline <= at

    @staticmethod
    def offers_open_condition(at, *, prefix: str = "") -> Q:
        """``offers_open_at`` as a query condition, for purchases (or, with ``prefix``
        ``"purchase__"``, their offers)."""
        return Q(**{f"{prefix}quote_deadline__lte": at})

    @property
    def offers_open(self) -> bool:
        return self.offers_open_at(timezone.now())

    def accepts_offers_at(self, at) -> bool:
        """Quoting, with the deadline still ahead at ``at``."""
        return (
            self.state == PurchaseState.QUOTING
            and self.quote_deadline is not None
            and not self.offers_open_at(at)
        )

    def best_offer(self):
        offers = [o for o in self.offers.filter(rejected=False) if o.score is not None]
        if not offers:
            return None
        return max(offers, key=lambda o: (o.score, -o.price_gross, -o.pk))

    def aggregate_record(self) -> None:
        """Store the guard's computation and the band it picked (inside a transition)."""
        from ..selectors import aggregate_for

        result = aggregate_for(self)
        self.aggregated_net = result.total
        self.band = result.band or (result.strictest_band if self.threshold_overridden else None)
        self.aggregation = result.as_json()


class Criterion(models.Model):
    """An award criterion of a purchase with its weight (price is one of them)."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    is_price = models.BooleanField(_("price criterion"), default=False)
    description = models.CharField(
        _("what the supplier states"),
        max_length=500,
        blank=True,
        help_text=_("A number the supplier gives; more scores higher (e.g. years of experience)."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["purchase", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Invitation(models.Model):
    """A supplier asked to quote, who receives a personal link."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invitations")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to quote")
        verbose_name_plural = _("invitations to quote")
        ordering = ["purchase", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "supplier"], name="invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id}: {self.supplier}"


class Offer(models.Model):
    """A supplier's offer; its price, answers and attachments are sealed until the
    purchase's deadline (see ``selectors.offers_for`` and the serializers). Its files
    are attachments (``attachments`` app) that come with the offer."""

    class Channel(models.TextChoices):
        LINK = "link", _("personal link")
        PUBLIC = "public", _("public inquiry page")
        PAPER = "paper", _("on paper")
        EMAIL = "email", _("by e-mail")

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="offers")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="offers")
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    price_net = money(_("price, net"), validators=[MinValueValidator(Decimal("0.01"))])
    price_gross = money(_("price, gross"), validators=[MinValueValidator(Decimal("0.01"))])
    answers = models.JSONField(_("answers to the criteria"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rejected = models.BooleanField(_("rejected"), default=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    attachments = GenericRelation(
        "attachments.Attachment", content_type_field="owner_type", object_id_field="owner_id"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["purchase", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "supplier"], name="offer_unique_supplier")
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id}: {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("purchases:detail", args=[self.purchase_id])

    @classmethod
    def attachments_visible_to(cls, user):
        """Whose files ``user`` sees: the offers of their organisations' purchases once
        the offers are opened; nobody's before (sealed, like the price)."""
        from ..selectors import offers_opened_for

        return offers_opened_for(user=user)

    def attachments_editable_by(self, user) -> bool:
        """Nobody changes an offer's files: they come with the offer (a supplier who
        changes the offer before the deadline submits it again)."""
        return False


def attachment_path(instance, filename: str) -> str:
    """The upload path of the former purchases.OfferAttachment, named by old migrations
    (the files now belong to ``attachments.Attachment``)."""
    return f"purchases/offers/{instance.offer.purchase_id}/{instance.offer_id}/{filename}"


class Annex(models.Model):
    """An annex (aneks) that raises the awarded value."""

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="annexes")
    number = models.CharField(_("number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    net_change = money(_("change, net"))
    gross_change = money(_("change, gross"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["purchase", "signed_on", "pk"]

    def __str__(self) -> str:
        return self.number


class Invoice(models.Model):
    """The supplier's invoice or bill for the accepted delivery."""

    purchase = models.OneToOneField(Purchase, on_delete=models.CASCADE, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=100)
    issued_on = models.DateField(_("issue date"))
    sale_on = models.DateField(_("sale date"))
    received_on = models.DateField(_("date received"))
    net = money(_("net"))
    vat = money(_("VAT"))
    gross = money(_("gross"))
    due_on = models.DateField(_("due date"))
    payment_order = models.ForeignKey(
        PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number
