"""The list of payment batches is paginated, newest first, 50 a page: its cost does not
grow with every batch ever made (issue 18, "Unpaginated pages")."""

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


@pytest.mark.parametrize("rows", [10, 120])
def test_the_batch_list_takes_the_same_queries_for_10_and_120_batches(
    world, django_assert_num_queries, rows
):
    numbers = made(world, rows)

    for url, expected in [("/finanse/paczki/", numbers[:50]), ("/finanse/paczki/?page=2", None)]:
        session = web(fresh(world.preparer))
        # session, user, roles, unread messages (layout), the count, the page's ids and
        # the page's rows with their totals
        with django_assert_num_queries(7):
            response = session.get(url)
        if expected is not None:
            assert listed(response) == expected


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
    links = nav(second)
    assert "<p>Strona 2 z 3</p>" in links
    assert '<a href="?state=draft&amp;page=1" rel="prev">Poprzednia</a>' in links
    assert '<a href="?state=draft&amp;page=3" rel="next">Następna</a>' in links
    assert '<a href="?state=draft&amp;page=2" aria-current="page">2</a>' in links


@pytest.mark.parametrize(
    "page, rows", [("abc", slice(0, 50)), ("999", slice(50, 55)), ("-1", slice(50, 55))]
)
def test_a_page_out_of_range_or_garbage_shows_the_first_or_the_last_page(world, page, rows):
    numbers = made(world, 55)

    assert listed(web(world.preparer).get(f"/finanse/paczki/?page={page}")) == numbers[rows]


def test_the_state_filter_applies_before_the_pages(world):
    numbers = made(world, 3)
    approved = world.approved([world.order()])

    client = web(world.preparer)

    assert listed(client.get("/finanse/paczki/?state=approved")) == [approved.number]
    assert listed(client.get("/finanse/paczki/?state=draft")) == numbers
    assert listed(client.get("/finanse/paczki/")) == [approved.number, *numbers]
    assert nav(client.get("/finanse/paczki/")) == ""
