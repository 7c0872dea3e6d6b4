"""The art. 251 deadline for returning unused grant money, and the interest after it."""

import datetime
from decimal import Decimal

import pytest

from grants import services
from grants.document_contexts import representative_label
from grants.models import Return
from tests.conftest import NOW
from workflows.engine import transition_apply


@pytest.mark.parametrize(
    ("spending_deadline", "deadline"),
    [
        # ust. 2: the spending period ends during the year -> 15 days after it.
        (datetime.date(2026, 6, 30), datetime.date(2026, 7, 15)),
        (datetime.date(2026, 12, 20), datetime.date(2027, 1, 4)),
        # ust. 1: the period ends with the budget year -> 31 January of the next year.
        (datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)),
        (datetime.date(2027, 12, 31), datetime.date(2028, 1, 31)),
    ],
)
def test_unused_money_is_due_15_days_after_the_period_or_on_31_january(spending_deadline, deadline):
    assert services.unused_return_deadline(spending_deadline) == deadline


def _settled_unused_return(world, spending_deadline):
    application = transition_apply(
        obj=world.evaluated(),
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "J"},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 11, 30))],
        spending_deadline=spending_deadline,
    )
    deadline = services.unused_return_deadline(spending_deadline)
    return Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.UNUSED,
        amount=Decimal("600.00"),
        deadline=deadline,
        interest_from=deadline + datetime.timedelta(days=1),
    )


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=NOW.tzinfo)


def test_unused_money_returned_by_31_january_bears_no_interest(world, clock):
    ret = _settled_unused_return(world, datetime.date(2026, 12, 31))

    clock.move_to(noon(datetime.date(2027, 1, 31)))  # a return is recorded once made
    ret = services.return_record(
        ret=ret, actor=world.official, returned_on=datetime.date(2027, 1, 31)
    )

    assert (ret.deadline, ret.interest_from, ret.interest) == (
        datetime.date(2027, 1, 31),
        datetime.date(2027, 2, 1),
        Decimal("0.00"),
    )


def test_interest_on_unused_money_runs_from_1_february(world, clock):
    ret = _settled_unused_return(world, datetime.date(2026, 12, 31))

    clock.move_to(noon(datetime.date(2027, 2, 1)))  # a return is recorded once made
    ret = services.return_record(
        ret=ret, actor=world.official, returned_on=datetime.date(2027, 2, 1)
    )

    # 600 x 12% x 1 day (1 Feb 2027) / 365 = 0.197 -> 0.20.
    assert ret.interest == Decimal("0.20")


def test_a_period_ending_mid_year_is_due_15_days_later_with_interest_the_day_after(world, clock):
    ret = _settled_unused_return(world, datetime.date(2026, 12, 20))

    clock.move_to(noon(datetime.date(2027, 1, 5)))  # a return is recorded once made
    ret = services.return_record(
        ret=ret, actor=world.official, returned_on=datetime.date(2027, 1, 5)
    )

    # Due 4 January 2027; 600 x 12% x 1 day (5 Jan 2027) / 365 = 0.197 -> 0.20.
    assert (ret.deadline, ret.interest) == (datetime.date(2027, 1, 4), Decimal("0.20"))


@pytest.mark.parametrize(
    ("full_name", "function", "label"),
    [
        ("Maria Prezydent", "Prezydent Miasta", "Maria Prezydent – Prezydent Miasta"),
        # The function typed as the name: printed once.
        ("Prezydent Miasta", "Prezydent Miasta", "Prezydent Miasta"),
        ("Prezydent Miasta", "Prezydent Miasta Przykładowo", "Prezydent Miasta Przykładowo"),
        ("", "Wójt Gminy", "Wójt Gminy"),
        ("Anna Wójt", "", "Anna Wójt"),
    ],
)
def test_a_representative_is_printed_without_repeating_the_function(full_name, function, label):
    assert representative_label(full_name, function) == label
