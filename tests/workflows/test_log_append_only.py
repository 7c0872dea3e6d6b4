import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django_fsm_log.models import StateLog

from tests.workflows.sample.models import Ticket
from workflows.engine import transition_apply
from workflows.models import TransitionPayload

pytestmark = pytest.mark.django_db

REJECTED = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def logged(organisation, resident):
    ticket = Ticket.objects.create(organisation=organisation, requester=resident, title="T")
    transition_apply(obj=ticket, name="file", actor=resident, payload={"comment": "first"})
    return StateLog.objects.get()


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

    assert StateLog.objects.get().description == "first"
    assert TransitionPayload.objects.count() == 1


def test_orm_update_fails_too(logged):
    with pytest.raises(REJECTED, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=logged.pk).update(transition="forged")
