"""Invitations to quote and offers, sealed until the deadline. An offer's files are
attachments (``attachments`` app): judged, limited and scanned as every attachment,
before the purchase is locked, and kept sealed with the offer."""

from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from attachments.services import attachment_add_sealed, attachment_check
from workflows.audit import audit_record, snapshot
from workflows.errors import Conflict, InvalidInput, NotVisible

from ..models import (
    Invitation,
    Offer,
    Purchase,
    Supplier,
    ValueBand,
)
from ..workflow import PurchaseState
from .common import CENT, TOKEN_SALT
from .suppliers import supplier_create


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
    if not purchase.accepts_offers_at(at or timezone.now()):
        raise Conflict(_("The deadline for offers has passed; offers can no longer be submitted."))


def _check_files(uploads: list | None) -> list[tuple[object, str]]:
    """Each file of an offer with its content type, judged by the attachments' one
    check (content, size limit, virus scan), its refusal said at the form's
    ``attachments`` field. Asked before the purchase is locked: a scan may take
    seconds, and other suppliers submit to the same purchase near the deadline."""
    return [(upload, attachment_check(upload, field="attachments")) for upload in uploads or []]


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
    purchase: Purchase,
    supplier: Supplier,
    channel: str,
    price_net: Decimal,
    price_gross: Decimal,
    answers: dict | None,
    files: list[tuple[object, str]],
    *,
    submitted_at=None,
    actor: User | None = None,
) -> Offer:
    """Check and save a supplier's offer (replacing an earlier one) with its files
    (checked by ``_check_files``); without ``submitted_at`` it is submitted now,
    without ``actor`` by the supplier."""
    submitted_at = submitted_at or timezone.now()
    _check_prices(price_net, price_gross)
    answers = _check_answers(purchase, answers or {})
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
    for upload, content_type in files:
        attachment_add_sealed(owner=offer, actor=actor, upload=upload, content_type=content_type)
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
    files = _check_files(attachments)
    purchase = Purchase.objects.select_for_update().get(pk=invitation.purchase_id)
    _check_open(purchase)
    supplier = invitation.supplier
    return _offer_save(
        purchase, supplier, Offer.Channel.LINK, price_net, price_gross, answers, files
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
    files = _check_files(attachments)
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
        purchase, supplier, Offer.Channel.PUBLIC, price_net, price_gross, answers, files
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
    files = _check_files(attachments)
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
    if (
        purchase.state not in (PurchaseState.QUOTING, PurchaseState.EVALUATING)
        or purchase.quote_deadline is None
        or purchase.offers_open_at(submitted_at)
    ):
        raise Conflict(_("Only offers received before the deadline can be recorded."))
    offer = _offer_save(
        purchase,
        supplier,
        channel,
        price_net,
        price_gross,
        answers,
        files,
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
