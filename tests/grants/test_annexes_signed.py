"""An annex is a document of its own (number, date, what changes, the new budget) that
the agreement's history shows beside the agreement as made; the signed agreement or
annex is kept byte for byte, an embedded electronic signature is shown as such, and
signing on paper is recorded with its date."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grants import services
from grants.models import Annex, SignedCopy
from workflows.models import AuditEntry
from workflows.outbox import outbox_flush

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\n% a scanned page\n%%EOF\n"
SIGNED = (
    b"%PDF-1.7\n1 0 obj << /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
    b"/ByteRange [0 120 4242 300] /Contents <3082> >> endobj\n%%EOF\n"
)


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.agreement_in_implementation()


def annexed(world, agreement):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    change = services.change_request_submit(
        agreement=agreement,
        actor=world.resident,
        description="Przesunięcie 300 zł z obsługi księgowej na sadzonki",
        shifts={materials.pk: Decimal("3000.00"), admin.pk: Decimal("0.00")},
    )
    assert change.needs_annex is True
    services.change_request_approve(change=change, actor=world.official)
    outbox_flush()
    return change


def test_an_annex_beyond_the_tolerance_is_its_own_record_and_the_history_shows_both(
    world, agreement, client
):
    annexed(world, agreement)
    [annex] = Annex.objects.filter(agreement=agreement)
    assert (annex.number, annex.agreement_version, str(annex.made_on)) == (1, 2, "2026-11-23")
    assert annex.description == "Przesunięcie 300 zł z obsługi księgowej na sadzonki"
    assert [(row["description"], row["from_grant"]["value"]) for row in annex.budget] == [
        ("Sadzonki i ziemia", "3000.00"),
        ("Obsługa księgowa", "0.00"),
    ]
    assert AuditEntry.objects.filter(action="annex_record", object_id=annex.pk).count() == 1

    client.force_login(world.official)
    page = client.get(f"/granty/umowy/{agreement.pk}/").content.decode().replace("\xa0", " ")
    assert "Historia wersji" in page
    assert "Umowa w pierwotnym brzmieniu" in page
    assert "Aneks nr 1 z 23 listopada 2026 r.: Przesunięcie 300 zł" in page
    assert f"{agreement.number}/A/1 (PDF)" in page
    assert f"{agreement.number} (PDF)" in page


def test_a_signed_scan_is_downloaded_unchanged_and_a_signed_pdf_is_shown_as_signed(
    world, agreement, client
):
    client.force_login(world.official)
    url = f"/granty/umowy/{agreement.pk}/podpisana/"
    response = client.post(
        url,
        {"signed_on": "2026-11-22", "file": SimpleUploadedFile("umowa.pdf", SCAN)},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    [copy] = SignedCopy.objects.filter(agreement=agreement)
    assert (copy.method, copy.sha256) == ("scan", hashlib.sha256(SCAN).hexdigest())

    download = client.get(f"/granty/umowy/{agreement.pk}/podpisana/{copy.pk}/")
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(SCAN).hexdigest()
    # The grantee sees it too; a stranger does not.
    client.force_login(world.resident)
    resident = client.get(f"/granty/umowy/{agreement.pk}/podpisana/{copy.pk}/")
    assert b"".join(resident.streaming_content) == SCAN
    client.force_login(world.evaluators[0])
    assert client.get(f"/granty/umowy/{agreement.pk}/podpisana/{copy.pk}/").status_code == 404
    assert client.get(url).status_code == 404

    annexed(world, agreement)
    client.force_login(world.official)
    annex = Annex.objects.get(agreement=agreement)
    client.post(
        url,
        {
            "signed_on": "2026-11-23",
            "annex": annex.pk,
            "file": SimpleUploadedFile("aneks.pdf", SIGNED),
        },
    )
    client.post(url, {"signed_on": "2026-11-20"})
    rows = list(
        SignedCopy.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("annex__number", "method", "signed_on", "size")
    )
    assert [(n, m, str(d), s) for n, m, d, s in rows] == [
        (None, "scan", "2026-11-22", len(SCAN)),
        (1, "electronic", "2026-11-23", len(SIGNED)),
        (None, "paper", "2026-11-20", 0),
    ]
    signed = SignedCopy.objects.get(method="electronic")
    with signed.file.open("rb") as f:
        assert f.read() == SIGNED
    page = client.get(f"/granty/umowy/{agreement.pk}/").content.decode().replace("\xa0", " ")
    assert "Aneks nr 1: podpisano elektronicznie, data podpisania 23 listopada 2026 r." in page
    assert "podpisano w formie papierowej (bez pliku), data podpisania 20 listopada 2026 r." in page


def test_a_refused_file_shows_the_error_at_the_field_and_keeps_the_date(world, agreement, client):
    client.force_login(world.official)
    url = f"/granty/umowy/{agreement.pk}/podpisana/"
    response = client.post(
        url, {"signed_on": "2026-11-22", "file": SimpleUploadedFile("umowa.pdf", b"MZ not a pdf")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Można dołączać tylko pliki PDF, JPEG i PNG." in page
    assert 'value="2026-11-22"' in page
    assert SignedCopy.objects.count() == 0
    future = client.post(url, {"signed_on": "2026-12-24"})
    assert "Data podpisania nie może być późniejsza niż dziś." in future.content.decode()
    assert client.post(url, {"signed_on": "nie-data"}).status_code == 200
    assert SignedCopy.objects.count() == 0
