"""Reports on the statutory form: the final report renders to a PDF on submission,
whose spending by source adds up to the report's figures; a partial report for an
agreement paid in two tranches (refused for one tranche in one year)."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from documents.models import Document
from grants import services
from grants.models import Tranche
from workflows.engine import transition_apply
from workflows.errors import GuardRefused, InvalidInput
from workflows.outbox import outbox_flush

from .conftest import api

pytestmark = pytest.mark.django_db


def words(document: Document, *options: str) -> str:
    """The PDF's text with runs of whitespace as one space; with ``-layout`` one line
    of the page per line (a table row stays on its line)."""
    with document.file.open("rb") as f:
        text = subprocess.run(
            ["pdftotext", *options, "-", "-"], input=f.read(), capture_output=True, check=True
        ).stdout.decode()
    if options:
        return "\n".join(" ".join(line.split()) for line in text.splitlines())
    return " ".join(text.split())


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.agreement_in_implementation()


def test_the_final_report_pdf_adds_up_by_source(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    response = api(world.resident).put(
        f"/api/v1/grant-reports/for-agreement/{agreement.pk}/",
        {
            "narrative": "Posadziliśmy ogród, odbyły się 4 spotkania.",
            "volunteer_hours": "10",
            "achieved": {str(agreement.application.indicators.get().pk): "4"},
            "own_in_kind_used": "120.00",
            "fees_collected": "50.00",
            "other_public_funds_used": "20.00",
            "other_information": "Bez zmian w harmonogramie.",
            "attachments_list": "Lista obecności\nZdjęcia ogrodu",
            "expenses": [
                {
                    "document_number": "FV 1/12/2026",
                    "document_date": "2026-12-03",
                    "issuer": "Szkółka Zielona",
                    "purpose": "Sadzonki",
                    "budget_line": materials.pk,
                    "amount": "2950.00",
                    "from_grant": "2700.00",
                },
                {
                    "document_number": "R 7/2026",
                    "document_date": "2026-12-10",
                    "issuer": "Biuro Rachunkowe",
                    "purpose": "Rozliczenie",
                    "budget_line": admin.pk,
                    "amount": "300.00",
                    "from_grant": "290.00",
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["fees_collected"] == "50.00"
    report = agreement.report
    transition_apply(obj=report, name="submit", actor=world.resident)
    outbox_flush()

    [pdf] = Document.objects.filter(kind="report", object_id=report.pk)
    text = words(pdf)
    for heading in (
        "Część I. Sprawozdanie merytoryczne",
        "Część II. Sprawozdanie z wykonania wydatków",
        "II.1. Rozliczenie wydatków według pozycji kosztorysu",
        "II.2. Rozliczenie ze względu na źródło finansowania zadania publicznego",
        "Część III. Dodatkowe informacje",
        "Załączniki",
        "Oświadczenia",
    ):
        assert heading in text, heading
    assert "Sprawozdanie końcowe z wykonania zadania publicznego „Ogród społeczny" in text
    assert "Osiągnięty poziom 4,00 spotkania 4,00 spotkania Spotkania sąsiedzkie" in text
    # Spending: 3 250 zł of documents, of which 2 990 zł from the grant and 260 zł own
    # money (50 fees, 20 other public funds, 190 own funds); non-financial: 10 h x 30 zł
    # personal and 120 zł in kind. 2 990 + 260 + 300 + 120 = 3 670.
    assert "Razem wydatki 3 250,00 zł 2 990,00 zł" in words(pdf, "-layout")
    assert "1. Suma wszystkich kosztów realizacji zadania 3 670,00 zł 100,00%" in text
    assert "2. Kwota dotacji 2 990,00 zł 81,47%" in text
    assert "3. Wkład własny 680,00 zł 18,53%" in text
    assert "3.1. Wkład własny finansowy 260,00 zł" in text
    assert "3.1.1. środki finansowe własne 190,00 zł" in text
    assert "3.1.2. świadczenia pieniężne od odbiorców zadania 50,00 zł" in text
    assert "3.1.3. środki finansowe z innych źródeł publicznych 20,00 zł" in text
    assert "3.2. Wkład własny niefinansowy 420,00 zł" in text
    assert "3.2.1. wkład osobowy (10,00 h × 30,00 zł) 300,00 zł" in text
    assert "1. Lista obecności 2. Zdjęcia ogrodu" in text
    assert "FV 1/12/2026" in text


def test_a_partial_report_for_a_two_tranche_agreement(world, agreement):
    spending = {
        str(line.pk): {"from_grant": "0"} for line in agreement.application.budget_lines.all()
    }
    with pytest.raises(GuardRefused) as refused:
        services.partial_report_submit(
            agreement=agreement,
            actor=world.resident,
            period_start=datetime.date(2026, 12, 1),
            period_end=datetime.date(2026, 12, 10),
            narrative="Połowa.",
            spending=spending,
        )
    assert str(refused.value.message) == (
        "Sprawozdanie częściowe składa się tylko wtedy, gdy dotacja jest wypłacana w transzach "
        "lub zadanie trwa dłużej niż rok budżetowy; ta umowa ma jedną transzę i jeden rok."
    )
    # Two tranches (the agreement as made with an advance and a final payment).
    first = agreement.tranches.get()
    Tranche.objects.filter(pk=first.pk).update(amount=Decimal("2000.00"))
    Tranche.objects.create(
        agreement=agreement, amount=Decimal("1000.00"), due_date=datetime.date(2026, 12, 11)
    )
    materials, admin = agreement.application.budget_lines.order_by("pk")

    bad = api(world.resident).post(
        f"/api/v1/grant-agreements/{agreement.pk}/partial-reports/",
        {
            "period_start": "2026-12-10",
            "period_end": "2026-12-01",
            "narrative": "Połowa.",
            "spending": {str(materials.pk): {"from_grant": "-5"}},
        },
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"period_end", f"spending[{materials.pk}]"}

    response = api(world.resident).post(
        f"/api/v1/grant-agreements/{agreement.pk}/partial-reports/",
        {
            "period_start": "2026-12-01",
            "period_end": "2026-12-10",
            "narrative": "Posadziliśmy połowę sadzonek.",
            "volunteer_hours": "5",
            "spending": {
                str(materials.pk): {"from_grant": "1500.00", "own_money": "100.00"},
                str(admin.pk): {"from_grant": "150.00", "own_in_kind": "25.00"},
            },
            "attachments_list": "Faktura FV 1/12/2026",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 1
    outbox_flush()
    [pdf] = Document.objects.filter(kind="partial-report", object_id=response.json()["id"])
    text = words(pdf)
    assert f"Sprawozdanie częściowe nr 1 Nr {agreement.number}/SC/1" in text
    assert "w okresie od 1 grudnia 2026 r. do 10 grudnia 2026 r." in text
    assert "Transze dotacji według umowy: 2 000,00 zł (30 listopada 2026 r.); 1 000,00 zł" in text
    assert "Razem wydatki 1 775,00 zł 1 650,00 zł" in words(pdf, "-layout")
    # 1 650 grant + 100 own money + 25 in kind + 5 h x 30 zł = 1 925.
    assert "1. Suma wszystkich kosztów realizacji zadania 1 925,00 zł 100,00%" in text
    assert "2. Kwota dotacji 1 650,00 zł 85,71%" in text
    assert "3.2.1. wkład osobowy (5,00 h × 30,00 zł) 150,00 zł" in text
    assert "3.2.2. wkład rzeczowy 25,00 zł" in text

    # Only the grantee reports.
    other = api(world.official).post(
        f"/api/v1/grant-agreements/{agreement.pk}/partial-reports/",
        {
            "period_start": "2026-12-01",
            "period_end": "2026-12-10",
            "narrative": "X",
            "spending": {},
        },
        format="json",
    )
    assert other.status_code == 403
    with pytest.raises(InvalidInput):
        services.partial_report_submit(
            agreement=agreement,
            actor=world.resident,
            period_start=datetime.date(2026, 12, 1),
            period_end=datetime.date(2026, 12, 10),
            narrative="  ",
            spending={},
        )
