"""Reads of finance data."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet, Sum

from accounts.models import Role
from accounts.permissions import organisation_ids_readable, organisation_ids_with
from workflows.processes import offering

from ..models import BudgetClassification, PaymentOrder


def payment_orders_for_source(*, source: models.Model) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).order_by("due_date", "pk")


#: Who sees the organisation's money: finance and administrators.
FINANCE_ROLES = (Role.FINANCE, Role.ORG_ADMIN)


def planned_classifications(organisation_id: int) -> QuerySet:
    """The budget classifications the organisation's plan has lines for, newest year
    first (what a commitment may be booked against)."""
    return (
        BudgetClassification.objects.filter(budgetplanline__organisation_id=organisation_id)
        .distinct()
        .order_by("-year", "section", "chapter", "paragraph")
    )


def finance_organisation_ids(user) -> list[int]:
    """The organisations whose money ``user`` may see."""
    return organisation_ids_with(user, *FINANCE_ROLES)


def sums_by_line(
    queryset: QuerySet, amount, *, owner: str = "", organisation_ids, year, classification_id=None
) -> dict[tuple[int, int], Decimal]:
    """The sum of ``amount`` (a field or an expression) over ``queryset`` per budget
    plan line, ``{(organisation id, classification id): Decimal}``, for the
    classifications of ``year`` (or the one ``classification_id``). ``owner`` is the
    path to what carries the organisation and the classification (``"call__"``), empty
    when the rows carry them. One query; what the budget check and the processes'
    ``committed`` and ``returned`` are made of."""
    queryset = queryset.filter(
        **{f"{owner}organisation_id__in": organisation_ids, f"{owner}classification__year": year}
    )
    if classification_id is not None:
        queryset = queryset.filter(**{f"{owner}classification_id": classification_id})
    rows = queryset.values_list(f"{owner}organisation_id", f"{owner}classification_id").annotate(
        total=Sum(amount)
    )
    return {(o, c): total or Decimal("0.00") for o, c, total in rows.order_by()}


def finance_readable_ids(user) -> list[int]:
    """The organisations whose money ``user`` may read: their own and, read-only, the
    operators serving them (writes keep asking ``finance_organisation_ids``/roles)."""
    return organisation_ids_readable(user, *FINANCE_ROLES)


def commitments_of_later_years(*, organisation_id: int, year: int) -> list[tuple[int, Decimal]]:
    """What the processes have already committed to each budget year after ``year``
    (multi-year agreements), oldest year first: the rows of the multi-year financial
    forecast (WPF) on the yearly summary."""
    totals: dict[int, Decimal] = {}
    for forecast in offering("forecast"):
        for later, amount in forecast(organisation_id=organisation_id, from_year=year + 1).items():
            totals[later] = totals.get(later, Decimal("0.00")) + amount
    return sorted(totals.items())
