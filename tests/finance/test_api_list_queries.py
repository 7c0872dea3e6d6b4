"""Every finance API list is a page and takes the same queries for 2 rows as for 12
(issue 18, "Pages after years of data"); the settlement register and the export log
have theirs in ``test_settlements``."""

from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clients import api

from .batches_support import NOW, World, fresh
from .budget_support import classification, plan

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/payment-orders/",
    "/api/v1/payment-batches/",
    "/api/v1/budget-classifications/?year=2026",
    "/api/v1/budget-plan-lines/?year=2026",
]


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def made(rows: int) -> World:
    world = World()
    for i in range(rows):
        world.batch([world.order(amount=f"{100 + i}.00")])
        line = classification(f"921-92105-{2300 + i}")
        plan(world.organisation, line, Decimal("1000.00") + i, world.preparer)
    return world


def counted(world) -> dict[str, tuple[int, int, int]]:
    """Per URL: the queries, the rows on the page and the count the page reports."""
    found = {}
    for url in URLS:
        client = api(fresh(world.preparer))  # the roles cache must not hide queries
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        body = response.json()
        found[url] = (len(queries), len(body["results"]), body["count"])
    return found


def test_the_finance_api_lists_take_the_same_queries_for_2_and_12_rows():
    small = counted(made(2))
    large = counted(made(12))

    assert {url: rows for url, (_q, rows, _c) in small.items()} == dict.fromkeys(URLS, 2)
    # the second world's rows only: each world is its own municipality, classification
    # lines are shared by every municipality
    assert {url: (rows, count) for url, (_q, rows, count) in large.items()} == {
        "/api/v1/payment-orders/": (12, 12),
        "/api/v1/payment-batches/": (12, 12),
        "/api/v1/budget-classifications/?year=2026": (12, 12),
        "/api/v1/budget-plan-lines/?year=2026": (12, 12),
    }
    assert {url: q for url, (q, _r, _c) in small.items()} == {
        url: q for url, (q, _r, _c) in large.items()
    }
