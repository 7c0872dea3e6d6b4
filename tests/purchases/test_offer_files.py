"""An offer's files are attachments like any other (#14): judged by their content, held
to the one size limit (``ATTACHMENT_MAX_BYTES``) and scanned by clamd when
``ATTACHMENTS_CLAMD`` names one, refused with the attachments' own messages at the
offer form's field, with nothing else of the offer lost, on every page and in the API
that take an offer."""

import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from attachments.models import Attachment
from purchases import services
from purchases.models import Offer, Supplier
from tests.clients import api, web
from tests.fake_clamd import EICAR, FakeClamd
from workflows.engine import transition_apply

from .factories import PATH, Team, deadline_in, purchase_draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% oferta\n"
REFUSED_TYPE = "oferta.pdf nie jest plikiem PDF, JPEG, PNG, ODT ani DOCX (sprawdzono zawartość)."
TOO_LARGE = "oferta.pdf jest za duży: najwyżej 1 MB."
INFECTED = "Plik oferta.pdf odrzucono: skaner antywirusowy wykrył Eicar-Test-Signature."
NO_SCAN = "Nie udało się teraz sprawdzić pliku oferta.pdf antywirusem; spróbuj później."


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def quoting(team, group, *, estimated_net="25000.00", criteria=None):
    """A purchase open for offers for eight more days."""
    purchase = purchase_draft(
        organisation=team.organisation,
        official=team[Role.OFFICIAL],
        group=group,
        estimated_net=Decimal(estimated_net),
        **({"criteria": criteria} if criteria else {}),
    )
    for _state, who, name, payload in PATH[:3]:
        purchase = transition_apply(obj=purchase, name=name, actor=team[who], payload=payload)
    return transition_apply(
        obj=purchase,
        name="start_quoting",
        actor=team[Role.OFFICIAL],
        payload={
            "deadline": deadline_in(days=8).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        },
    )


@pytest.fixture
def invitation(team, group):
    purchase = quoting(
        team,
        group,
        criteria=[
            {"name": "cena", "weight": 60, "is_price": True},
            {"name": "doświadczenie", "weight": 40},
        ],
    )
    return purchase.invitations.select_related("supplier").order_by("pk").first()


@pytest.fixture
def clamd(settings, tmp_path):
    """The fake daemon of the attachments' tests, named by the settings."""
    daemon = FakeClamd(str(tmp_path / "clamd.sock"))
    settings.ATTACHMENTS_CLAMD = daemon.path
    return daemon


def by_link(invitation, data: bytes, **fields):
    """The supplier's personal-link page, posted with one file and the rest typed."""
    experience = invitation.purchase.criteria.get(is_price=False)
    post = {
        "price_net": "24000.00",
        "price_gross": "29520.00",
        f"answer_{experience.pk}": "7",
        "attachments": [SimpleUploadedFile("oferta.pdf", data, content_type="application/pdf")],
        **fields,
    }
    return Client().post(f"/zakupy/oferta/{services.invitation_token(invitation)}/", post)


def field_error(message: str) -> str:
    return f'<ul class="field-errors" id="id_attachments_errors"><li>{message}</li></ul>'


def test_a_file_whose_content_is_not_accepted_is_refused_at_the_field_with_the_rest_kept(
    invitation,
):
    response = by_link(invitation, b"MZ\x90\x00 a program named oferta.pdf")

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["attachments"]
    assert field_error(REFUSED_TYPE) in html
    assert 'value="24000.00"' in html and 'value="29520.00"' in html and 'value="7"' in html
    assert "PDF, JPEG, PNG, ODT lub DOCX, najwyżej 10 MB." in html
    assert not Offer.objects.exists()
    assert not Attachment.objects.exists()


def test_a_refused_file_leaves_the_earlier_offer_as_it_was(invitation):
    services.offer_submit(
        invitation=invitation,
        price_net=Decimal("26000.00"),
        price_gross=Decimal("31980.00"),
        answers={str(invitation.purchase.criteria.get(is_price=False).pk): "5"},
        attachments=[SimpleUploadedFile("pierwsza.pdf", PDF)],
    )

    response = by_link(invitation, b"GIF89a not an accepted type")

    assert field_error(REFUSED_TYPE) in response.content.decode()
    offer = Offer.objects.get()
    assert (offer.price_net, list(offer.attachments.values_list("original_name", flat=True))) == (
        Decimal("26000.00"),
        ["pierwsza.pdf"],
    )


def test_a_file_over_the_limit_of_the_settings_is_refused_on_the_public_inquiry_page(
    team, group, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    purchase = quoting(team, group, estimated_net="60000.00")
    supplier = {
        "supplier-name": "Koło Gospodyń Wiejskich",
        "supplier-kind": "ngo",
        "supplier-nip": "",
        "supplier-address": "Wieś 1",
        "supplier-email": "kgw@example.org",
    }

    response = Client().post(
        f"/zakupy/zapytania/{purchase.pk}/",
        {
            **supplier,
            "price_net": "55000.00",
            "price_gross": "55000.00",
            "attachments": [SimpleUploadedFile("oferta.pdf", PDF + b" " * 1_000_000)],
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(TOO_LARGE) in html
    assert "PDF, JPEG, PNG, ODT lub DOCX, najwyżej 1 MB." in html
    assert 'value="Koło Gospodyń Wiejskich"' in html and 'value="kgw@example.org"' in html
    assert 'value="55000.00"' in html
    assert not Supplier.objects.filter(email="kgw@example.org").exists()
    assert not Offer.objects.exists()


def test_a_file_the_daemon_finds_infected_is_refused_at_the_field_with_the_rest_kept(
    invitation, clamd
):
    response = by_link(invitation, b"%PDF-1.4\n" + EICAR)

    clamd.thread.join(5)
    html = response.content.decode()
    assert clamd.received == b"%PDF-1.4\n" + EICAR
    assert field_error(INFECTED) in html
    assert 'value="24000.00"' in html and 'value="7"' in html
    assert not Offer.objects.exists()
    assert not Attachment.objects.exists()


def test_a_clean_file_is_scanned_and_kept_as_the_offers_attachment(invitation, clamd):
    response = by_link(invitation, PDF)

    clamd.thread.join(5)
    assert clamd.received == PDF
    assert "Oferta została złożona." in response.content.decode()
    offer = Offer.objects.get()
    attachment = offer.attachments.get()
    assert (
        attachment.original_name,
        attachment.content_type,
        attachment.size,
        attachment.sha256,
        attachment.uploaded_by,
    ) == ("oferta.pdf", "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), None)
    assert attachment.file.name.startswith(f"attachments/purchases-offer/{offer.pk}/")
    assert attachment.file.read() == PDF


def test_the_official_recording_an_offer_sees_the_refusal_at_the_field(team, group, clamd):
    purchase = quoting(team, group)
    official = team[Role.OFFICIAL]

    response = web(official).post(
        f"/zakupy/{purchase.pk}/oferty/nowa/",
        {
            "supplier": team.suppliers[0].pk,
            "channel": "paper",
            "submitted_at": "2026-11-23T09:00",
            "price_net": "8000.00",
            "price_gross": "9840.00",
            "attachments": [SimpleUploadedFile("oferta.pdf", b"%PDF-1.4\n" + EICAR)],
        },
    )

    html = response.content.decode()
    assert field_error(INFECTED) in html
    assert 'value="8000.00"' in html and 'value="2026-11-23T09:00"' in html
    assert f'<option value="{team.suppliers[0].pk}" selected>' in html
    assert not Offer.objects.exists()


def record(team, purchase, data: bytes):
    """An offer received on paper, recorded through the API with one file."""
    return api(team[Role.OFFICIAL]).post(
        f"/api/v1/purchases/{purchase.pk}/offers/",
        {
            "supplier": team.suppliers[0].pk,
            "channel": "paper",
            "price_net": "8000.00",
            "price_gross": "9840.00",
            "attachments": [SimpleUploadedFile("oferta.pdf", data)],
        },
        format="multipart",
    )


def test_the_api_refuses_an_offers_file_with_the_same_messages(team, group, settings, tmp_path):
    purchase = quoting(team, group)

    wrong_type = record(team, purchase, b"MZ\x90\x00")
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    too_large = record(team, purchase, PDF + b" " * 1_000_000)
    settings.ATTACHMENT_MAX_BYTES = 10_000_000
    daemon = FakeClamd(str(tmp_path / "clamd.sock"))
    settings.ATTACHMENTS_CLAMD = daemon.path
    infected = record(team, purchase, b"%PDF-1.4\n" + EICAR)
    settings.ATTACHMENTS_CLAMD = str(tmp_path / "nobody-listens.sock")
    unscanned = record(team, purchase, PDF)

    assert [r.status_code for r in (wrong_type, too_large, infected, unscanned)] == [400] * 4
    assert [r.json()["errors"] for r in (wrong_type, too_large, infected, unscanned)] == [
        {"attachments": [REFUSED_TYPE]},
        {"attachments": [TOO_LARGE]},
        {"attachments": [INFECTED]},
        {"attachments": [NO_SCAN]},
    ]
    assert not Offer.objects.exists()
    assert not Attachment.objects.exists()


def test_the_api_keeps_an_accepted_file_sealed_with_the_offer(team, group):
    purchase = quoting(team, group)
    buffer = io.BytesIO()  # a DOCX, judged by its zip's entries
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("word/document.xml", b"<x/>")
    docx = buffer.getvalue()

    response = record(team, purchase, docx)

    assert response.status_code == 201
    assert (response.json()["sealed"], response.json()["attachments"]) == (True, [])
    attachment = Offer.objects.get().attachments.get()
    assert (attachment.content_type, attachment.uploaded_by) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        team[Role.OFFICIAL],
    )
