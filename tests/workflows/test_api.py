import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, UserFactory
from tests.workflows.sample.models import State, Ticket
from workflows.engine import history_for, transition_apply
from workflows.errors import NotPermitted

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.sample.urls")]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ticket(organisation, resident):
    return Ticket.objects.create(organisation=organisation, requester=resident, title="Bench")


@pytest.fixture
def filed(ticket, resident):
    return transition_apply(obj=ticket, name="file", actor=resident)


def url(ticket, tail: str) -> str:
    return f"/api/v1/tickets/{ticket.pk}/{tail}"


def test_representation_has_state_label_and_transitions_for_the_caller(filed, official):
    response = client_for(official).get(f"/api/v1/tickets/{filed.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": filed.pk,
        "title": "Bench",
        "priority": None,
        "state": "filed",
        "state_label": "Filed",
        "transitions": [
            {
                "name": "accept",
                "label": "Accept",
                "target": "accepted",
                "allowed": True,
                "reason": None,
            }
        ],
    }


def test_permitted_transition_returns_the_updated_object(filed, official):
    response = client_for(official).post(
        url(filed, "transitions/accept/"), {"priority": 3, "comment": "ok"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["priority"]) == ("accepted", 3)


def test_invalid_payload_is_400_with_field_errors(filed, official):
    response = client_for(official).post(url(filed, "transitions/accept/"), {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Popraw błędy poniżej.",
        "errors": {"priority": ["To pole jest wymagane."]},
    }


def test_forbidden_actor_gets_403(filed, organisation):
    evaluator = UserFactory()
    from accounts.models import Role
    from accounts.services import membership_grant

    membership_grant(user=evaluator, organisation=organisation, role=Role.EVALUATOR)

    response = client_for(evaluator).post(
        url(filed, "transitions/accept/"), {"priority": 1}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Tylko urzędnik może to zrobić."}
    assert Ticket.objects.get(pk=filed.pk).state == State.FILED


def test_guard_refusal_is_409_with_its_reason(organisation, resident):
    untitled = Ticket.objects.create(organisation=organisation, requester=resident)

    response = client_for(resident).post(url(untitled, "transitions/file/"), {}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "A ticket needs a title before it is filed."}


def test_wrong_state_is_409(ticket, official):
    response = client_for(official).post(
        url(ticket, "transitions/accept/"), {"priority": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "„Accept” nie jest możliwe w stanie „Draft”."}


def test_object_of_another_organisation_is_404(filed):
    stranger = UserFactory()
    from accounts.models import Role
    from accounts.services import membership_grant

    membership_grant(user=stranger, organisation=OrganisationFactory(), role=Role.OFFICIAL)

    response = client_for(stranger).post(
        url(filed, "transitions/accept/"), {"priority": 1}, format="json"
    )

    assert response.status_code == 404
    assert client_for(stranger).get(url(filed, "history/")).status_code == 404


def test_unknown_transition_is_404(filed, official):
    response = client_for(official).post(url(filed, "transitions/explode/"), {}, format="json")

    assert response.status_code == 404


def test_history_lists_the_log(filed, official, resident):
    client_for(official).post(
        url(filed, "transitions/accept/"), {"priority": 4, "comment": "fine"}, format="json"
    )

    entries = client_for(official).get(url(filed, "history/")).json()

    assert [
        (e["transition"], e["source"], e["target"], e["actor"]["id"], e["comment"], e["payload"])
        for e in entries
    ] == [
        ("file", "draft", "filed", resident.pk, "", {}),
        ("accept", "filed", "accepted", official.pk, "fine", {"priority": 4}),
    ]


def test_messages_follow_the_request_language(filed, organisation):
    evaluator = UserFactory()
    from accounts.models import Role
    from accounts.services import membership_grant

    membership_grant(user=evaluator, organisation=organisation, role=Role.EVALUATOR)

    response = client_for(evaluator).post(
        url(filed, "transitions/accept/"),
        {"priority": 1},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json() == {"detail": "Only official may do this."}


def test_anonymous_is_refused(filed):
    response = APIClient().get(f"/api/v1/tickets/{filed.pk}/")

    assert response.status_code == 403


def test_token_authentication_is_accepted(filed, official):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=official)
    client = APIClient()

    response = client.get(f"/api/v1/tickets/{filed.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json()["state"] == "filed"


@pytest.fixture
def accept_system_only(monkeypatch):
    """``accept`` declared ``system_only=True``, as a batch's order transitions are."""
    method = Ticket._meta.get_field("state").transitions[Ticket]["accept"]
    [declared] = method._django_fsm.transitions.values()
    spec = declared.custom["spec"]
    monkeypatch.setitem(declared.custom, "spec", dataclasses.replace(spec, system_only=True))


@pytest.mark.usefixtures("accept_system_only")
def test_a_system_only_transition_is_refused_to_people_and_not_offered(filed, official):
    client = client_for(official)

    response = client.post(url(filed, "transitions/accept/"), {"priority": 3}, format="json")
    listed = client.get(f"/api/v1/tickets/{filed.pk}/").json()["transitions"]

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Tylko urzędnik może to zrobić."},
    )
    assert listed == []
    assert Ticket.objects.get(pk=filed.pk).state == State.FILED


@pytest.mark.usefixtures("accept_system_only")
def test_a_system_only_transition_runs_for_a_service_within_its_rule(filed, official, resident):
    with pytest.raises(NotPermitted) as refused:
        transition_apply(obj=filed, name="accept", actor=resident, payload={"priority": 1})
    with pytest.raises(NotPermitted):
        transition_apply(
            obj=filed, name="accept", actor=resident, payload={"priority": 1}, system=True
        )

    accepted = transition_apply(
        obj=filed, name="accept", actor=official, payload={"priority": 2}, system=True
    )

    assert str(refused.value) == "Tylko urzędnik może to zrobić."
    assert (accepted.state, accepted.priority) == (State.ACCEPTED, 2)
    assert history_for(filed).last().by == official


def test_a_list_leaves_the_transitions_to_the_objects_own_url(filed, official, monkeypatch):
    """#18: each row's rules and guards cost about as much as the row; a list gives
    ``null`` and the object's own URL (or a transition's answer) gives them."""
    calls = []
    monkeypatch.setattr("workflows.api.transitions_for", lambda obj, user: calls.append(obj) or [])
    client = client_for(official)

    listed = client.get("/api/v1/tickets/").json()["results"]
    assert [(row["id"], row["transitions"]) for row in listed] == [(filed.pk, None)]
    assert calls == []

    assert client.get(f"/api/v1/tickets/{filed.pk}/").json()["transitions"] == []
    assert calls == [filed]


def _ticket_selects(queries) -> list[str]:
    table = f'"{Ticket._meta.db_table}"'
    return [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and f"FROM {table}" in q["sql"]
    ]


def test_the_action_finds_and_locks_the_object_in_one_query(filed, official):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(official).post(
            url(filed, "transitions/accept/"), {"priority": 3}, format="json"
        )

    assert response.status_code == 200
    # Found and locked in one query; then read again for the answer (this viewset
    # answers from a fresh read).
    found, answer = _ticket_selects(queries.captured_queries)
    assert found.endswith(f'FOR UPDATE OF "{Ticket._meta.db_table}"')
    assert "FOR UPDATE" not in answer


def test_a_query_that_cannot_take_a_lock_is_read_then_locked(filed, official, monkeypatch):
    """A viewset whose query has DISTINCT (or GROUP BY, a union) is read as it is and
    the engine locks the row by its key."""
    from tests.workflows.sample.api import TicketViewSet

    plain = TicketViewSet.get_queryset
    monkeypatch.setattr(TicketViewSet, "get_queryset", lambda self: plain(self).distinct())
    with CaptureQueriesContext(connection) as queries:
        response = client_for(official).post(
            url(filed, "transitions/accept/"), {"priority": 3}, format="json"
        )

    assert (response.status_code, response.json()["state"]) == (200, "accepted")
    found, locked, answer = _ticket_selects(queries.captured_queries)
    assert "DISTINCT" in found and "FOR UPDATE" not in found
    assert "DISTINCT" not in locked and locked.endswith("FOR UPDATE")
    assert "FOR UPDATE" not in answer


@pytest.mark.django_db(transaction=True)
def test_an_object_said_to_be_locked_outside_a_transaction_is_refused(organisation, resident):
    ticket = Ticket.objects.create(organisation=organisation, requester=resident, title="T")

    with pytest.raises(RuntimeError, match="caller_locked outside the transaction"):
        transition_apply(obj=ticket, name="file", actor=resident, caller_locked=True)

    assert Ticket.objects.get(pk=ticket.pk).state == State.DRAFT
