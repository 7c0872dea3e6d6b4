"""Every write of the micro-purchase process.

State changes go through ``workflows.engine.transition_apply``; the rows a transition
brings along (invitations, scores, the invoice and its payment order, the order paid)
are written by the services below, which the transitions in ``purchases.workflow``
call, in the transition's transaction.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from finance.models import BatchItem, BudgetClassification, PaymentOrder
from finance.services import budget_check, payment_order_create
from finance.workflow import PaymentState
from workflows.audit import audit_record, changes, snapshot
from workflows.engine import transition_apply
from workflows.errors import Conflict, GuardRefused, InvalidInput, NotVisible
from workflows.versioning import version_bump, version_check

from .models import (
    AggregationCounter,
    Annex,
    Criterion,
    Invitation,
    Invoice,
    Offer,
    OfferAttachment,
    Purchase,
    SameKindGroup,
    Supplier,
    ValueBand,
)
from .workflow import PurchaseState

CENT = Decimal("0.01")
VAT_PERCENT = {"23": 23, "8": 8, "5": 5, "0": 0, "zw": 0}
ATTACHMENT_MAX_BYTES = getattr(settings, "PURCHASES_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
TOKEN_SALT = "purchases.invitation"  # noqa: S105 - a signing salt, not a secret
DRAFT_FIELDS = [
    "requesting_unit",
    "title",
    "expected_result",
    "group",
    "cpv_code",
    "estimated_net",
    "vat_rate",
    "estimation_method",
    "estimated_on",
    "estimated_by",
    "classification",
    "legal_basis",
    "planned_start",
    "planned_end",
]


def _validation_to_invalid(exc: ValidationError) -> InvalidInput:
    if hasattr(exc, "error_dict"):
        return InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        )
    return InvalidInput(field_errors={"__all__": [str(m) for m in exc.messages]})


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise _validation_to_invalid(exc) from None


def gross_for(*, net: Decimal, vat_rate: str) -> Decimal:
    """Gross from net and a VAT rate, rounded half up to grosze."""
    percent = Decimal(VAT_PERCENT[vat_rate])
    return (net * (100 + percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


# Suppliers ------------------------------------------------------------------------


def _normalise_account(value: str) -> str:
    value = value.replace(" ", "").upper()
    return value[2:] if value.startswith("PL") else value


@transaction.atomic
def supplier_create(*, organisation: Organisation, **fields) -> Supplier:
    """Register a supplier; one per NIP in an organisation's registry."""
    fields["bank_account"] = _normalise_account(fields.get("bank_account", ""))
    fields["nip"] = fields.get("nip", "").replace("-", "").replace(" ", "")
    supplier = Supplier(organisation=organisation, **fields)
    _full_clean(supplier)
    supplier.save()
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, actor: User | None = None, **fields) -> Supplier:
    """Change a supplier's data; the audit trail keeps what changed (a bank account
    above all)."""
    if "bank_account" in fields:
        fields["bank_account"] = _normalise_account(fields["bank_account"])
    before = snapshot(supplier, list(fields))
    for name, value in fields.items():
        setattr(supplier, name, value)
    _full_clean(supplier)
    supplier.save(update_fields=list(fields))
    old, new = changes(before, snapshot(supplier, list(fields)))
    if new:
        audit_record(obj=supplier, actor=actor, action="supplier_update", before=old, after=new)
    return supplier


# Purchases ------------------------------------------------------------------------


def _check_need(purchase: Purchase) -> None:
    errors: dict[str, list[str]] = {}
    if purchase.group.organisation_id != purchase.organisation_id:
        errors["group"] = [_("Choose a group of your organisation.")]
    elif purchase.cpv_code and not purchase.group.covers(purchase.cpv_code):
        errors["cpv_code"] = [
            _("The CPV code %(code)s is not in the group “%(group)s” (%(codes)s).")
            % {
                "code": purchase.cpv_code,
                "group": purchase.group.name,
                "codes": ", ".join(purchase.group.cpv_codes),
            }
        ]
    if (
        purchase.planned_end
        and purchase.planned_start
        and purchase.planned_end < purchase.planned_start
    ):
        errors["planned_end"] = [_("The planned end cannot be before the planned start.")]
    if errors:
        raise InvalidInput(field_errors=errors)


def _check_criteria(criteria: list[dict]) -> list[Criterion]:
    rows = []
    for i, item in enumerate(criteria):
        criterion = Criterion(
            name=item.get("name", ""),
            weight=item.get("weight"),
            is_price=bool(item.get("is_price", False)),
            description=item.get("description", ""),
            order=i,
        )
        try:
            criterion.full_clean(exclude=["purchase"])
        except ValidationError as exc:
            raise InvalidInput(
                field_errors={
                    f"criteria.{i}.{k}": [str(m) for m in v] for k, v in exc.message_dict.items()
                }
            ) from None
        rows.append(criterion)
    if sum(1 for c in rows if c.is_price) > 1:
        raise InvalidInput(field_errors={"criteria": [_("Give the price criterion once.")]})
    return rows


@transaction.atomic
def purchase_create(
    *,
    organisation: Organisation,
    actor: User,
    requesting_unit: str,
    title: str,
    expected_result: str,
    group: SameKindGroup,
    cpv_code: str,
    estimated_net: Decimal,
    vat_rate: str,
    estimation_method: str,
    estimated_on: datetime.date,
    estimated_by: str,
    legal_basis: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    classification: BudgetClassification | None = None,
    criteria: list[dict] | None = None,
) -> Purchase:
    """Register a need as a draft; without criteria, price weighs 100%."""
    purchase = Purchase(
        organisation=organisation,
        requested_by=actor,
        requesting_unit=requesting_unit,
        title=title,
        expected_result=expected_result,
        group=group,
        cpv_code=cpv_code,
        estimated_net=estimated_net,
        vat_rate=vat_rate,
        estimated_gross=Decimal(0),
        estimation_method=estimation_method,
        estimated_on=estimated_on,
        estimated_by=estimated_by,
        classification=classification,
        legal_basis=legal_basis,
        planned_start=planned_start,
        planned_end=planned_end,
        year=planned_start.year if planned_start else 0,
    )
    _check_need(purchase)
    purchase.estimated_gross = gross_for(net=estimated_net, vat_rate=vat_rate)
    _full_clean(purchase, exclude=["number"])
    rows = _check_criteria(
        criteria
        if criteria is not None
        else [{"name": _("price"), "weight": 100, "is_price": True}]
    )
    purchase.save()
    purchase.number = f"{organisation.short_name}/ZP/{purchase.year}/{purchase.pk}"
    purchase.save(update_fields=["number"])
    for row in rows:
        row.purchase = purchase
    Criterion.objects.bulk_create(rows)
    return purchase


@transaction.atomic
def purchase_update(
    *,
    purchase: Purchase,
    actor: User,
    criteria: list[dict] | None = None,
    expected_version: int | None = None,
    **fields,
) -> Purchase:
    """Change a draft's need (and its criteria, when given)."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    if purchase.state != PurchaseState.DRAFT:
        raise Conflict(_("Only a draft can be changed."))
    version_check(purchase, expected_version)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise InvalidInput(field_errors={k: [_("This field cannot be changed.")] for k in unknown})
    for name, value in fields.items():
        setattr(purchase, name, value)
    purchase.year = purchase.planned_start.year
    _check_need(purchase)
    purchase.estimated_gross = gross_for(net=purchase.estimated_net, vat_rate=purchase.vat_rate)
    _full_clean(purchase)
    changed = [*fields, "year", "estimated_gross", *version_bump(purchase)]
    purchase.save(update_fields=[f for f in dict.fromkeys(changed)])
    if criteria is not None:
        rows = _check_criteria(criteria)
        purchase.criteria.all().delete()
        for row in rows:
            row.purchase = purchase
        Criterion.objects.bulk_create(rows)
    return purchase


def aggregation_lock(purchase: Purchase) -> None:
    """Serialise admissions in the purchase's (organisation, group, year) until the
    transaction ends: a row of ``AggregationCounter`` locked with SELECT ... FOR UPDATE."""
    counter, _created = AggregationCounter.objects.get_or_create(
        organisation_id=purchase.organisation_id, group_id=purchase.group_id, year=purchase.year
    )
    AggregationCounter.objects.select_for_update().filter(pk=counter.pk).exists()


def _check_not_in_a_batch(purchase: Purchase) -> None:
    """The invoice's order sits in a payment batch: the batch's bank result marks the
    purchase paid, so marking it paid by hand could pay it twice."""
    order_id = (
        Invoice.objects.filter(purchase=purchase).values_list("payment_order_id", flat=True).first()
    )
    item = (
        BatchItem.objects.filter(order_id=order_id, outcome="pending")
        .select_related("batch")
        .first()
        if order_id
        else None
    )
    if item is not None:
        raise Conflict(
            _(
                "The invoice's payment order is in payment batch %(batch)s: the purchase "
                "becomes paid when the bank's result for that batch is recorded, so it "
                "cannot be marked paid by hand."
            )
            % {"batch": item.batch.number}
        )


def invoice_order_paid(order: PaymentOrder, actor: User | None) -> None:
    """A payment batch paid the invoice's order: the purchase moves to paid with the
    bank's date (``settings.PAYMENT_ORDER_PAID_HANDLERS``)."""
    if order.kind != PaymentOrder.Kind.INVOICE:
        return
    invoice = Invoice.objects.filter(payment_order=order).select_related("purchase").first()
    if invoice is None or invoice.purchase.state != PurchaseState.INVOICED:
        return
    transition_apply(
        obj=invoice.purchase, name="mark_paid", actor=actor, payload={"on": order.paid_on}
    )


def invoice_order_pay(*, purchase: Purchase, actor: User | None, paid_on: datetime.date) -> None:
    """The purchase is paid (its ``mark_paid``): so is its invoice's payment order, unless
    a payment batch holds it (the bank's result pays both) or it is paid already."""
    _check_not_in_a_batch(purchase)
    invoice = Invoice.objects.filter(purchase=purchase).select_related("payment_order").first()
    order = invoice.payment_order if invoice else None
    if order is not None and order.state == PaymentState.ORDERED:
        transition_apply(obj=order, name="mark_paid", actor=actor, payload={"paid_on": paid_on})


def _check_payable(purchase: Purchase) -> None:
    supplier = purchase.awarded_offer.supplier if purchase.awarded_offer_id else None
    if supplier is None:
        return
    if not supplier.bank_account or not supplier.address:
        raise InvalidInput(
            _(
                "Add the bank account and address of %(supplier)s in the supplier registry "
                "before recording the invoice: the payment order needs them."
            )
            % {"supplier": supplier.name}
        )


def invoice_record(
    *,
    purchase: Purchase,
    actor: User,
    number: str,
    issued_on: datetime.date,
    sale_on: datetime.date,
    received_on: datetime.date,
    net: Decimal,
    vat: Decimal,
    gross: Decimal,
    due_on: datetime.date,
) -> Invoice:
    """The purchase's invoice and the payment order that pays it (its ``record_invoice``)."""
    _check_payable(purchase)
    supplier = purchase.awarded_offer.supplier
    order = payment_order_create(
        organisation=purchase.organisation,
        kind=PaymentOrder.Kind.INVOICE,
        source=purchase,
        beneficiary_name=supplier.name,
        beneficiary_address=supplier.address,
        account_number=supplier.bank_account,
        title=_("Invoice %(number)s, %(purchase)s")
        % {"number": number, "purchase": purchase.number},
        amount=gross,
        due_date=due_on,
        classification=purchase.classification,
        actor=actor,
    )
    return Invoice.objects.create(
        purchase=purchase,
        number=number,
        issued_on=issued_on,
        sale_on=sale_on,
        received_on=received_on,
        net=net,
        vat=vat,
        gross=gross,
        due_on=due_on,
        payment_order=order,
        recorded_by=actor,
    )


@transaction.atomic
def annex_add(
    *,
    purchase: Purchase,
    actor: User,
    number: str,
    signed_on: datetime.date,
    net_change: Decimal,
    gross_change: Decimal,
    reason: str,
) -> Annex:
    """An annex raising the awarded value; the group's aggregate stays under the
    threshold (unless overridden) and the budget plan line covers the raise."""
    from .selectors import aggregate_for

    # The purchase's row first, then the group's lock: the order transitions take them in.
    purchase = (
        Purchase.objects.select_for_update(of=("self",)).select_related("group").get(pk=purchase.pk)
    )
    aggregation_lock(purchase)
    if purchase.state not in (
        PurchaseState.AWARDED,
        PurchaseState.IN_EXECUTION,
        PurchaseState.DELIVERED,
        PurchaseState.ACCEPTED,
    ):
        raise Conflict(_("An annex can be added between the award and the invoice."))
    if net_change <= 0 or gross_change < net_change:
        raise InvalidInput(
            field_errors={
                "net_change": [_("An annex raises the value: net above 0, gross not below net.")]
            }
        )
    purchase.annexes_net += net_change
    purchase.annexes_gross += gross_change
    if not purchase.threshold_overridden:
        result = aggregate_for(purchase)
        if not result.admitted:
            raise GuardRefused(result.refusal_message())
    budget_check(
        organisation_id=purchase.organisation_id,
        year=purchase.year,
        classification=purchase.classification,
        amount=gross_change,
    )
    purchase.save(update_fields=["annexes_net", "annexes_gross"])
    return Annex.objects.create(
        purchase=purchase,
        number=number,
        signed_on=signed_on,
        net_change=net_change,
        gross_change=gross_change,
        reason=reason,
        created_by=actor,
    )


# Invitations and offers -------------------------------------------------------------


def invitations_create(
    *, purchase: Purchase, supplier_ids: list[int], actor: User | None
) -> list[Invitation]:
    """Invite registry suppliers (``start_quoting`` and ``requote`` name them)."""
    return [
        invitation_create(purchase=purchase, supplier_id=supplier_id, actor=actor)
        for supplier_id in supplier_ids
    ]


@transaction.atomic
def invitation_create(*, purchase: Purchase, supplier_id: int, actor: User | None) -> Invitation:
    supplier = Supplier.objects.filter(
        pk=supplier_id, organisation_id=purchase.organisation_id
    ).first()
    if supplier is None:
        raise InvalidInput(field_errors={"suppliers": [_("Choose suppliers from your registry.")]})
    if purchase.state not in (
        PurchaseState.APPROVED,
        PurchaseState.EVALUATING,
        PurchaseState.QUOTING,
    ):
        raise Conflict(_("Suppliers are invited once the purchase is approved."))
    _check_eligible(purchase, supplier, field="suppliers")
    invitation, _created = Invitation.objects.get_or_create(purchase=purchase, supplier=supplier)
    return invitation


def _check_eligible(purchase: Purchase, supplier: Supplier, *, field: str) -> None:
    """A reserved order (art. 94 or 361 Pzp) admits only suppliers flagged for it."""
    reserved = {
        Purchase.LegalBasis.RESERVED_94: supplier.reserved_art94,
        Purchase.LegalBasis.RESERVED_361: supplier.reserved_art361,
    }
    if purchase.legal_basis in reserved and not reserved[purchase.legal_basis]:
        raise InvalidInput(
            field_errors={
                field: [
                    _("%(supplier)s is not eligible for this reserved order.")
                    % {"supplier": supplier.name}
                ]
            }
        )


def invitation_token(invitation: Invitation) -> str:
    """The personal link's token: signed, so it cannot be guessed; valid until the
    purchase's deadline (checked against the database when used)."""
    return signing.dumps({"i": invitation.pk}, salt=TOKEN_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The invitation of a personal link that is still open; ``NotVisible`` for a bad
    token, ``Conflict`` once the deadline has passed."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise NotVisible() from None
    invitation = (
        Invitation.objects.select_related("purchase__organisation", "purchase__band", "supplier")
        .filter(pk=data.get("i"))
        .first()
    )
    if invitation is None:
        raise NotVisible()
    return invitation


def _check_open(purchase: Purchase, at=None) -> None:
    at = at or timezone.now()
    if (
        purchase.state != PurchaseState.QUOTING
        or purchase.quote_deadline is None
        or at >= purchase.quote_deadline
    ):
        raise Conflict(_("The deadline for offers has passed; offers can no longer be submitted."))


def attachment_validate(upload: UploadedFile) -> str:
    """The content type of an offer attachment, judged by its first bytes (PDF, JPEG or
    PNG) and its size; ``InvalidInput`` otherwise."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            field_errors={
                "attachments": [
                    _("%(name)s is larger than %(mb)d MB.")
                    % {"name": upload.name, "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                ]
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in ATTACHMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise InvalidInput(
        field_errors={
            "attachments": [_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name}]
        }
    )


def _check_answers(purchase: Purchase, answers: dict) -> dict:
    clean = {}
    errors = []
    for criterion in purchase.criteria.all():
        if criterion.is_price:
            continue
        raw = answers.get(str(criterion.pk), answers.get(criterion.pk))
        try:
            value = Decimal(str(raw).replace(",", "."))
            if value < 0 or not value.is_finite():
                raise ValueError
        except (ValueError, ArithmeticError):
            errors.append(_("Give a number (0 or more) for “%(name)s”.") % {"name": criterion.name})
            continue
        clean[str(criterion.pk)] = str(value)
    if errors:
        raise InvalidInput(field_errors={"answers": errors})
    return clean


def _check_prices(price_net: Decimal, price_gross: Decimal) -> None:
    if price_net is None or price_gross is None or price_net <= 0:
        raise InvalidInput(field_errors={"price_net": [_("Give the net price (more than 0).")]})
    if price_gross < price_net:
        raise InvalidInput(
            field_errors={"price_gross": [_("The gross price cannot be below the net price.")]}
        )


def _offer_save(
    *,
    purchase: Purchase,
    supplier: Supplier,
    channel: str,
    price_net: Decimal,
    price_gross: Decimal,
    answers: dict,
    attachments: list,
    submitted_at,
    actor: User | None,
) -> Offer:
    _check_prices(price_net, price_gross)
    answers = _check_answers(purchase, answers or {})
    types = [attachment_validate(upload) for upload in attachments or []]
    offer = Offer.objects.filter(purchase=purchase, supplier=supplier).first()
    if offer is None:
        offer = Offer.objects.create(
            purchase=purchase,
            supplier=supplier,
            channel=channel,
            price_net=price_net,
            price_gross=price_gross,
            answers=answers,
            submitted_at=submitted_at,
            recorded_by=actor,
        )
    else:
        offer.channel, offer.price_net, offer.price_gross = channel, price_net, price_gross
        offer.answers, offer.submitted_at, offer.recorded_by = answers, submitted_at, actor
        offer.save(
            update_fields=[
                "channel",
                "price_net",
                "price_gross",
                "answers",
                "submitted_at",
                "recorded_by",
            ]
        )
    for upload, content_type in zip(attachments or [], types, strict=True):
        OfferAttachment.objects.create(
            offer=offer,
            file=upload,
            name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
        )
    return offer


@transaction.atomic
def offer_submit(
    *,
    invitation: Invitation,
    price_net: Decimal,
    price_gross: Decimal,
    answers: dict | None = None,
    attachments: list | None = None,
) -> Offer:
    """An invited supplier's offer through the personal link (replaces an earlier one)."""
    purchase = Purchase.objects.select_for_update().get(pk=invitation.purchase_id)
    _check_open(purchase)
    return _offer_save(
        purchase=purchase,
        supplier=invitation.supplier,
        channel=Offer.Channel.LINK,
        price_net=price_net,
        price_gross=price_gross,
        answers=answers or {},
        attachments=attachments or [],
        submitted_at=timezone.now(),
        actor=None,
    )


@transaction.atomic
def offer_submit_public(
    *,
    purchase: Purchase,
    supplier_fields: dict,
    price_net: Decimal,
    price_gross: Decimal,
    answers: dict | None = None,
    attachments: list | None = None,
) -> Offer:
    """Any supplier's offer to a published public inquiry; the supplier is found in the
    registry by NIP, or registered."""
    purchase = (
        Purchase.objects.select_for_update(of=("self",)).select_related("band").get(pk=purchase.pk)
    )
    if (
        purchase.band is None
        or purchase.band.procedure != ValueBand.Procedure.PUBLIC_INQUIRY
        or not purchase.published_at
    ):
        raise NotVisible()
    _check_open(purchase)
    nip = supplier_fields.get("nip", "").replace("-", "").replace(" ", "")
    supplier = (
        Supplier.objects.filter(organisation_id=purchase.organisation_id, nip=nip).first()
        if nip
        else None
    )
    if supplier is None:
        supplier = supplier_create(
            organisation=purchase.organisation, **{**supplier_fields, "nip": nip}
        )
    _check_eligible(purchase, supplier, field="__all__")
    return _offer_save(
        purchase=purchase,
        supplier=supplier,
        channel=Offer.Channel.PUBLIC,
        price_net=price_net,
        price_gross=price_gross,
        answers=answers or {},
        attachments=attachments or [],
        submitted_at=timezone.now(),
        actor=None,
    )


@transaction.atomic
def offer_record(
    *,
    purchase: Purchase,
    supplier: Supplier,
    actor: User,
    channel: str,
    price_net: Decimal,
    price_gross: Decimal,
    submitted_at=None,
    answers: dict | None = None,
    attachments: list | None = None,
) -> Offer:
    """An official records an offer received on paper or by e-mail before the deadline."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    if supplier.organisation_id != purchase.organisation_id:
        raise InvalidInput(field_errors={"supplier": [_("Choose a supplier from your registry.")]})
    if channel not in (Offer.Channel.PAPER, Offer.Channel.EMAIL):
        raise InvalidInput(
            field_errors={
                "channel": [_("An official records offers received on paper or by e-mail.")]
            }
        )
    _check_eligible(purchase, supplier, field="supplier")
    submitted_at = submitted_at or timezone.now()
    if purchase.state not in (PurchaseState.QUOTING, PurchaseState.EVALUATING) or (
        purchase.quote_deadline is None or submitted_at >= purchase.quote_deadline
    ):
        raise Conflict(_("Only offers received before the deadline can be recorded."))
    offer = _offer_save(
        purchase=purchase,
        supplier=supplier,
        channel=channel,
        price_net=price_net,
        price_gross=price_gross,
        answers=answers or {},
        attachments=attachments or [],
        submitted_at=submitted_at,
        actor=actor,
    )
    if purchase.state == PurchaseState.EVALUATING:
        offers_score(purchase=purchase)
    return offer


@transaction.atomic
def offer_reject(*, offer: Offer, actor: User, reason: str) -> Offer:
    purchase = Purchase.objects.select_for_update().get(pk=offer.purchase_id)
    if purchase.state != PurchaseState.EVALUATING:
        raise Conflict(_("Offers are rejected during the evaluation."))
    if not reason.strip():
        raise InvalidInput(field_errors={"reason": [_("Give the reason for rejecting the offer.")]})
    before = snapshot(offer, ["rejected", "rejection_reason"])
    offer.rejected = True
    offer.rejection_reason = reason
    offer.score = None
    offer.save(update_fields=["rejected", "rejection_reason", "score"])
    audit_record(
        obj=offer,
        actor=actor,
        action="offer_reject",
        before=before,
        after=snapshot(offer, ["rejected", "rejection_reason"]),
    )
    offers_score(purchase=purchase)
    return offer


@transaction.atomic
def offers_score(*, purchase: Purchase) -> list[Offer]:
    """Score the valid offers: the price criterion gives its weight times the lowest
    gross price over the offer's; every other criterion its weight times the offer's
    answer over the best answer (more scores higher)."""
    offers = list(purchase.offers.filter(rejected=False).order_by("pk"))
    criteria = list(purchase.criteria.all())
    if not offers:
        return []
    lowest = min(o.price_gross for o in offers)
    best = {
        str(c.pk): max(Decimal(o.answers.get(str(c.pk), "0")) for o in offers)
        for c in criteria
        if not c.is_price
    }
    for offer in offers:
        score = Decimal(0)
        for c in criteria:
            if c.is_price:
                score += c.weight * lowest / offer.price_gross
            elif best[str(c.pk)] > 0:
                score += c.weight * Decimal(offer.answers.get(str(c.pk), "0")) / best[str(c.pk)]
        offer.score = score.quantize(CENT, rounding=ROUND_HALF_UP)
        offer.save(update_fields=["score"])
    return offers


@transaction.atomic
def invitations_mark_sent(*, purchase_id: int, invitation_ids: list[int]) -> None:
    Invitation.objects.filter(purchase_id=purchase_id, pk__in=invitation_ids).update(
        sent_at=timezone.now()
    )
