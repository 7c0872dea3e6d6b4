"""Reads of this process: querysets with their joins made, scoped to the user."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Case,
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import has_role
from attachments.models import Attachment
from attachments.selectors import attachments_of
from documents.formatting import format_amount
from notifications.messages import Line

from .models import (
    Invitation,
    Offer,
    Purchase,
    SameKindGroup,
    Supplier,
    ThresholdSetting,
    ValueBand,
)
from .workflow import COUNTED_STATES, PurchaseState

# The threshold guard --------------------------------------------------------------


ZERO = Decimal("0.00")
# What a counted purchase adds to its group: the awarded value with its annexes once
# awarded, the estimate before (``Purchase.counted_net`` in SQL).
COUNTED_NET = Case(
    When(awarded_net__isnull=False, then=F("awarded_net") + F("annexes_net")),
    default=F("estimated_net"),
    output_field=DecimalField(max_digits=12, decimal_places=2),
)


def counted_others(purchase: Purchase) -> QuerySet[Purchase]:
    """The other purchases of ``purchase``'s group and financial year that count towards
    its aggregate: past their draft and not cancelled (served by the partial index
    ``purchase_counted_idx``)."""
    return Purchase.objects.filter(
        organisation_id=purchase.organisation_id,
        group_id=purchase.group_id,
        year=purchase.year,
        state__in=COUNTED_STATES,
    ).exclude(pk=purchase.pk)


def counted_total(purchase: Purchase) -> Decimal:
    """The sum of ``counted_others``, added up by the database in one query."""
    total = counted_others(purchase).aggregate(
        total=Coalesce(Sum(COUNTED_NET), Value(ZERO), output_field=COUNTED_NET.output_field)
    )["total"]
    return Decimal(total).quantize(ZERO)


@dataclass(frozen=True)
class Aggregate:
    """The threshold guard's computation for one purchase. The total is summed by the
    database; the rows behind it (``counted``) are read only when they are shown: in a
    refusal or in the record kept at admission."""

    group_name: str
    year: int
    on: datetime.date
    threshold: Decimal | None
    threshold_basis: str
    own: Decimal
    total: Decimal
    band: ValueBand | None
    strictest_band: ValueBand | None = field(default=None)
    purchase: Purchase | None = field(default=None, repr=False, compare=False)

    @property
    def admitted(self) -> bool:
        return self.threshold is not None and self.total < self.threshold

    @cached_property
    def counted(self) -> list[dict]:
        if self.purchase is None:
            return []
        rows = (
            counted_others(self.purchase)
            .order_by("pk")
            .values_list("number", "title", "awarded_net", "annexes_net", "estimated_net")
        )
        return [
            {
                "number": number,
                "title": title,
                "value": str(awarded + annexes if awarded is not None else estimated),
                "basis": "awarded" if awarded is not None else "estimate",
            }
            for number, title, awarded, annexes, estimated in rows
        ]

    def as_json(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "threshold": str(self.threshold) if self.threshold is not None else None,
            "counted": self.counted,
            "own": str(self.own),
            "total": str(self.total),
            "band": self.band.pk if self.band else None,
        }

    def refusal_message(self) -> str:
        if self.threshold is None:
            return _("No procurement threshold is configured for %(date)s.") % {
                "date": self.on.isoformat()
            }
        items = "; ".join(
            _("%(number)s “%(title)s” %(value)s (%(basis)s)")
            % {
                "number": row["number"],
                "title": row["title"],
                "value": format_amount(Decimal(row["value"])),
                "basis": _("awarded") if row["basis"] == "awarded" else _("estimate"),
            }
            for row in self.counted
        )
        return _(
            "The aggregated net value of orders of the same kind in the group “%(group)s” "
            "in %(year)d would be %(total)s: %(items)s plus this purchase, %(own)s. "
            "It reaches the threshold of %(threshold)s from which the public procurement law "
            "applies (art. 2 ust. 1 pkt 1 Pzp). An order may not be split nor its value "
            "understated to avoid the law (art. 29 Pzp), and orders of the same kind are "
            "added up (art. 30 Pzp). Only a unit head may submit it, with a written "
            "objective justification."
        ) % {
            "group": self.group_name,
            "year": self.year,
            "total": format_amount(self.total),
            "items": items or _("no other purchases"),
            "own": format_amount(self.own),
            "threshold": format_amount(self.threshold),
        }


def threshold_in_force(on: datetime.date) -> ThresholdSetting | None:
    return (
        ThresholdSetting.objects.filter(ThresholdSetting.in_force_filter(on))
        .order_by("-valid_from")
        .first()
    )


def bands_in_force(*, organisation_id: int, on: datetime.date) -> list[ValueBand]:
    return list(
        ValueBand.objects.filter(
            ValueBand.in_force_filter(on), organisation_id=organisation_id
        ).order_by("lower_net", "pk")
    )


def aggregate_for(
    purchase: Purchase, *, on: datetime.date | None = None, own: Decimal | None = None
) -> Aggregate:
    """Add up the purchase's group in its financial year: every other purchase past its
    draft and not cancelled (awarded value once awarded, estimate before), plus this one
    (at ``own`` when given: the value it would have, e.g. an offer's before the award).

    Callers that admit a purchase on this result hold the group's aggregation lock
    (``services.aggregation_lock``)."""
    on = on or timezone.localdate()
    total = counted_total(purchase)
    own = purchase.counted_net if own is None else own
    total += own
    threshold = threshold_in_force(on)
    bands = bands_in_force(organisation_id=purchase.organisation_id, on=on)
    band = next((b for b in bands if b.covers(total)), None)
    return Aggregate(
        group_name=purchase.group.name,
        year=purchase.year,
        on=on,
        threshold=threshold.net_amount if threshold else None,
        threshold_basis=threshold.legal_basis if threshold else "",
        own=own,
        total=total,
        band=band,
        strictest_band=bands[-1] if bands else None,
        purchase=purchase,
    )


# Purchases ------------------------------------------------------------------------


def purchases_for(*, user) -> QuerySet[Purchase]:
    """Purchases of the organisations where ``user`` holds any role."""
    if not user.is_authenticated:
        return Purchase.objects.none()
    return Purchase.objects.filter(organisation_id__in=user.organisation_ids()).select_related(
        "organisation",
        "group",
        "band",
        "classification",
        "area",
        "requested_by",
        "awarded_offer__supplier",
    )


def purchase_detail_for(*, user) -> QuerySet[Purchase]:
    """``purchases_for`` with criteria and invitations prefetched (one purchase's page)."""
    return purchases_for(user=user).prefetch_related(
        "criteria",
        Prefetch("invitations", queryset=Invitation.objects.select_related("supplier")),
        "annexes",
    )


def register_for(
    *,
    user,
    year: int | None = None,
    state: str = "",
    group_id: int | None = None,
    procedure: str = "",
    query: str = "",
    organisation_id: int | None = None,
) -> QuerySet[Purchase]:
    """The register of purchases (rejestr zamówień), filtered; joins made for export."""
    purchases = purchases_for(user=user).select_related("invoice")
    if organisation_id:
        purchases = purchases.filter(organisation_id=organisation_id)
    if year:
        purchases = purchases.filter(year=year)
    if state:
        purchases = purchases.filter(state=state)
    if group_id:
        purchases = purchases.filter(group_id=group_id)
    if procedure:
        purchases = purchases.filter(band__procedure=procedure)
    if query:
        purchases = purchases.filter(Q(title__icontains=query) | Q(number__icontains=query))
    # Within an organisation's year the numbers follow the pk (…/ZP/2026/9 before /10),
    # which sorting the number as text would not.
    return purchases.order_by("-year", "organisation_id", "pk")


def groups_for(*, user) -> QuerySet[SameKindGroup]:
    return SameKindGroup.objects.filter(organisation_id__in=user.organisation_ids()).order_by(
        "organisation_id", "name"
    )


def suppliers_for(*, user) -> QuerySet[Supplier]:
    return Supplier.objects.filter(organisation_id__in=user.organisation_ids()).order_by(
        "name", "pk"
    )


def bands_for(*, user) -> QuerySet[ValueBand]:
    return ValueBand.objects.filter(organisation_id__in=user.organisation_ids()).order_by(
        "organisation_id", "-valid_from", "lower_net"
    )


# Offers: sealed until the deadline -----------------------------------------------


def offers_for(*, user) -> QuerySet[Offer]:
    """Offers of purchases ``user`` may see. Whether their content may be read is
    ``offer_is_open(offer)``: the serializers, pages and admin show the price, answers
    and attachments only then."""
    if not user.is_authenticated:
        return Offer.objects.none()
    return (
        Offer.objects.filter(purchase__organisation_id__in=user.organisation_ids())
        .select_related("purchase", "supplier")
        .prefetch_related("attachments")
        .order_by("purchase_id", "submitted_at", "pk")
    )


def offer_is_open(offer: Offer) -> bool:
    """An offer's content is readable once its purchase's deadline has passed."""
    return offer.purchase.offers_open


def offers_opened_for(*, user) -> QuerySet[Offer]:
    """The offers ``user`` may read now: ``offers_for`` whose purchase's offers are
    opened (``Purchase.offers_open_condition``, the query form of ``offer_is_open``);
    who sees an offer's files in the attachments app."""
    return offers_for(user=user).filter(
        Purchase.offers_open_condition(timezone.now(), prefix="purchase__")
    )


def attachment_for(*, user, offer_id: int, pk: int) -> Attachment | None:
    """A file of offer ``offer_id`` that ``user`` may download now (the offer is
    opened), else ``None``."""
    offer = offers_for(user=user).filter(pk=offer_id).first()
    if offer is None or not offer_is_open(offer):
        return None
    return attachments_of(offer).filter(pk=pk).first()


def public_inquiries() -> QuerySet[Purchase]:
    """Public inquiries open for offers now (the public page)."""
    now = timezone.now()
    return (
        Purchase.objects.filter(
            state=PurchaseState.QUOTING,
            band__procedure=ValueBand.Procedure.PUBLIC_INQUIRY,
            published_at__isnull=False,
            quote_deadline__gt=now,
        )
        .select_related("organisation", "group", "band")
        .prefetch_related("criteria")
        .order_by("quote_deadline", "pk")
    )


# The home page --------------------------------------------------------------------


@dataclass(frozen=True)
class PendingAction:
    label: str
    url: str
    due: datetime.date | None = None


def pending_actions(user) -> list:
    """What waits for ``user`` in this process (listed on the home page)."""
    if not user.is_authenticated or not user.organisation_ids():
        return []
    now = timezone.now()
    waiting = Q(state=PurchaseState.SUBMITTED) | Q(
        state__in=[
            PurchaseState.QUOTING,
            PurchaseState.EVALUATING,
            PurchaseState.AWARDED,
            PurchaseState.IN_EXECUTION,
            PurchaseState.DELIVERED,
            PurchaseState.ACCEPTED,
            PurchaseState.INVOICED,
            PurchaseState.PAID,
        ]
    )
    actions = []
    purchases = purchases_for(user=user).filter(waiting).order_by("pk")
    for purchase in purchases:
        label = _what_waits(purchase, user, now)
        if label:
            actions.append(
                PendingAction(
                    label=Line(
                        gettext_lazy("%(step)s: %(number)s %(title)s"),
                        {"step": label, "number": purchase.number, "title": purchase.title},
                    ),
                    url=reverse("purchases:detail", args=[purchase.pk]),
                    due=timezone.localdate(purchase.quote_deadline)
                    if purchase.state == PurchaseState.QUOTING and purchase.quote_deadline
                    else None,
                )
            )
    return actions


def _what_waits(purchase: Purchase, user, now) -> str:
    def holds(role: str) -> bool:
        return has_role(user, purchase.organisation_id, role)

    s = PurchaseState
    if purchase.state == s.SUBMITTED:
        if purchase.funds_confirmed_at is None and holds(Role.FINANCE):
            return gettext_lazy("Confirm the funds")
        if purchase.funds_confirmed_at is not None and holds(Role.UNIT_HEAD):
            return gettext_lazy("Approve the purchase")
        return ""
    if purchase.state == s.INVOICED:
        return gettext_lazy("Pay the invoice") if holds(Role.FINANCE) else ""
    if not holds(Role.OFFICIAL):
        return ""
    if purchase.state == s.QUOTING:
        return gettext_lazy("Open the offers") if purchase.offers_open_at(now) else ""
    return {
        s.EVALUATING: gettext_lazy("Evaluate and award"),
        s.AWARDED: gettext_lazy("Record the signed order"),
        s.IN_EXECUTION: gettext_lazy("Record the delivery"),
        s.DELIVERED: gettext_lazy("Accept the delivery"),
        s.ACCEPTED: gettext_lazy("Record the invoice"),
        s.PAID: gettext_lazy("Close the file"),
    }.get(purchase.state, "")
