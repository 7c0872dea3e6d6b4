"""Awards: reserving the pool (and the budget plan line) when a grant is approved."""

from decimal import Decimal

from django.utils.translation import gettext as _

from documents.formatting import format_amount
from finance.services import budget_check
from workflows.errors import GuardRefused, InvalidInput

from ..models import (
    ZERO,
    Application,
    Call,
)
from ..rules import yearly_cap_problem
from ..selectors import pool_committed, pool_share_left


def _pool_share_problem(call: Call, application: Application, amount: Decimal) -> str | None:
    """When the call's pool is split by municipality: the amount must also fit in what
    is left of the share of the municipality where the initiative takes place."""
    shares = pool_share_left(call)
    if not shares:
        return None
    if application.municipality_id is None:
        return _(
            "The call's pool is split by municipality and the application names no "
            "municipality of the initiative."
        )
    entry = shares.get(application.municipality_id)
    share = entry.share.amount if entry else ZERO
    left = entry.left if entry else ZERO
    if amount > left:
        return _(
            "%(municipality)s: its share of the pool, %(share)s, has %(left)s left; "
            "%(amount)s does not fit."
        ) % {
            "municipality": application.municipality.name,
            "share": format_amount(share),
            "left": format_amount(left),
            "amount": format_amount(amount),
        }
    return None


def pool_reserve(application: Application, amount: Decimal) -> None:
    """Inside the approve transition: with the call locked, make sure the approved sum
    stays within the pool (and the budget plan line, ``finance.services.budget.budget_check``),
    so officials deciding at once cannot overspend it."""
    if amount > application.requested_amount:
        raise InvalidInput(
            field_errors={
                "amount": [
                    _("At most the amount requested: %(requested)s.")
                    % {"requested": format_amount(application.requested_amount)}
                ]
            }
        )
    call = Call.objects.select_for_update(no_key=True).get(pk=application.call_id)
    committed = pool_committed(call)
    if committed + amount > call.pool:
        raise GuardRefused(
            _("The pool of %(pool)s has %(left)s left; %(amount)s does not fit.")
            % {
                "pool": format_amount(call.pool),
                "left": format_amount(call.pool - committed),
                "amount": format_amount(amount),
            }
        )
    problem = _pool_share_problem(call, application, amount)
    if problem:
        raise GuardRefused(problem)
    problem = yearly_cap_problem(application, amount)
    if problem:
        raise GuardRefused(problem)
    budget_check(
        organisation_id=call.organisation_id,
        year=call.year,
        classification=call.classification,
        amount=amount,
    )
