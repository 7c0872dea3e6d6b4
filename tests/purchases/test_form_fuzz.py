"""The need form and the offer recorded from paper, fuzzed with what users may type
and with files of the wrong type: never a server error, a refusal says why and
changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from accounts.models import Role
from purchases.models import Offer, Purchase
from tests.fuzz import fuzz_form, page_client

from .factories import Team, drive, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def need_post(group) -> dict:
    return {
        "requesting_unit": "Wydział Kultury",
        "title": "Koncert podwórkowy",
        "expected_result": "Koncert dla 100 osób",
        "group": str(group.pk),
        "cpv_code": "92300000-4",
        "estimated_net": "8000",
        "vat_rate": "8",
        "estimation_method": "Cennik",
        "estimated_on": "2026-02-01",
        "estimated_by": "Jan Kowalski",
        "legal_basis": "regulation",
        "planned_start": "2026-06-01",
        "planned_end": "2026-07-01",
        "price_weight": "100",
    }


def test_the_need_form_never_fails_on_what_an_official_types(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(organisation=team.organisation, official=official, group=group)

    created = fuzz_form(
        page_client(official),
        "/zakupy/nowe/",
        need_post(group),
        snapshot=lambda: list(Purchase.objects.order_by("pk").values_list("pk", "title")),
    )
    edited = fuzz_form(
        page_client(official),
        f"/zakupy/{draft.pk}/edycja/",
        need_post(group),
        snapshot=lambda: (
            model_to_dict(Purchase.objects.get(pk=draft.pk)),
            list(draft.criteria.values()),
        ),
    )

    assert created == [], created
    assert edited == [], edited
    assert Purchase.objects.get(pk=draft.pk).state == "draft"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("oferta.pdf", b"MZ\x90\x00 a program, not a PDF", "application/pdf"),
        ("oferta.exe", b"MZ\x90\x00", "application/octet-stream"),
        ("oferta.txt", "Oferta 🌳".encode(), "text/plain"),
    ],
    ids=["program-named-pdf", "program", "text"],
)
def test_an_offer_with_a_file_of_the_wrong_type_is_refused_with_a_message(
    team, group, name, content, content_type
):
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=official, group=group),
        team,
        "start_quoting",
    )
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    response = page_client(official).post(
        f"/zakupy/{purchase.pk}/oferty/nowa/",
        {
            "supplier": team.suppliers[0].pk,
            "channel": "paper",
            "submitted_at": "2026-11-23T09:00",
            "price_net": "8000.00",
            "price_gross": "9840.00",
            "attachments": [upload],
        },
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert list(response.context["form"].errors["attachments"]) == [
        f"{name} nie jest plikiem PDF, JPEG, PNG, ODT ani DOCX (sprawdzono zawartość)."
    ]
    assert Offer.objects.filter(purchase=purchase).count() == 0
