"""The offer on the statutory form (regulation of 24 October 2018): the call chooses the
general (Dz.U. 2018 poz. 2057) or the simplified form (poz. 2055, art. 19a); each
submitted offer renders to a PDF with every section of its form and the figures typed,
and becomes annex no. 1 of the agreement."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from documents.models import Document
from grants import services
from grants.models import Call, OfferForm
from workflows.engine import transition_apply
from workflows.errors import InvalidInput
from workflows.outbox import outbox_flush

from .conftest import api

pytestmark = pytest.mark.django_db

GENERAL_HEADINGS = [
    "I. Podstawowe informacje o złożonej ofercie",
    "II. Dane oferenta(-tów)",
    "III. Opis zadania",
    "IV. Charakterystyka oferenta",
    "V. Kalkulacja przewidywanych kosztów realizacji zadania publicznego",
    "V.A Zestawienie kosztów realizacji zadania",
    "V.B Źródła finansowania kosztów realizacji zadania",
    "VI. Inne informacje",
    "VII. Oświadczenia",
]
SIMPLIFIED_HEADINGS = [
    "I. Podstawowe informacje o złożonej ofercie",
    "II. Dane oferenta(-tów)",
    "III. Opis zadania",
    "IV. Szacunkowa kalkulacja kosztów realizacji zadania publicznego",
    "IV.A Zestawienie kosztów realizacji zadania",
    "IV.B Źródła finansowania kosztów realizacji zadania",
    "V. Oświadczenia",
]

STATUTORY = {
    "contact_person": "Jan Kontaktowy",
    "contact_email": "kontakt@example.org",
    "capacity": "Od 2019 prowadzimy warsztaty ogrodnicze; mamy narzędzia i 5 wolontariuszy.",
    "results_measurement": "Listy obecności i dokumentacja fotograficzna.",
    "fees_from_beneficiaries": "100.00",
    "other_public_funds": "50.00",
    "other_public_funds_source": "Powiat Próbny",
    "other_information": "Zadanie uzupełnia program rewitalizacji.",
    "declarations_confirmed": True,
}


def words(document: Document) -> str:
    with document.file.open("rb") as f:
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=f.read(), capture_output=True, check=True
        ).stdout.decode()
    return " ".join(text.split())


def submitted_with_statutory_data(world, call=None, **extra):
    application = world.draft(call=call)
    lines = [
        {
            **{k: v for k, v in row.items() if k != "category"},
            "category_id": row["category"],
            "cost_type": "administrative" if row["description"] == "Obsługa księgowa" else "action",
        }
        for row in world.draft_payload(application.call)["budget_lines"]
    ]
    services.application_save_draft(
        application=application,
        actor=application.applicant,
        fields={**STATUTORY, **extra},
        budget_lines=lines,
    )
    return transition_apply(obj=application, name="submit", actor=application.applicant)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_call_chooses_the_form_by_procedure_unless_it_says_otherwise(world):
    small = world.make_call(procedure=Call.Procedure.SMALL_GRANT_19A, code="MG1")
    assert (world.call.statutory_form, small.statutory_form) == ("general", "simplified")
    response = api(world.official).patch(
        f"/api/v1/grant-calls/{world.call.pk}/", {"offer_form": "simplified"}, format="json"
    )
    assert response.status_code == 200, response.json()
    world.call.refresh_from_db()
    assert world.call.statutory_form == OfferForm.SIMPLIFIED


def test_a_neighbourhood_fund_offer_pdf_holds_every_section_of_the_general_form(world, media):
    application = submitted_with_statutory_data(world)
    outbox_flush()

    [offer] = Document.objects.filter(kind="application", object_id=application.pk)
    text = words(offer)
    # The number is taken after the document's context (#18): the rendering reads it.
    assert (offer.number, application.number) == ("GMP/2026/FS1/0001", "GMP/2026/FS1/0001")
    assert "GMP/2026/FS1/0001" in text
    for heading in GENERAL_HEADINGS:
        assert heading in text, heading
    assert "Oferta realizacji zadania publicznego" in text
    assert "(wzór: Dz.U. 2018 poz. 2057)" in text
    # The figures typed: the cost table by type of cost, and every source.
    assert "1. koszty realizacji działań Sadzonki i ziemia (Materiały) zestaw 300,00 zł" in text
    assert "Razem: koszty realizacji działań 3 000,00 zł" in text
    assert "2. koszty administracyjne" in text
    assert "Suma wszystkich kosztów realizacji zadania (bez wkładu osobowego) 3 300,00 zł" in text
    assert "1. Suma wszystkich kosztów realizacji zadania 3 900,00 zł 100,00%" in text
    assert "2. Planowana dotacja 3 000,00 zł 76,92%" in text
    assert "3. Wkład własny 900,00 zł 23,08%" in text
    assert "3.1. Wkład własny finansowy 300,00 zł" in text
    assert "3.1.1. środki finansowe własne 150,00 zł" in text
    assert "3.1.2. świadczenia pieniężne od odbiorców zadania 100,00 zł" in text
    assert "3.1.3. środki finansowe z innych źródeł publicznych (Powiat Próbny) 50,00 zł" in text
    assert "3.2.1. wkład osobowy (20,00 h × 30,00 zł) 600,00 zł" in text
    assert "3.2. Wkład własny niefinansowy 600,00 zł" in text
    assert "Jan Kontaktowy, kontakt@example.org" in text
    assert "Od 2019 prowadzimy warsztaty ogrodnicze" in text
    assert "Listy obecności i dokumentacja fotograficzna." in text
    assert "Oświadczenia złożone przez oferenta w systemie w dniu 23 listopada 2026 r." in text


def test_an_art_19a_offer_pdf_follows_the_simplified_form_and_is_annex_1_of_the_agreement(
    world, media, clock
):
    call = world.make_call(procedure=Call.Procedure.SMALL_GRANT_19A, code="MG1")
    application = submitted_with_statutory_data(world, call=call)
    outbox_flush()
    [offer] = Document.objects.filter(kind="application", object_id=application.pk)
    text = words(offer)
    for heading in SIMPLIFIED_HEADINGS:
        assert heading in text, heading
    for general_only in ("VI. Inne informacje", "VII. Oświadczenia", "IV. Charakterystyka"):
        assert general_only not in text
    assert "Uproszczona oferta realizacji zadania publicznego" in text
    assert "(wzór: Dz.U. 2018 poz. 2055)" in text
    assert "KRS 0000123456" in text
    assert "2. Planowana dotacja 3 000,00 zł 76,92%" in text

    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={item.pk: True for item in call.checklist.all()},
    )
    for name in ("pass_formal_check", "deem_purposeful"):
        application = transition_apply(obj=application, name=name, actor=world.official)
    clock.shift(datetime.timedelta(days=7))
    application = transition_apply(obj=application, name="end_comment_period", actor=None)
    application = transition_apply(
        obj=application,
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "Celowe."},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 12, 1))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    transition_apply(obj=agreement, name="generate", actor=world.official)
    outbox_flush()

    attached = api(world.official).get(f"/api/v1/grant-agreements/{agreement.pk}/attached/")
    assert attached.status_code == 200
    assert [(d["id"], d["kind"]) for d in attached.json()] == [(offer.pk, "application")]
    download = api(world.resident).get(attached.json()[0]["url"])
    assert b"".join(download.streaming_content) == offer.file.open("rb").read()
    [agreement_pdf] = Document.objects.filter(kind="agreement", object_id=agreement.pk)
    text = words(agreement_pdf)
    number = application.number
    assert (
        f"Uproszczona oferta nr {number} z dnia 23 listopada 2026 r. wraz z kosztorysem "
        "stanowi załącznik nr 1 do umowy." in text
    )
    assert (
        f"Załączniki 1. Uproszczona oferta realizacji zadania publicznego nr {number} z dnia "
        "23 listopada 2026 r." in text
    )


def test_a_neighbourhood_fund_offer_pdf_is_annex_1_of_the_agreement(world, media):
    application = transition_apply(
        obj=world.evaluated(),
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "Celowe."},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 12, 1))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    transition_apply(obj=agreement, name="generate", actor=world.official)
    outbox_flush()

    [offer] = Document.objects.filter(kind="application", object_id=application.pk)
    assert "(wzór: Dz.U. 2018 poz. 2057)" in words(offer)
    attached = api(world.official).get(f"/api/v1/grant-agreements/{agreement.pk}/attached/")
    assert attached.status_code == 200
    assert [(d["id"], d["kind"]) for d in attached.json()] == [(offer.pk, "application")]
    download = api(world.resident).get(attached.json()[0]["url"])
    assert b"".join(download.streaming_content) == offer.file.open("rb").read()
    [agreement_pdf] = Document.objects.filter(kind="agreement", object_id=agreement.pk)
    text = words(agreement_pdf)
    number = application.number
    assert (
        f"3. Oferta nr {number} z dnia 23 listopada 2026 r. wraz z kosztorysem "
        "stanowi załącznik nr 1 do umowy." in text
    )
    assert (
        f"Załączniki 1. Oferta realizacji zadania publicznego nr {number} z dnia "
        "23 listopada 2026 r." in text
    )
    assert "Uproszczona" not in text


def test_register_and_own_money_parts_are_checked_on_submit(world):
    application = world.draft()
    services.application_save_draft(
        application=application,
        actor=application.applicant,
        fields={
            "register_name": "Ewidencja starosty",
            "fees_from_beneficiaries": "250.00",
            "other_public_funds": "100.00",
        },
    )
    with pytest.raises(InvalidInput) as refused:
        transition_apply(obj=application, name="submit", actor=application.applicant)
    errors = refused.value.field_errors
    assert errors["register_number"] == ["Podaj nazwę rejestru i numer w nim."]
    assert errors["fees_from_beneficiaries"] == [
        "Świadczenia od odbiorców zadania i inne środki publiczne (350,00 zł) są częścią "
        "wkładu finansowego i nie mogą go przekroczyć (300,00 zł)."
    ]
    application.refresh_from_db()
    assert (application.state, application.register_name) == ("draft", "Ewidencja starosty")


def test_the_public_19a_page_shows_the_whole_offer_without_personal_data(world, client):
    call = world.make_call(procedure=Call.Procedure.SMALL_GRANT_19A, code="MG1")
    application = submitted_with_statutory_data(world, call=call)
    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={item.pk: True for item in call.checklist.all()},
    )
    for name in ("pass_formal_check", "deem_purposeful"):
        application = transition_apply(obj=application, name=name, actor=world.official)

    response = client.get(f"/granty/oferty/{application.pk}/")
    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ")
    for shown in (
        "Stowarzyszenie Sąsiedzi z Zielonej",
        ", KRS 0000123456</p>",
        "Plan i harmonogram działań",
        "Sadzenie",
        "Spotkania sąsiedzkie",
        "Listy obecności i dokumentacja fotograficzna.",
        "Od 2019 prowadzimy warsztaty ogrodnicze",
        "Sadzonki i ziemia (koszty realizacji działań)",
        "Obsługa księgowa (koszty administracyjne)",
        '<th scope="row">Świadczenia pieniężne od odbiorców zadania</th><td>100,00 zł</td>',
        '<th scope="row">Wkład osobowy (praca wolontariuszy)</th><td>600,00 zł</td>',
        "Zadanie uzupełnia program rewitalizacji.",
        "Oferent złożył oświadczenia zawarte we wzorze oferty.",
    ):
        assert shown in page, shown
    # No personal data of natural persons: the contact person, e-mail, phone, the
    # representatives and the bank account stay off the public page.
    for hidden in (
        "Jan Kontaktowy",
        "kontakt@example.org",
        "Anna Zielona",
        "61109010140000071219812874",
    ):
        assert hidden not in page, hidden
