"""Settlement (rozliczenie) and returns (zwroty) of unused or misused money, art. 251-252 u.f.p."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from finance.validators import paid_on_problem
from workflows.audit import audit_record, snapshot
from workflows.errors import Conflict, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Agreement,
    Return,
)
from ..selectors import (
    amount_paid,
    interest_compute,
)

RETURN_DAYS = 15  # art. 251 ust. 2 and art. 252 ust. 1 u.f.p.


def unused_return_deadline(spending_deadline: datetime.date) -> datetime.date:
    """Art. 251 u.f.p.: money unused by the end of the budget year is returned by
    31 January of the next year (ust. 1); when the spending period ends earlier in the
    year, within 15 days of its end (ust. 2)."""
    if (spending_deadline.month, spending_deadline.day) == (12, 31):
        return datetime.date(spending_deadline.year + 1, 1, 31)
    return spending_deadline + datetime.timedelta(days=RETURN_DAYS)


def settlement_compute(agreement: Agreement, *, finding_date: datetime.date) -> None:
    """Inside the settle transition: unused money (paid minus grant spending) is due
    on the art. 251 deadline (``unused_return_deadline``); money spent on ineligible expenses
    is due 15 days after the finding, with interest from the day of the transfer
    (art. 252)."""
    paid, first_transfer = amount_paid(agreement)
    expenses = list(agreement.report.expenses.all())
    spent = sum((e.from_grant for e in expenses), ZERO)
    misused = sum((e.from_grant for e in expenses if not e.eligible), ZERO)
    unused = paid - spent
    returns = []
    if unused > ZERO:
        deadline = unused_return_deadline(agreement.spending_deadline)
        returns.append(
            Return(
                agreement=agreement,
                kind=Return.Kind.UNUSED,
                amount=unused,
                deadline=deadline,
                interest_from=deadline + datetime.timedelta(days=1),
            )
        )
    if misused > ZERO:
        returns.append(
            Return(
                agreement=agreement,
                kind=Return.Kind.MISUSED,
                amount=misused,
                deadline=finding_date + datetime.timedelta(days=RETURN_DAYS),
                interest_from=first_transfer or finding_date,
            )
        )
    Return.objects.bulk_create(returns)


@transaction.atomic
def return_record(*, ret: Return, actor: User, returned_on: datetime.date) -> Return:
    """Record the day the money came back; the interest is computed to that day."""
    role_require(
        actor, ret.agreement.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message
    )
    problem = paid_on_problem(returned_on)
    if problem:
        raise InvalidInput(field_errors={"returned_on": [problem]})
    ret = Return.objects.select_for_update(no_key=True).get(pk=ret.pk)
    if ret.returned_on is not None:
        # A second recording would silently overwrite the first (and its interest);
        # the first one stands, as recorded in the audit trail.
        raise Conflict(
            _(
                "This return was already recorded as made on %(day)s; a recorded return "
                "cannot be recorded again."
            )
            % {"day": ret.returned_on.strftime("%d.%m.%Y")}
        )
    if ret.kind == Return.Kind.UNUSED and returned_on <= ret.deadline:
        interest = ZERO
    else:
        interest = interest_compute(ret.amount, ret.interest_from, returned_on)
    ret.returned_on = returned_on
    ret.interest = interest
    ret.save(update_fields=["returned_on", "interest"])
    audit_record(
        obj=ret,
        actor=actor,
        action="return_record",
        before={"returned_on": None, "interest": None},
        after=snapshot(ret, ["returned_on", "interest"]),
    )
    return ret
