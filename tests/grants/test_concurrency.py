"""On PostgreSQL: officials approving at once never overspend the pool, and
submissions at once get distinct, gapless numbers."""

from decimal import Decimal

import pytest

from grants.models import Application, Call
from grants.services import pool_committed
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from workflows.engine import transition_apply
from workflows.errors import Conflict

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_approvals_fit_exactly_seven_in_the_pool(world):
    # 20 evaluated applications of 3000 zł each (requested) approved at 1000 zł:
    # a pool of 7000 zł fits exactly seven.
    call = world.make_call(code="FS2", pool=Decimal("7000.00"))
    applicants = [UserFactory() for _ in range(20)]
    applications = [world.evaluated(applicant=a, call=call) for a in applicants]
    assert {a.state for a in applications} == {"evaluated"}

    def approve(application):
        return lambda: transition_apply(
            obj=application,
            name="approve",
            actor=world.official,
            payload={"amount": "1000.00", "justification": "Mieści się w puli."},
        )

    outcomes = run_concurrently([approve(a) for a in applications])

    succeeded = [value for kind, value in outcomes if kind == "ok"]
    failed = [value for kind, value in outcomes if kind == "error"]
    assert len(succeeded) == 7
    assert len(failed) == 13
    assert all(isinstance(error, Conflict) for error in failed)
    assert {str(error) for error in failed} == {
        "Z puli 7 000,00 zł zostało 0,00 zł; kwota 1 000,00 zł się nie mieści."
    }
    call.refresh_from_db()
    assert pool_committed(call) == Decimal("7000.00")
    assert Application.objects.filter(call=call, state="budget_revision").count() == 7


def test_fifty_concurrent_submissions_get_distinct_gapless_numbers(world):
    drafts = [world.draft(applicant=UserFactory()) for _ in range(50)]

    outcomes = run_concurrently(
        [lambda d=d: transition_apply(obj=d, name="submit", actor=d.applicant) for d in drafts]
    )

    assert [kind for kind, _ in outcomes] == ["ok"] * 50
    numbers = sorted(Application.objects.filter(call=world.call).values_list("number", flat=True))
    assert numbers == [f"GMP/2026/FS1/{n:04d}" for n in range(1, 51)]
    world.call.refresh_from_db()
    assert world.call.next_number == 51


def test_a_number_from_ten_thousand_keeps_all_its_digits(world):
    """The number is formatted in SQL on PostgreSQL as in Python elsewhere: four digits
    at least, never cut."""
    Call.objects.filter(pk=world.call.pk).update(next_number=9999)

    neighbour = UserFactory()
    first = transition_apply(obj=world.draft(), name="submit", actor=world.resident)
    second = transition_apply(obj=world.draft(applicant=neighbour), name="submit", actor=neighbour)

    assert (first.sequence, first.number) == (9999, "GMP/2026/FS1/9999")
    assert (second.sequence, second.number) == (10000, "GMP/2026/FS1/10000")
    assert Call.objects.get(pk=world.call.pk).next_number == 10001
    assert list(
        Application.objects.filter(pk__in=[first.pk, second.pk])
        .order_by("sequence")
        .values_list("number", flat=True)
    ) == ["GMP/2026/FS1/9999", "GMP/2026/FS1/10000"]
