"""Reads of payment batches and the queue of unpaid orders, scoped to the user's
finance organisations (finance and organisation administrators see; finance acts)."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Role
from accounts.permissions import organisation_ids_with

from ..models import BankAccount, BatchItem, PaymentBatch, PaymentOrder
from ..workflow import BatchState, PaymentState
from . import finance_organisation_ids, finance_readable_ids

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def payment_queue(
    *,
    user,
    due_by: datetime.date | None = None,
    organisation_id: int | None = None,
    account: str = "",
    kind: str = "",
) -> QuerySet[PaymentOrder]:
    """Orders still to be paid and in no batch, soonest due first."""
    orders = PaymentOrder.objects.filter(
        organisation_id__in=finance_organisation_ids(user), state=PaymentState.ORDERED
    )
    if due_by:
        orders = orders.filter(due_date__lte=due_by)
    if organisation_id:
        orders = orders.filter(organisation_id=organisation_id)
    if account:
        orders = orders.filter(account_number__contains=account.replace(" ", ""))
    if kind:
        orders = orders.filter(kind=kind)
    return orders.select_related("organisation").order_by("due_date", "pk")


def _with_totals(batches: QuerySet[PaymentBatch]) -> QuerySet[PaymentBatch]:
    """The batches with their item count and totals, each a correlated subquery: it is
    computed for the rows returned only (a page of 50 after an index scan), not summed
    over every batch before the page is cut, and a count drops it."""
    items = BatchItem.objects.filter(batch=OuterRef("pk")).order_by().values("batch")
    live = ~Q(outcome=BatchItem.Outcome.REMOVED)

    def total(condition):
        summed = items.filter(condition).annotate(sum=Sum("amount")).values("sum")
        return Coalesce(Subquery(summed, output_field=ZERO.output_field), ZERO)

    counted = items.filter(live).annotate(count=Count("pk")).values("count")
    return batches.annotate(
        items_count=Coalesce(Subquery(counted), 0),
        total=total(live),
        paid_total=total(Q(outcome=BatchItem.Outcome.PAID)),
        rejected_total=total(Q(outcome=BatchItem.Outcome.REJECTED)),
        pending_total=total(Q(outcome=BatchItem.Outcome.PENDING)),
    )


def batches_for(*, user, state: str = "") -> QuerySet[PaymentBatch]:
    batches = PaymentBatch.objects.filter(organisation_id__in=finance_readable_ids(user))
    if state:
        batches = batches.filter(state=state)
    return _with_totals(
        batches.select_related("organisation", "account", "created_by", "approved_by").defer(
            "file_content"  # read only when the file is downloaded
        )
    ).order_by("-created_at", "-pk")


def batch_list_for(*, user, state: str = "") -> QuerySet[PaymentBatch]:
    """The batch list's rows, newest first, without totals: paginate this, then read the
    page's totals with ``batches_with_totals`` so that a page costs the same whatever
    the number of batches and items."""
    batches = PaymentBatch.objects.filter(organisation_id__in=finance_readable_ids(user))
    if state:
        batches = batches.filter(state=state)
    return batches.order_by("-created_at", "-pk")


def batches_with_totals(batch_ids: list[int]) -> list[PaymentBatch]:
    """The batches ``batch_ids`` in that order, with their totals and related rows."""
    batches = _with_totals(
        PaymentBatch.objects.filter(pk__in=batch_ids)
        .select_related("organisation", "account", "created_by", "approved_by")
        .defer("file_content")
    ).in_bulk()
    return [batches[pk] for pk in batch_ids if pk in batches]


def batch_detail_for(*, user) -> QuerySet[PaymentBatch]:
    return _with_totals(
        PaymentBatch.objects.filter(organisation_id__in=finance_readable_ids(user))
        .select_related("organisation", "account", "created_by", "approved_by", "exported_by")
        .defer("file_content")  # read only when the file is downloaded
    )


def batch_items(batch: PaymentBatch, *, with_removed: bool = True) -> QuerySet[BatchItem]:
    items = batch.items.select_related("order", "added_by").order_by("pk")
    if not with_removed:
        items = items.exclude(outcome=BatchItem.Outcome.REMOVED)
    return items


def draft_batches_for(*, user) -> QuerySet[PaymentBatch]:
    """Drafts the user may add orders to (finance role)."""
    return (
        PaymentBatch.objects.filter(
            organisation_id__in=organisation_ids_with(user, Role.FINANCE),
            state=BatchState.DRAFT,
        )
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


def bank_accounts_for(*, user) -> QuerySet[BankAccount]:
    """Active debit accounts of the organisations where the user is finance."""
    return BankAccount.objects.filter(
        organisation_id__in=organisation_ids_with(user, Role.FINANCE), active=True
    ).select_related("organisation")


def bank_accounts_managed_by(*, user) -> QuerySet[BankAccount]:
    """Every account, active or not, of the organisations where the user is finance or
    administrator: the bank accounts page."""
    return (
        BankAccount.objects.filter(
            organisation_id__in=organisation_ids_with(user, Role.FINANCE, Role.ORG_ADMIN)
        )
        .select_related("organisation")
        .order_by("organisation__name", "-active", "name", "pk")
    )
