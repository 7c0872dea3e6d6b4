"""Issue 12, the ranking page acts: approve down the ranking, reserve or reject in bulk
with one justification, each through its transition, within the pool."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grants.models import Application, Call
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def official_client(world) -> Client:
    client = Client()
    client.force_login(world.official)
    client.cookies["django_language"] = "pl"
    return client


@pytest.fixture
def two(world):
    return [world.evaluated(), world.evaluated(points=((7, 14), (8, 15)))]


def url(world) -> str:
    return f"/granty/nabory/{world.call.pk}/ranking/"


def test_the_page_proposes_amounts_down_the_ranking_and_ticks_them(world, two):
    page = official_client(world).get(url(world)).content.decode()

    first, second = two
    assert f'name="amount_{first.pk}" id="id_amount_{first.pk}" value="3000.00"' in page
    assert f'value="{first.pk}" id="tick-{first.pk}" checked' in page
    assert f'value="{second.pk}" id="tick-{second.pk}" checked' in page
    assert '<textarea name="justification"' in page


def test_approve_down_the_ranking_with_one_justification(world, two):
    first, second = two
    answer = official_client(world).post(
        url(world),
        {
            "applications": [first.pk, second.pk],
            f"amount_{first.pk}": "3000.00",
            f"amount_{second.pk}": "2500.00",
            "decision": "approve",
            "justification": "Decyzja komisji z 23 listopada.",
        },
    )

    assert answer.status_code == 302
    decided = {
        a.pk: (a.state, a.approved_amount, a.decision_justification)
        for a in Application.objects.filter(pk__in=[first.pk, second.pk])
    }
    assert decided == {
        first.pk: ("approved", 3000, "Decyzja komisji z 23 listopada."),
        second.pk: ("budget_revision", 2500, "Decyzja komisji z 23 listopada."),
    }
    assert Notification.objects.filter(kind="grants.application.approve").count() == 8


def test_a_decision_beyond_the_pool_decides_nothing_and_keeps_what_was_typed(world, two):
    first, second = two
    Call.objects.filter(pk=world.call.pk).update(pool=5000)

    answer = official_client(world).post(
        url(world),
        {
            "applications": [first.pk, second.pk],
            f"amount_{first.pk}": "3000.00",
            f"amount_{second.pk}": "3000.00",
            "decision": "approve",
            "justification": "Decyzja komisji.",
        },
    )

    assert answer.status_code == 200
    page = answer.content.decode()
    assert (
        f"{second.number}: Z puli 5 000,00 zł zostało 2 000,00 zł; kwota 3 000,00 zł się nie "
        "mieści. Nie podjęto żadnej decyzji." in page
    )
    assert "Decyzja komisji.</textarea>" in page
    assert sorted(
        Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    ) == ["evaluated", "evaluated"]


def test_reserve_and_reject_in_bulk(world, two):
    first, second = two
    client = official_client(world)

    client.post(
        url(world),
        {"applications": [first.pk], "decision": "put_on_reserve", "justification": "Rezerwa."},
    )
    client.post(
        url(world),
        {"applications": [second.pk], "decision": "reject", "justification": "Za mało."},
    )

    assert {a.pk: a.state for a in Application.objects.filter(pk__in=[first.pk, second.pk])} == {
        first.pk: "reserve",
        second.pk: "rejected",
    }


def test_nothing_ticked_is_an_error_at_the_list_not_a_failure(world, two):
    answer = official_client(world).post(
        url(world), {"decision": "reject", "justification": "Bez wyboru."}
    )

    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'id="id_applications_errors"' in page
    assert "Bez wyboru.</textarea>" in page


def test_the_ranking_page_does_a_constant_number_of_queries(world):
    world.evaluated()
    client = official_client(world)
    client.get(url(world))
    with CaptureQueriesContext(connection) as one:
        client.get(url(world))
    world.evaluated(points=((7, 14), (8, 15)))
    with CaptureQueriesContext(connection) as two:
        client.get(url(world))

    assert len(one) == len(two)
