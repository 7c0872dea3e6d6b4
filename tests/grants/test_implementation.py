"""During implementation: budget shifts within the tolerance are recorded and approved;
bigger ones make an annex, a new version of the agreement document."""

import subprocess
from decimal import Decimal

import pytest

from documents.models import Document

from .conftest import api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.agreement_in_implementation()


def pdf_words(document, *options) -> str:
    """The PDF's text with runs of whitespace as one space; with ``-layout`` one line
    of the page per line."""
    with document.file.open("rb") as pdf:
        text = subprocess.run(
            ["pdftotext", *options, "-", "-"], input=pdf.read(), capture_output=True, check=True
        ).stdout.decode()
    return (
        "\n".join(" ".join(line.split()) for line in text.splitlines())
        if options
        else " ".join(text.split())
    )


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

    # The agreement keeps its one document; the annex is a document of its own.
    assert [d.version for d in Document.objects.filter(kind="agreement")] == [1]
    [annex] = Document.objects.filter(kind="annex", object_id=agreement.pk)
    assert (annex.title, annex.number, annex.version) == (
        "Aneks nr 1 do umowy nr U/GMP/2026/FS1/0001",
        "U/GMP/2026/FS1/0001/A/1",
        1,
    )
    words = pdf_words(annex)
    assert "Aneks nr 1 do umowy nr U/GMP/2026/FS1/0001" in words
    assert "Nr U/GMP/2026/FS1/0001/A/1" in words
    assert "Strony zmieniają umowę nr U/GMP/2026/FS1/0001" in words
    # The budget as annexed: materials 3000 from the grant and 0 own money, the
    # administration line 0 from the grant and 300 own money.
    lines = pdf_words(annex, "-layout").splitlines()
    # Columns: total, from the grant, own money, in kind (descriptions wrap).
    assert "Materiały Sadzonki 3 000,00 zł 3 000,00 zł 0,00 zł 0,00 zł" in lines
    assert "Koszty Obsługa 300,00 zł 0,00 zł 300,00 zł 0,00 zł" in lines
    assert "(zmiana zatwierdzona 23 listopada 2026 r.)." in words
    assert "r.." not in words
    assert "Umowa dotacji" not in words
    materials.refresh_from_db()
    assert (materials.from_grant, materials.own_money) == (Decimal("3000.00"), Decimal("0.00"))


def test_a_second_annex_has_the_next_number(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    for shifts in (
        {materials.pk: "3000.00", admin.pk: "0.00"},
        {materials.pk: "2700.00", admin.pk: "300.00"},
    ):
        change = ask(world, agreement, shifts).json()
        api(world.official).post(
            f"/api/v1/grant-agreements/{agreement.pk}/change-requests/{change['id']}/approve/"
        )

    annexes = Document.objects.filter(kind="annex", object_id=agreement.pk).order_by("version")
    assert [(d.number, d.title) for d in annexes] == [
        ("U/GMP/2026/FS1/0001/A/1", "Aneks nr 1 do umowy nr U/GMP/2026/FS1/0001"),
        ("U/GMP/2026/FS1/0001/A/2", "Aneks nr 2 do umowy nr U/GMP/2026/FS1/0001"),
    ]


def test_no_budget_line_may_have_a_negative_source(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    # The administration line costs 300 zł: 600 zł from the grant would leave its own
    # money at -300 zł; materials at -100 zł from the grant is refused too.
    response = ask(world, agreement, {materials.pk: "3100.00", admin.pk: "-100.00"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "shifts": [
            "Pozycja „Sadzonki i ziemia” kosztuje 3 000,00 zł: przy 3 100,00 zł z dotacji jej "
            "środki własne wyniosłyby -100,00 zł. Żadne źródło finansowania pozycji nie może "
            "być ujemne.",
            "Pozycja „Obsługa księgowa” kosztuje 300,00 zł: przy -100,00 zł z dotacji jej "
            "środki własne wyniosłyby 400,00 zł. Żadne źródło finansowania pozycji nie może "
            "być ujemne.",
        ]
    }
    response = ask(world, agreement, {materials.pk: "2400.00", admin.pk: "600.00"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "shifts": [
            "Pozycja „Obsługa księgowa” kosztuje 300,00 zł: przy 600,00 zł z dotacji jej "
            "środki własne wyniosłyby -300,00 zł. Żadne źródło finansowania pozycji nie może "
            "być ujemne."
        ]
    }
    assert not agreement.change_requests.exists()
    admin.refresh_from_db()
    assert (admin.from_grant, admin.own_money) == (Decimal("300.00"), Decimal("0.00"))


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
        "pool": ["Pula nie może być mniejsza niż przyznane już 3 000,00 zł."],
    }
    call.refresh_from_db()
    assert (call.pool, call.year) == (world.call.pool, 2026)
