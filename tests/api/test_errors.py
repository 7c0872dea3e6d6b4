"""One error family: model validation and the database's constraints reach an API
client as 400 with field errors in Polish, never as a server error."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from grants.models import Call
from workflows.api import exception_handler

ERROR = "Popraw błędy poniżej."


def call_body(world, **overrides) -> dict:
    body = {
        "organisation": world.organisation.pk,
        "procedure": "neighbourhood_fund",
        "code": "FS9",
        "title": "Fundusz 2027",
        "year": 2027,
        "pool": "10000.00",
        "min_grant": "500.00",
        "max_grant": "5000.00",
        "max_duration_days": 60,
        "opens_at": "2027-01-10T08:00:00+01:00",
        "closes_at": "2027-02-10T23:59:00+01:00",
        "cost_categories": [{"name": "Materiały", "cap_share": "0.50"}],
    }
    body.update(overrides)
    return body


def post_call(world, **overrides):
    client = APIClient()
    client.force_authenticate(world.official)
    return client.post("/api/v1/grant-calls/", call_body(world, **overrides), format="json")


def test_a_call_closing_before_it_opens_is_a_400_at_the_field(grant_world):
    response = post_call(grant_world, closes_at="2027-01-01T08:00:00+01:00")

    assert response.status_code == 400
    assert response.json() == {
        "detail": ERROR,
        "errors": {"closes_at": ["Nabór wniosków musi się zakończyć później, niż się rozpoczyna."]},
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"year": 0}, {"year": ["Podaj wartość od 2000 do 2100."]}),
        ({"year": 2101}, {"year": ["Podaj wartość od 2000 do 2100."]}),
        ({"pool": "-1.00"}, {"pool": ["Podaj wartość nie mniejszą niż 0.00."]}),
        (
            {"min_grant": "600.00", "max_grant": "500.00"},
            {"max_grant": ["Maksymalna kwota dotacji nie może być niższa niż minimalna."]},
        ),
        ({"budget_shift_tolerance": "2"}, {"budget_shift_tolerance": ["Podaj wartość od 0 do 1."]}),
        (
            {"evaluators_per_application": 0},
            {"evaluators_per_application": ["Podaj wartość nie mniejszą niż 1."]},
        ),
        (
            {"cost_categories": [{"name": "Materiały", "cap_share": "7.0"}]},
            {"cost_categories[0].cap_share": ["Podaj wartość od 0 do 1."]},
        ),
        (
            {"criteria": [{"name": "Wartość", "max_points": 0}]},
            {"criteria[0].max_points": ["Podaj wartość nie mniejszą niż 1."]},
        ),
    ],
    ids=[
        "year-0",
        "year-2101",
        "pool",
        "max-below-min",
        "tolerance",
        "evaluators",
        "cap",
        "points",
    ],
)
def test_a_call_outside_the_meaningful_ranges_is_refused_at_the_field(
    grant_world, overrides, errors
):
    response = post_call(grant_world, **overrides)

    assert response.status_code == 400
    assert response.json() == {"detail": ERROR, "errors": errors}
    assert Call.objects.filter(code="FS9").exists() is False


def test_a_call_of_a_sensible_year_with_a_cap_within_the_cost_is_created(grant_world):
    response = post_call(grant_world)

    assert response.status_code == 201
    assert (response.json()["year"], response.json()["cost_categories"][0]["cap_share"]) == (
        2027,
        "0.5000",
    )


def test_a_second_call_with_the_same_code_and_year_is_a_400(grant_world):
    response = post_call(grant_world, code="FS1", year=2026)

    assert response.status_code == 400
    assert response.json() == {
        "detail": ERROR,
        "errors": {"code": ["Ten kod ma już inny nabór z tego samego roku."]},
    }


def test_a_unique_constraint_the_database_refuses_is_a_400_at_its_field(grant_world):
    """The race: both requests passed validation, the database keeps the second out."""
    call = grant_world.call
    try:
        with transaction.atomic():
            Call.objects.create(
                organisation=call.organisation,
                procedure=call.procedure,
                code=call.code,
                title="Duplikat",
                year=call.year,
                pool=Decimal("1.00"),
                max_grant=Decimal("1.00"),
                max_duration_days=1,
                opens_at=call.opens_at,
                closes_at=call.opens_at + datetime.timedelta(days=1),
            )
    except IntegrityError as exc:
        response = exception_handler(exc, {})

    assert response.status_code == 400
    assert response.data == {
        "detail": ERROR,
        "errors": {
            "code": [
                "Istnieje już instancja modelu Nabór mająca takie same pole/pola Organisation, "
                "Rok budżetowy i Kod."
            ]
        },
    }
