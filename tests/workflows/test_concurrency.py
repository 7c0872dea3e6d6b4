"""Two transitions of one object at once, on PostgreSQL: exactly one applies."""

import pytest
from django_fsm_log.models import StateLog

from tests.concurrency import run_concurrently
from tests.workflows.sample.models import State, Ticket
from workflows.engine import transition_apply
from workflows.errors import Conflict

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_transitions_apply_exactly_one(organisation, resident, official):
    ticket = Ticket.objects.create(organisation=organisation, requester=resident, title="T")
    transition_apply(obj=ticket, name="file", actor=resident)

    outcomes = run_concurrently(
        [
            lambda: transition_apply(
                obj=ticket, name="accept", actor=official, payload={"priority": 1}
            ),
            lambda: transition_apply(obj=ticket, name="expire", actor=None),
        ]
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    [error] = [value for kind, value in outcomes if kind == "error"]
    assert isinstance(error, Conflict)
    assert error.status_code == 409
    final = Ticket.objects.get(pk=ticket.pk).state
    assert final in (State.ACCEPTED, State.EXPIRED)
    assert StateLog.objects.filter(transition__in=["accept", "expire"]).count() == 1


def test_same_transition_twice_at_once_applies_once(organisation, resident, official):
    ticket = Ticket.objects.create(organisation=organisation, requester=resident, title="T")
    transition_apply(obj=ticket, name="file", actor=resident)

    outcomes = run_concurrently(
        [
            lambda: transition_apply(
                obj=ticket, name="accept", actor=official, payload={"priority": 2}
            ),
            lambda: transition_apply(
                obj=ticket, name="accept", actor=official, payload={"priority": 5}
            ),
        ]
    )

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert StateLog.objects.filter(transition="accept").count() == 1
    assert Ticket.objects.get(pk=ticket.pk).state == State.ACCEPTED
