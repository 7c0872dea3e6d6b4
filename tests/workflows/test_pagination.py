"""#18: API lists are not counted; a page reads one row more to know whether a next
page exists (``workflows.pagination.Pagination``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.workflows.sample.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workflows.sample.urls")]

BASE = "http://testserver/api/v1/tickets/"


@pytest.fixture
def client(organisation, official):
    for n in range(5):
        Ticket.objects.create(organisation=organisation, requester=official, title=f"T{n}")
    client = APIClient()
    client.force_authenticate(official)
    return client


def ids(body) -> list[str]:
    return [row["title"] for row in body["results"]]


def test_a_page_with_more_after_it_does_not_count_the_list(client):
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/tickets/", {"page_size": 2}).json()

    assert first == {
        "count": None,
        "next": BASE + "?page=2&page_size=2",
        "previous": None,
        "results": first["results"],
    }
    assert ids(first) == ["T0", "T1"]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_last_page_knows_the_total_from_its_own_rows(client):
    last = client.get("/api/v1/tickets/", {"page_size": 2, "page": 3}).json()
    middle = client.get("/api/v1/tickets/", {"page_size": 2, "page": 2}).json()

    assert (last["count"], last["next"], last["previous"], ids(last)) == (
        5,
        None,
        BASE + "?page=2&page_size=2",
        ["T4"],
    )
    assert (middle["count"], middle["previous"], ids(middle)) == (
        None,
        BASE + "?page_size=2",
        ["T2", "T3"],
    )


def test_a_count_is_given_when_asked_for(client):
    body = client.get("/api/v1/tickets/", {"page_size": 2, "count": "true"}).json()

    assert (body["count"], ids(body)) == (5, ["T0", "T1"])


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "last"])
def test_a_page_that_does_not_exist_is_404(client, page):
    response = client.get("/api/v1/tickets/", {"page_size": 2, "page": page})

    assert response.status_code == 404


@pytest.mark.parametrize(("size", "shown"), [("0", 5), ("x", 5), ("-3", 5), ("1", 1)])
def test_a_page_size_that_is_not_a_positive_number_is_the_default(client, size, shown):
    body = client.get("/api/v1/tickets/", {"page_size": size}).json()

    assert len(body["results"]) == shown


def test_an_empty_list_is_a_page_with_count_zero(official):
    client = APIClient()
    client.force_authenticate(official)

    assert client.get("/api/v1/tickets/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
