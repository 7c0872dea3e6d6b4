"""The list of payment batches is paginated, newest first, 50 a page, without counting
the batches: its cost does not grow with every batch ever made (issue 18,
"Unpaginated pages")."""

import re
from decimal import Decimal

import pytest
import time_machine

from tests.clients import web

from .batches_support import NOW, World, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


def made(world, count: int) -> list[str]:
    """``count`` batches of one order each; their numbers newest first."""
    return [world.batch([world.order()]).number for _ in range(count)][::-1]


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [batch.number for batch in response.context["batches"]]


def nav(response) -> str:
    match = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize(
    "rows, page, shown",
    [(10, "", slice(0, 10)), (120, "", slice(0, 50)), (60, "2", slice(50, 60)), (120, "2", None)],
)
def test_the_batch_list_takes_the_same_queries_for_10_and_120_batches(
    world, django_assert_num_queries, rows, page, shown
):
    numbers = made(world, rows)
    session = web(fresh(world.preparer))

    # session, user, roles, unread messages (layout), the page's ids (and one more, for
    # the next link) and the page's rows with their totals; no count
    with django_assert_num_queries(6):
        response = session.get(f"/finanse/paczki/?page={page}")

    assert listed(response) == (numbers[shown] if shown else numbers[50:100])


def test_page_two_shows_the_next_older_batches_with_their_totals(world):
    numbers = made(world, 120)
    client = web(world.preparer)

    first = client.get("/finanse/paczki/")
    second = client.get("/finanse/paczki/?state=draft&page=2")
    third = client.get("/finanse/paczki/?state=draft&page=3")

    assert numbers[:3] == ["P/2026/0120", "P/2026/0119", "P/2026/0118"]
    assert listed(first) == numbers[:50]
    assert listed(second) == numbers[50:100]
    assert listed(third) == numbers[100:]
    assert [(b.items_count, b.total) for b in third.context["batches"]] == [
        (1, Decimal("1500.00"))
    ] * 20
    # Not counted: its own number and the links to the pages next to it.
    assert nav(second) == (
        '<nav class="pagination" aria-label="Strony">\n'
        "  <p>Strona 2</p>\n"
        "  <ul>\n"
        '    <li><a href="?state=draft&amp;page=1" rel="prev">Poprzednia</a></li>\n'
        "    \n"
        '    <li><a href="?state=draft&amp;page=3" rel="next">Następna</a></li>\n'
        "  </ul>\n"
        "</nav>"
    )
    assert "Następna" not in nav(third)
    assert '<a href="?state=draft&amp;page=2" rel="prev">Poprzednia</a>' in nav(third)
    assert "Poprzednia" not in nav(first)


@pytest.mark.parametrize(
    "page, rows", [("abc", slice(0, 50)), ("-1", slice(0, 50)), ("0", slice(0, 50))]
)
def test_a_garbage_page_number_shows_the_first_page(world, page, rows):
    numbers = made(world, 55)

    assert listed(web(world.preparer).get(f"/finanse/paczki/?page={page}")) == numbers[rows]


@pytest.mark.parametrize("page", ["3", "999"])
def test_a_page_past_the_end_shows_the_last_page(world, page):
    numbers = made(world, 55)

    response = web(world.preparer).get(f"/finanse/paczki/?page={page}")

    assert listed(response) == numbers[50:55]
    assert response.context["page"].number == 2
    assert '<a href="?page=1" rel="prev">Poprzednia</a>' in nav(response)
    assert "Następna" not in nav(response)


def test_a_page_past_the_end_of_an_empty_list_is_the_empty_first_page(world):
    response = web(world.preparer).get("/finanse/paczki/?page=4")

    assert listed(response) == []
    assert response.context["page"].number == 1
    assert "Żadna paczka nie pasuje." in response.content.decode()


def test_the_state_filter_applies_before_the_pages(world):
    numbers = made(world, 3)
    approved = world.approved([world.order()])

    client = web(world.preparer)

    assert listed(client.get("/finanse/paczki/?state=approved")) == [approved.number]
    assert listed(client.get("/finanse/paczki/?state=draft")) == numbers
    assert listed(client.get("/finanse/paczki/")) == [approved.number, *numbers]
    assert nav(client.get("/finanse/paczki/")) == ""
