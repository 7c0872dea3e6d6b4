"""What the micro-grant process commits of the budget plan, for ``finance.services.budget``.

Committed: the approved amounts of applications in the approved states (approved, or
approved at a lower amount and waiting for the revised budget) of the organisation's
calls, under each call's budget classification. Returned: returns after settlement
that the grantee actually paid back (with their date), under the same line. The
per-call rows of the yearly summary also give each call's pool as its planned amount
and its paid tranches.
"""

from decimal import Decimal

from django.db.models import Sum

from finance.models import PaymentOrder
from finance.selectors import sums_by_line
from finance.services.budget import Figures, SourceBudget, SummaryRow
from finance.workflow import PaymentState

from .models import Application, Call, Return
from .workflow import APPROVED_STATES

ZERO = Decimal("0.00")


def committed(*, organisation_ids, year, classification_id=None) -> dict:
    return sums_by_line(
        Application.objects.filter(state__in=APPROVED_STATES),
        "approved_amount",
        owner="call__",
        organisation_ids=organisation_ids,
        year=year,
        classification_id=classification_id,
    )


def returned(*, organisation_ids, year, classification_id=None) -> dict:
    return sums_by_line(
        Return.objects.filter(returned_on__isnull=False),
        "amount",
        owner="agreement__application__call__",
        organisation_ids=organisation_ids,
        year=year,
        classification_id=classification_id,
    )


def source_find(*, organisation_ids, number: str) -> Application | None:
    return (
        Application.objects.filter(call__organisation_id__in=organisation_ids, number=number)
        .select_related("call__classification")
        .first()
    )


def source_budget(source) -> SourceBudget | None:
    if not isinstance(source, Application):
        return None
    call = source.call
    return SourceBudget(
        organisation_id=call.organisation_id,
        year=call.year,
        classification=call.classification,
        number=source.number or str(source),
        url=source.get_absolute_url(),
    )


def summary_rows(*, organisation_id: int, year: int) -> list[SummaryRow]:
    """One row per call of the budget year: its pool, what it committed, paid and got
    back."""
    calls = list(
        Call.objects.filter(organisation_id=organisation_id, year=year)
        .select_related("classification")
        .order_by("code", "pk")
    )
    ids = [call.pk for call in calls]
    approved = dict(
        Application.objects.filter(call_id__in=ids, state__in=APPROVED_STATES)
        .values_list("call_id")
        .annotate(total=Sum("approved_amount"))
        .order_by()
    )
    paid = dict(
        PaymentOrder.objects.filter(
            tranche__agreement__application__call_id__in=ids, state=PaymentState.PAID
        )
        .values_list("tranche__agreement__application__call_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    back = dict(
        Return.objects.filter(agreement__application__call_id__in=ids, returned_on__isnull=False)
        .values_list("agreement__application__call_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return [
        SummaryRow(
            label=f"{call.code} {call.title}",
            url=call.get_absolute_url(),
            classification=call.classification,
            figures=Figures(
                planned=call.pool,
                committed=approved.get(call.pk) or ZERO,
                paid=paid.get(call.pk) or ZERO,
                returned=back.get(call.pk) or ZERO,
            ),
        )
        for call in calls
    ]
