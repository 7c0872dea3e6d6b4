import dataclasses

import pytest
from django.db import transaction
from django_fsm_log.models import StateLog

from tests.factories import UserFactory
from tests.workflows.sample.models import EFFECTS_RUN, State, Ticket, has_title
from workflows.engine import history_for, transition_apply, transitions_for
from workflows.errors import GuardRefused, InvalidInput, NotPermitted, TransitionNotAvailable
from workflows.log import log_payload
from workflows.models import TransitionPayload
from workflows.transitions import Effect, TransitionEvent, event_log, event_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(organisation, resident):
    return Ticket.objects.create(organisation=organisation, requester=resident, title="Bench")


@pytest.fixture(autouse=True)
def _clear_effects():
    EFFECTS_RUN.clear()


def test_direct_assignment_to_the_state_is_refused(ticket):
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        ticket.state = State.FILED
    ticket.refresh_from_db()
    assert ticket.state == State.DRAFT


def test_applied_transition_changes_state_and_leaves_one_log_row(ticket, resident):
    result = transition_apply(obj=ticket, name="file", actor=resident, payload={"comment": "Go"})

    assert result.state == State.FILED
    assert Ticket.objects.get(pk=ticket.pk).state == State.FILED
    [entry] = history_for(ticket)
    assert (entry.transition, entry.source_state, entry.state) == ("file", "draft", "filed")
    assert entry.by == resident
    assert entry.description == "Go"
    assert log_payload(entry) == {}
    assert not TransitionPayload.objects.filter(log=entry).exists()  # no row of {}


def test_payload_is_validated_and_logged(ticket, resident, official):
    transition_apply(obj=ticket, name="file", actor=resident)
    result = transition_apply(
        obj=ticket, name="accept", actor=official, payload={"priority": "2", "comment": ""}
    )

    assert result.priority == 2
    entry = history_for(ticket).last()
    assert entry.by == official
    assert entry.payload.data == {"priority": 2}


def test_invalid_payload_changes_nothing(ticket, resident, official):
    transition_apply(obj=ticket, name="file", actor=resident)

    with pytest.raises(InvalidInput) as caught:
        transition_apply(obj=ticket, name="accept", actor=official, payload={"priority": "9"})

    assert caught.value.field_errors == {
        "priority": ["Upewnij się, że ta wartość jest mniejsza lub równa 5."]
    }
    assert Ticket.objects.get(pk=ticket.pk).state == State.FILED
    assert StateLog.objects.count() == 1


def test_actor_without_the_role_is_not_permitted(ticket, resident):
    transition_apply(obj=ticket, name="file", actor=resident)
    outsider = UserFactory()

    with pytest.raises(NotPermitted) as caught:
        transition_apply(obj=ticket, name="accept", actor=outsider, payload={"priority": 1})

    assert str(caught.value) == "Tylko urzędnik może to zrobić."


def test_guard_refuses_with_its_reason(organisation, resident):
    untitled = Ticket.objects.create(organisation=organisation, requester=resident, title="")

    with pytest.raises(GuardRefused) as caught:
        transition_apply(obj=untitled, name="file", actor=resident)

    assert str(caught.value) == "A ticket needs a title before it is filed."
    assert Ticket.objects.get(pk=untitled.pk).state == State.DRAFT


def test_transition_from_the_wrong_state_is_refused(ticket, official):
    with pytest.raises(TransitionNotAvailable) as caught:
        transition_apply(obj=ticket, name="accept", actor=official, payload={"priority": 1})

    assert str(caught.value) == "„Accept” nie jest możliwe w stanie „Draft”."


def test_system_transitions_admit_only_the_system(ticket, resident):
    with pytest.raises(NotPermitted):
        transition_apply(obj=ticket, name="expire", actor=resident)

    assert transition_apply(obj=ticket, name="expire", actor=None).state == State.EXPIRED
    assert history_for(ticket).get().by is None


def test_transitions_for_says_who_may_run_what_and_why_not(organisation, resident, official):
    untitled = Ticket.objects.create(organisation=organisation, requester=resident, title="")

    options = transitions_for(untitled, resident)

    assert [(o.name, o.allowed, o.reason) for o in options] == [
        ("file", False, "A ticket needs a title before it is filed.")
    ]
    assert [(o.name, o.allowed, o.reason) for o in transitions_for(untitled, official)] == [
        ("file", False, "Tylko zgłaszający może to zrobić.")
    ]


def test_side_effects_run_after_commit(django_capture_on_commit_callbacks, ticket, resident):
    with django_capture_on_commit_callbacks(execute=True):
        transition_apply(obj=ticket, name="file", actor=resident)

    [event] = EFFECTS_RUN
    assert (event.model, event.object_id, event.transition) == ("sample.ticket", ticket.pk, "file")
    assert (event.source, event.target, event.actor_id) == ("draft", "filed", resident.pk)


@pytest.mark.django_db(transaction=True)
def test_side_effect_of_a_rolled_back_transaction_never_runs(ticket, resident):
    class AbortError(Exception):
        pass

    with pytest.raises(AbortError), transaction.atomic():
        transition_apply(obj=ticket, name="file", actor=resident)
        raise AbortError

    assert EFFECTS_RUN == []
    assert Ticket.objects.get(pk=ticket.pk).state == State.DRAFT
    assert StateLog.objects.count() == 0


@pytest.fixture
def has_title_runs(monkeypatch):
    """Counts the runs of the ``file`` transition's guard."""
    runs = []
    check = has_title.check

    def counted(ticket):
        runs.append(ticket.pk)
        return check(ticket)

    monkeypatch.setattr(has_title, "check", counted)
    return runs


def test_each_guard_runs_once_per_transition(ticket, resident, has_title_runs):
    transition_apply(obj=ticket, name="file", actor=resident)

    assert has_title_runs == [ticket.pk]


def test_listing_the_actions_runs_each_guard_once(ticket, resident, has_title_runs):
    options = transitions_for(ticket, resident)

    assert [(o.name, o.allowed) for o in options] == [("file", True)]
    assert has_title_runs == [ticket.pk]


def test_effects_get_the_engines_object_and_log_without_reading_them_again(
    ticket, resident, monkeypatch, django_assert_num_queries
):
    """#18: each effect read the object and its log entry once more in the same
    transaction; while the engine runs them it hands over its own."""
    seen = []

    def probe(event):
        with django_assert_num_queries(0):
            seen.append((event_object(event), event_log(event)))

    method = Ticket._meta.get_field("state").transitions[Ticket]["file"]
    [declared] = method._django_fsm.transitions.values()
    spec = declared.custom["spec"]
    probed = dataclasses.replace(spec, effects=(Effect(probe, "probe"),))
    monkeypatch.setitem(declared.custom, "spec", probed)

    filed = transition_apply(obj=ticket, name="file", actor=resident, payload={"comment": "Ok"})

    [(obj, log)] = seen
    assert obj is filed
    assert (obj.state, log.transition, log.description) == (State.FILED, "file", "Ok")


def test_outside_the_engine_an_event_reads_its_object_and_log(ticket, resident):
    filed = transition_apply(obj=ticket, name="file", actor=resident)
    entry = StateLog.objects.get(object_id=ticket.pk, transition="file")
    event = TransitionEvent(
        model="sample.ticket",
        object_id=ticket.pk,
        transition="file",
        source=State.DRAFT,
        target=State.FILED,
        actor_id=resident.pk,
        log_id=entry.pk,
    )

    assert (event_object(event), event_object(event) is filed) == (filed, False)
    assert event_log(event) == entry
