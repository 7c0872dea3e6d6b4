"""During implementation: budget shifts within the tolerance are recorded and approved;
bigger ones make an annex, a new version of the agreement document."""

from decimal import Decimal

import pytest

from documents.models import Document

from .conftest import api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.agreement_in_implementation()


def ask(world, agreement, shifts):
    return api(world.resident).post(
        f"/api/v1/grant-agreements/{agreement.pk}/change-requests/",
        {"description": "Przesunięcie", "shifts": shifts},
        format="json",
    )


def test_a_shift_within_the_tolerance_needs_no_annex(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    # 10% of 2700 is 270: moving 200 to... but the admin line (300) may move only 30.
    response = ask(world, agreement, {materials.pk: "2730.00", admin.pk: "270.00"})

    assert response.status_code == 201
    assert response.json()["needs_annex"] is False
    approved = api(world.official).post(
        f"/api/v1/grant-agreements/{agreement.pk}/change-requests/{response.json()['id']}/approve/"
    )
    assert approved.status_code == 200
    materials.refresh_from_db()
    assert (materials.from_grant, materials.own_money) == (Decimal("2730.00"), Decimal("270.00"))
    assert Document.objects.filter(kind="agreement", object_id=agreement.pk).count() == 1


def test_a_bigger_shift_makes_an_annex_with_a_new_document_version(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    response = ask(world, agreement, {materials.pk: "3000.00", admin.pk: "0.00"})

    assert response.json()["needs_annex"] is True
    assert (
        api(world.resident)
        .post(
            f"/api/v1/grant-agreements/{agreement.pk}/change-requests/{response.json()['id']}/approve/"
        )
        .status_code
        == 403
    )
    api(world.official).post(
        f"/api/v1/grant-agreements/{agreement.pk}/change-requests/{response.json()['id']}/approve/"
    )

    versions = Document.objects.filter(kind="agreement", object_id=agreement.pk).order_by("version")
    assert [d.version for d in versions] == [1, 2]
    assert versions[0].sha256 != versions[1].sha256


def test_a_shift_must_keep_the_total(world, agreement):
    materials, _admin = agreement.application.budget_lines.order_by("pk")

    response = ask(world, agreement, {materials.pk: "2800.00"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "shifts": ["Przesunięcie środków między pozycjami nie może zmienić łącznej kwoty dotacji."]
    }


def test_a_call_with_approved_grants_keeps_its_budget_line_and_enough_pool(world):
    world.agreement_in_implementation()  # 3000 zł approved from the call
    call = world.call

    response = api(world.official).patch(
        f"/api/v1/grant-calls/{call.pk}/", {"pool": "2999.99", "year": 2027}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "classification": [
            "Z tego naboru przyznano już dotacje: jego klasyfikacja budżetowa i rok nie "
            "mogą się już zmienić."
        ],
        "pool": ["Pula nie może być mniejsza niż przyznane już 3\u202f000,00\u00a0zł."],
    }
    call.refresh_from_db()
    assert (call.pool, call.year) == (world.call.pool, 2026)
