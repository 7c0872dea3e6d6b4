import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django_fsm_log.models import StateLog

from tests.workflows.sample.models import Ticket
from workflows.engine import transition_apply
from workflows.models import TransitionPayload

pytestmark = pytest.mark.django_db

REJECTED = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def logged(organisation, resident, official):
    """The log of a transition with a payload (one without has no payload row)."""
    ticket = Ticket.objects.create(organisation=organisation, requester=resident, title="T")
    transition_apply(obj=ticket, name="file", actor=resident)
    transition_apply(
        obj=ticket, name="accept", actor=official, payload={"priority": "2", "comment": "first"}
    )
    return StateLog.objects.get(transition="accept")


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE django_fsm_log_statelog SET description = 'changed'",
        "DELETE FROM django_fsm_log_statelog",
        "UPDATE workflows_transitionpayload SET data = '{}'",
        "DELETE FROM workflows_transitionpayload",
    ],
)
def test_update_and_delete_on_the_log_fail(logged, statement):
    with (
        pytest.raises(REJECTED, match="The transition log is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert StateLog.objects.get(transition="accept").description == "first"
    assert list(TransitionPayload.objects.values_list("log_id", "data")) == [
        (logged.pk, {"priority": 2})
    ]


def test_orm_update_fails_too(logged):
    with pytest.raises(REJECTED, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=logged.pk).update(transition="forged")
