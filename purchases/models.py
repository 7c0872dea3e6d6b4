"""Data of the micro-purchase process (the process itself is in ``workflow.py``)."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_krs, validate_nip, validate_nrb, validate_regon
from documents.formatting import format_amount
from finance.models import BudgetClassification, PaymentOrder
from workflows.models import StateField, WorkflowModel

from .workflow import PurchaseState, PurchaseWorkflow

ZERO = Decimal("0.00")
CPV_RE = re.compile(r"^\d{8}-\d$")


def money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def validate_cpv(value: str) -> None:
    if not CPV_RE.match(value):
        raise ValidationError(
            _("A CPV code has 8 digits, a hyphen and a check digit, e.g. 80500000-9."),
            code="invalid_cpv",
        )


class EffectiveDated(models.Model):
    """A row of rules in force from ``valid_from`` to ``valid_to`` (inclusive; open when
    empty)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end cannot be before the start.")})

    @classmethod
    def in_force_filter(cls, on) -> Q:
        return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class ThresholdSetting(EffectiveDated):
    """The net value from which the public procurement law applies."""

    net_amount = money(
        _("threshold, net"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "Art. 2 ust. 1 pkt 1 of the public procurement law (Prawo zamówień publicznych, "
            "2019): the act does not apply below this net value (130 000 PLN since 2021)."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, default="art. 2 ust. 1 pkt 1 ustawy Pzp"
    )

    class Meta:
        verbose_name = _("procurement threshold")
        verbose_name_plural = _("procurement thresholds")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{format_amount(self.net_amount)} ({self.valid_from} - {self.valid_to or ''})"


class SameKindGroup(models.Model):
    """CPV codes whose orders are added up in a financial year (art. 30 Pzp)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="purchase_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    cpv_codes = models.JSONField(
        _("CPV codes"),
        default=list,
        help_text=_("CPV codes of the group; a code covers the codes below it (80500000-9)."),
    )

    class Meta:
        verbose_name = _("same-kind group")
        verbose_name_plural = _("same-kind groups")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, cpv: str) -> bool:
        digits = cpv.split("-")[0]
        for code in self.cpv_codes:
            prefix = code.split("-")[0].rstrip("0")
            if digits.startswith(prefix):
                return True
        return False


class ValueBand(EffectiveDated):
    """One band of an organisation's regulation for purchases under the threshold."""

    class Procedure(models.TextChoices):
        DIRECT = "direct", _("direct order")
        PRICE_SURVEY = "price_survey", _("price survey")
        PUBLIC_INQUIRY = "public_inquiry", _("public inquiry")

    class DocumentKind(models.TextChoices):
        ESTIMATE_NOTE = "estimate_note", _("value estimate note")
        REQUEST_FOR_QUOTATION = "request_for_quotation", _("request for quotation")
        SELECTION_NOTE = "selection_note", _("selection note or protocol")
        ORDER = "order", _("order or contract")
        ACCEPTANCE_PROTOCOL = "acceptance_protocol", _("acceptance protocol")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_bands"
    )
    lower_net = money(_("from (aggregated net, inclusive)"), default=ZERO)
    upper_net = money(
        _("below (aggregated net, exclusive)"),
        null=True,
        blank=True,
        help_text=_("Empty: no upper bound."),
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    suppliers_to_ask = models.PositiveSmallIntegerField(_("suppliers to ask"), default=1)
    min_offers = models.PositiveSmallIntegerField(_("minimum number of offers"), default=1)
    publication_days = models.PositiveSmallIntegerField(
        _("publication period in days"),
        default=7,
        help_text=_("For a public inquiry: how long it is published before the deadline."),
    )
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    regulation = models.CharField(
        _("regulation"),
        max_length=255,
        blank=True,
        help_text=_("The mayor's order that sets these rules, e.g. Zarządzenie nr 12/2026."),
    )

    class Meta:
        verbose_name = _("value band")
        verbose_name_plural = _("value bands")
        ordering = ["organisation", "-valid_from", "lower_net"]

    def __str__(self) -> str:
        upper = format_amount(self.upper_net) if self.upper_net is not None else "…"
        return f"{format_amount(self.lower_net)} - {upper}: {self.get_procedure_display()}"

    def covers(self, value: Decimal) -> bool:
        return value >= self.lower_net and (self.upper_net is None or value < self.upper_net)

    def clean(self) -> None:
        """Bands of one organisation in force on the same day may not overlap: every
        aggregated value must pick exactly one procedure."""
        super().clean()
        if self.upper_net is not None and self.upper_net <= self.lower_net:
            raise ValidationError({"upper_net": _("The upper bound must be above the lower.")})
        others = ValueBand.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.upper_net is not None:
            others = others.filter(lower_net__lt=self.upper_net)
        others = others.filter(Q(upper_net__isnull=True) | Q(upper_net__gt=self.lower_net))
        if others.exists():
            raise ValidationError(
                _("This band overlaps %(band)s in force at the same time.")
                % {"band": others.first()}
            )


class AggregationCounter(models.Model):
    """One row per (organisation, group, year): locked while a purchase of the group is
    admitted, so two submissions cannot both slip under the threshold."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SameKindGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group", "year"], name="aggregation_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.year}"


class Supplier(models.Model):
    """A supplier in an organisation's registry (wykonawca), one per NIP."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("non-governmental organisation")
        SOCIAL_ECONOMY = "social_economy", _("social-economy entity")
        COMPANY = "company", _("company")
        INDIVIDUAL = "individual", _("individual")
        INFORMAL_GROUP = "informal_group", _("informal group")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="suppliers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    bank_account = models.CharField(
        _("bank account (NRB)"), max_length=26, blank=True, validators=[validate_nrb]
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    reserved_art94 = models.BooleanField(
        _("eligible for orders reserved under art. 94"),
        default=False,
        help_text=_(
            "Art. 94 Pzp: sheltered workshops, social cooperatives and other entities "
            "whose staff are at least 30 per cent disadvantaged persons."
        ),
    )
    reserved_art361 = models.BooleanField(
        _("eligible for orders reserved under art. 361"),
        default=False,
        help_text=_(
            "Art. 361 Pzp: social, health and cultural services by mission-driven "
            "non-profit organisations."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "nip"],
                condition=~Q(nip=""),
                name="supplier_unique_nip",
                violation_error_message=_("A supplier with this NIP is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


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
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by each edit (ETag).")
    )

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-year", "-pk"]
        indexes = [models.Index(fields=["organisation", "group", "year"])]

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
        from .selectors import aggregate_for

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
    def offers_open(self) -> bool:
        from django.utils import timezone

        return self.quote_deadline is not None and self.quote_deadline <= timezone.now()

    def best_offer(self):
        offers = [o for o in self.offers.filter(rejected=False) if o.score is not None]
        if not offers:
            return None
        return max(offers, key=lambda o: (o.score, -o.price_gross, -o.pk))

    def aggregate_record(self) -> None:
        """Store the guard's computation and the band it picked (inside a transition)."""
        from .selectors import aggregate_for

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
    purchase's deadline (see ``selectors.offers_for`` and the serializers)."""

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

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["purchase", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "supplier"], name="offer_unique_supplier")
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id}: {self.supplier}"


def attachment_path(instance, filename: str) -> str:
    return f"purchases/offers/{instance.offer.purchase_id}/{instance.offer_id}/{filename}"


class OfferAttachment(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("offer attachment")
        verbose_name_plural = _("offer attachments")
        ordering = ["offer", "pk"]

    def __str__(self) -> str:
        return self.name


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
