"""The published schema says what the API answers, and the purchases list filters."""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.purchases.factories import GroupFactory, bands_create, purchase_draft, user_with

from .conftest import openapi_schema

pytestmark = pytest.mark.django_db


def _ok(schema, path, method="get") -> dict:
    operation = schema["paths"][path][method]
    code = "201" if "201" in operation["responses"] else "200"
    return operation["responses"][code]["content"]["application/json"]["schema"]


def test_lists_that_are_not_paginated_are_published_as_plain_arrays():
    schema = openapi_schema()
    plain = [
        "/api/v1/grant-calls/{id}/history/",
        "/api/v1/grant-calls/{id}/ranking/",
        "/api/v1/grant-applications/{id}/documents/",
        "/api/v1/grant-agreements/{id}/documents/",
        "/api/v1/purchases/{id}/history/",
        "/api/v1/purchases/{id}/offers/",
        "/api/v1/payment-orders/{id}/history/",
    ]

    assert {path: _ok(schema, path)["type"] for path in plain} == dict.fromkeys(plain, "array")


def test_one_object_answers_are_published_as_their_object():
    schema = openapi_schema()

    assert _ok(schema, "/api/v1/budget-summary/") == {"$ref": "#/components/schemas/Summary"}
    assert _ok(schema, "/api/v1/grant-calls/{id}/assign-evaluators/", "post") == {
        "$ref": "#/components/schemas/Assigned"
    }
    assert schema["components"]["schemas"]["PurchaseList"]["properties"]["supplier"] == {
        "type": "string",
        "nullable": True,
    }


def test_every_operation_documents_the_error_answers():
    schema = openapi_schema()

    missing = [
        (method, path, code)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for code in ("400", "401", "403", "404")
        if code not in operation["responses"]
    ]

    assert missing == []


def test_the_purchases_list_filters_by_year(organisation, official):
    bands_create(organisation)
    group = GroupFactory(organisation=organisation)
    earlier = purchase_draft(
        organisation=organisation,
        official=official,
        group=group,
        estimated_on=datetime.date(2025, 2, 1),
        planned_start=datetime.date(2025, 4, 1),
        planned_end=datetime.date(2025, 6, 30),
    )
    later = purchase_draft(organisation=organisation, official=official, group=group)
    client = APIClient()
    client.force_authenticate(user_with(organisation, Role.FINANCE))

    by_year = {
        year: [
            row["id"] for row in client.get("/api/v1/purchases/", {"year": year}).json()["results"]
        ]
        for year in (2025, 2026, 2027)
    }
    refused = client.get("/api/v1/purchases/", {"year": "dwa tysiące"})

    assert by_year == {2025: [earlier.pk], 2026: [later.pk], 2027: []}
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Popraw błędy poniżej.",
        "errors": {"year": ["Wymagana poprawna liczba całkowita."]},
    }
    assert "year" in {
        p["name"] for p in openapi_schema()["paths"]["/api/v1/purchases/"]["get"]["parameters"]
    }
