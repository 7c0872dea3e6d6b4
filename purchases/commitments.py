"""What the micro-purchase process commits of the budget plan, for ``finance.services.budget``.

Committed: the contract value, gross (the awarded gross plus the annexes), of each
purchase from its award on - awarded, in execution, delivered, accepted, invoiced, paid
or closed - under the purchase's budget classification; a cancelled purchase commits
nothing. Purchases have no returns.
"""

from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Coalesce

from finance.selectors import sums_by_line
from finance.services.budget import SourceBudget

from .models import Purchase
from .workflow import PurchaseState

ZERO = Decimal("0.00")
S = PurchaseState
COMMITTED_STATES = (
    S.AWARDED,
    S.IN_EXECUTION,
    S.DELIVERED,
    S.ACCEPTED,
    S.INVOICED,
    S.PAID,
    S.CLOSED,
)


def committed(*, organisation_ids, year, classification_id=None) -> dict:
    return sums_by_line(
        Purchase.objects.filter(state__in=COMMITTED_STATES),
        Coalesce(F("awarded_gross"), ZERO) + F("annexes_gross"),
        organisation_ids=organisation_ids,
        year=year,
        classification_id=classification_id,
    )


def returned(*, organisation_ids, year, classification_id=None) -> dict:
    return {}


def source_find(*, organisation_ids, number: str) -> Purchase | None:
    return (
        Purchase.objects.filter(organisation_id__in=organisation_ids, number=number)
        .select_related("classification")
        .first()
    )


def source_budget(source) -> SourceBudget | None:
    if not isinstance(source, Purchase):
        return None
    return SourceBudget(
        organisation_id=source.organisation_id,
        year=source.year,
        classification=source.classification,
        number=source.number,
        url=source.get_absolute_url(),
    )
