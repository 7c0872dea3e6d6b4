"""Attachments as one capability (#14, #12): upload, list, download and delete through
the pages and the API for an application, a correction and a report; the content judged
by its bytes, one size limit, ClamAV through clamd when configured; visibility follows
the owner; downloads are in the audit trail."""

import hashlib
import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from attachments import content, scanning
from attachments.models import Attachment
from tests.factories import UserFactory
from tests.fake_clamd import EICAR, FakeClamd
from tests.forms_support import form_data
from tests.grants.conftest import api
from workflows.engine import transition_apply
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0JFIF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
REFUSED_TYPE = "skan.pdf nie jest plikiem PDF, JPEG, PNG, ODT ani DOCX (sprawdzono zawartość)."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.ATTACHMENTS_CLAMD = ""
    return tmp_path


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(application) -> str:
    return f"/granty/wnioski/{application.pk}/edycja/"


def upload(user, application, name, data):
    """An application's file sent through the API."""
    return api(user).post(
        "/api/v1/attachments/",
        {
            "owner": "grants.application",
            "owner_id": application.pk,
            "file": SimpleUploadedFile(name, data),
        },
        format="multipart",
    )


def attach_on_page(client, application, name, data, **extra):
    page = client.get(edit_url(application)).content.decode()
    post = {**form_data(page), **extra, "attach": "1"}
    post["attachment"] = SimpleUploadedFile(name, data)
    return client.post(edit_url(application), post)


def test_the_application_page_uploads_lists_downloads_and_deletes_a_file(world):
    application = world.draft()
    client = web(world.resident)

    response = attach_on_page(client, application, "kosztorys.pdf", PDF)

    assert response.status_code == 302
    assert response["Location"] == f"{edit_url(application)}#section-attachments"
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "kosztorys.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    page = client.get(edit_url(application)).content.decode()
    assert f'href="/zalaczniki/{attachment.pk}/"' in page
    download = client.get(f"/zalaczniki/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="kosztorys.pdf"'
    assert (
        AuditEntry.objects.filter(action="attachment_download", actor=world.resident).count() == 1
    )

    deleted = client.post(
        edit_url(application), {**form_data(page), "delete_attachment": str(attachment.pk)}
    )
    assert deleted.status_code == 302
    assert Attachment.objects.count() == 0
    on_application = AuditEntry.objects.filter(
        object_id=application.pk, content_type__model="application"
    )
    assert list(on_application.values_list("action", flat=True)) == [
        "attachment_add",
        "attachment_delete",
    ]


def test_a_file_with_a_pdf_name_and_other_content_is_refused_with_nothing_else_lost(world):
    application = world.draft()
    client = web(world.resident)

    response = attach_on_page(
        client, application, "skan.pdf", b"MZ\x90\x00 an executable", title="Nowy tytuł"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert REFUSED_TYPE in html
    assert '<a href="#id_attachment">' in html
    assert 'value="Nowy tytuł"' in html
    application.refresh_from_db()
    assert application.title == "Nowy tytuł"
    assert Attachment.objects.count() == 0


def test_the_api_uploads_lists_downloads_and_deletes_an_applications_file(world):
    application = world.draft()
    client = api(world.resident)
    fields = {"owner": "grants.application", "owner_id": application.pk}

    fake = client.post(
        "/api/v1/attachments/",
        {**fields, "file": SimpleUploadedFile("skan.pdf", b"GIF89a not a pdf")},
        format="multipart",
    )
    created = client.post(
        "/api/v1/attachments/",
        {**fields, "file": SimpleUploadedFile("plan.png", PNG)},
        format="multipart",
    )

    assert fake.status_code == 400
    assert fake.json()["errors"] == {"file": [REFUSED_TYPE]}
    assert created.status_code == 201
    body = created.json()
    assert (body["owner"], body["owner_id"], body["content_type"], body["purpose"]) == (
        "grants.application",
        application.pk,
        "image/png",
        "general",
    )
    listed = client.get(f"/api/v1/attachments/?owner=grants.application&owner_id={application.pk}")
    assert [row["original_name"] for row in listed.json()] == ["plan.png"]
    download = client.get(body["download_url"])
    assert b"".join(download.streaming_content) == PNG
    assert client.delete(f"/api/v1/attachments/{body['id']}/").status_code == 204
    assert Attachment.objects.count() == 0


def test_a_submitted_applications_files_cannot_be_deleted_and_strangers_see_nothing(world):
    application = world.draft()
    body = (
        api(world.resident)
        .post(
            "/api/v1/attachments/",
            {
                "owner": "grants.application",
                "owner_id": application.pk,
                "file": SimpleUploadedFile("a.pdf", PDF),
            },
            format="multipart",
        )
        .json()
    )
    stranger = world.member("evaluator")  # not assigned to it
    assert api(stranger).get(body["download_url"]).status_code == 404
    assert web(stranger).get(f"/zalaczniki/{body['id']}/").status_code == 404
    assert web(world.official).get(f"/zalaczniki/{body['id']}/").status_code == 404  # a draft
    assert Client().get(f"/zalaczniki/{body['id']}/").status_code == 302  # to sign in

    transition_apply(obj=application, name="submit", actor=world.resident)

    assert api(world.resident).delete(f"/api/v1/attachments/{body['id']}/").status_code == 403
    assert web(world.official).get(f"/zalaczniki/{body['id']}/").status_code == 200
    assert "a.pdf" in web(world.official).get(f"/granty/wnioski/{application.pk}/").content.decode()


def test_an_evaluator_sees_the_files_only_after_the_declaration(world):
    from attachments.services import attachment_add
    from grants import services

    application = world.draft()
    attachment = attachment_add(
        owner=application, actor=world.resident, upload=SimpleUploadedFile("wniosek.pdf", PDF)
    )
    application = transition_apply(obj=application, name="submit", actor=world.resident)
    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={item.pk: True for item in application.call.checklist.all()},
    )
    application = transition_apply(obj=application, name="pass_formal_check", actor=world.official)
    review = services.reviews_assign(
        application=application, evaluators=world.evaluators[:1], actor=world.official
    )[0]
    evaluator = web(review.evaluator)
    assert evaluator.get(f"/zalaczniki/{attachment.pk}/").status_code == 404

    transition_apply(obj=review, name="declare", actor=review.evaluator)

    assert evaluator.get(f"/zalaczniki/{attachment.pk}/").status_code == 200


def test_a_correction_is_answered_with_an_attachment_that_the_official_downloads(world):
    application = world.submitted()
    application = transition_apply(
        obj=application,
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołączcie zgodę zarządcy terenu.", "days": 7},
    )
    client = web(world.resident)
    page = client.get(edit_url(application)).content.decode()
    assert "Dołącz tutaj to, o co prosi wezwanie do poprawek." in page

    response = attach_on_page(client, application, "zgoda.pdf", PDF)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.purpose == "correction"
    official = web(world.official)
    detail = official.get(f"/granty/wnioski/{application.pk}/").content.decode()
    assert "zgoda.pdf" in detail and "odpowiedź na wezwanie do poprawek" in detail
    assert b"".join(official.get(f"/zalaczniki/{attachment.pk}/").streaming_content) == PDF
    listed = api(world.official).get(
        f"/api/v1/attachments/?owner=grants.application&owner_id={application.pk}"
    )
    assert [(r["original_name"], r["purpose"]) for r in listed.json()] == [
        ("zgoda.pdf", "correction")
    ]


def test_a_correction_uploaded_through_the_api_is_downloaded_by_the_official(world):
    application = transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołączcie zgodę zarządcy terenu.", "days": 7},
    )

    created = api(world.resident).post(
        "/api/v1/attachments/",
        {
            "owner": "grants.application",
            "owner_id": application.pk,
            "purpose": "correction",
            "file": SimpleUploadedFile("zgoda.pdf", PDF),
        },
        format="multipart",
    )

    assert created.status_code == 201, created.json()
    assert (created.json()["purpose"], created.json()["content_type"]) == (
        "correction",
        "application/pdf",
    )
    download = api(world.official).get(created.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="zgoda.pdf"'
    assert b"".join(download.streaming_content) == PDF


def report_post(client, agreement, **extra):
    page = client.get(f"/granty/umowy/{agreement.pk}/sprawozdanie/").content.decode()
    data = form_data(page)
    data.update(narrative="Ogród założony, 4 spotkania.", volunteer_hours="20", **extra)
    return client.post(f"/granty/umowy/{agreement.pk}/sprawozdanie/", data)


def test_the_report_takes_a_photo_through_the_page_and_the_api(world):
    agreement = world.agreement_in_implementation()
    client = web(world.resident)

    response = report_post(
        client,
        agreement,
        save="1",
        attachment=SimpleUploadedFile("ogrod.jpg", b"\xff\xd8\xff\xe0JFIF"),
    )

    assert response.status_code == 302
    photo = Attachment.objects.get()
    assert (photo.purpose, photo.content_type) == ("photo", "image/jpeg")
    report = agreement.report
    page = client.get(f"/granty/umowy/{agreement.pk}/sprawozdanie/").content.decode()
    assert "ogrod.jpg" in page
    scan = api(world.resident).post(
        "/api/v1/attachments/",
        {
            "owner": "grants.report",
            "owner_id": report.pk,
            "purpose": "photo",
            "file": SimpleUploadedFile("faktura.pdf", PDF),
        },
        format="multipart",
    )
    assert scan.status_code == 201
    listed = api(world.official).get(
        f"/api/v1/attachments/?owner=grants.report&owner_id={report.pk}"
    )
    assert [r["original_name"] for r in listed.json()] == ["ogrod.jpg", "faktura.pdf"]
    assert web(world.official).get(f"/zalaczniki/{photo.pk}/").status_code == 200


def test_the_official_downloads_a_report_file_through_the_api(world):
    agreement = world.agreement_in_implementation()
    report_post(web(world.resident), agreement, save="1")
    created = api(world.resident).post(
        "/api/v1/attachments/",
        {
            "owner": "grants.report",
            "owner_id": agreement.report.pk,
            "purpose": "photo",
            "file": SimpleUploadedFile("faktura.pdf", PDF),
        },
        format="multipart",
    )
    url = created.json()["download_url"]

    download = api(world.official).get(url)

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="faktura.pdf"'
    assert b"".join(download.streaming_content) == PDF
    downloads = AuditEntry.objects.filter(action="attachment_download", actor=world.official)
    assert downloads.count() == 1
    assert api(UserFactory()).get(url).status_code == 404


def test_a_refused_report_file_keeps_the_report(world):
    agreement = world.agreement_in_implementation()
    response = report_post(
        web(world.resident),
        agreement,
        save="1",
        attachment=SimpleUploadedFile("skan.pdf", b"not a pdf at all"),
    )

    assert response.status_code == 200
    assert REFUSED_TYPE in response.content.decode()
    agreement.report.refresh_from_db()
    assert agreement.report.narrative == "Ogród założony, 4 spotkania."
    assert Attachment.objects.count() == 0


def test_one_size_limit_for_every_attachment(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    application = world.draft()
    response = upload(world.resident, application, "duzy.pdf", PDF + b" " * 1_000_000)
    assert response.json()["errors"] == {"file": ["duzy.pdf jest za duży: najwyżej 1 MB."]}


def _zip(entries: list[tuple[str, bytes]], *, stored_first=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, content.PDF),
        (PNG, content.PNG),
        (b"\xff\xd8\xff\xe1Exif", content.JPEG),
        (
            _zip(
                [
                    ("mimetype", b"application/vnd.oasis.opendocument.text"),
                    ("content.xml", b"<x/>"),
                ],
                stored_first=True,
            ),
            content.ODT,
        ),
        (_zip([("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<x/>")]), content.DOCX),
        (_zip([("evil.exe", b"MZ")]), None),
        (b"PK\x03\x04 broken zip", None),
        (b"GIF89a", None),
        (b"", None),
    ],
    ids=["pdf", "png", "jpeg", "odt", "docx", "other-zip", "broken-zip", "gif", "empty"],
)
def test_the_type_is_judged_by_content(data, expected):
    assert content.detect(io.BytesIO(data)) == expected


def test_a_configured_daemon_is_asked_and_a_virus_refused(world, settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    daemon = FakeClamd(path)
    settings.ATTACHMENTS_CLAMD = path
    application = world.draft()

    response = upload(world.resident, application, "eicar.pdf", b"%PDF-1.4\n" + EICAR)

    daemon.thread.join(5)
    assert daemon.received == b"%PDF-1.4\n" + EICAR
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["Plik eicar.pdf odrzucono: skaner antywirusowy wykrył Eicar-Test-Signature."]
    }
    assert Attachment.objects.count() == 0


def test_a_configured_daemon_that_does_not_answer_refuses_the_file(world, settings, tmp_path):
    settings.ATTACHMENTS_CLAMD = str(tmp_path / "nobody-listens.sock")
    application = world.draft()
    response = upload(world.resident, application, "a.pdf", PDF)
    assert response.json()["errors"] == {
        "file": ["Nie udało się teraz sprawdzić pliku a.pdf antywirusem; spróbuj później."]
    }


CLAMD = os.environ.get("CLAMD_TEST_ADDRESS", "/var/run/clamav/clamd.ctl")


@pytest.mark.skipif(
    not scanning.ping(CLAMD),
    reason=f"no ClamAV daemon answers at {CLAMD} (set CLAMD_TEST_ADDRESS, start clamd)",
)
def test_eicar_is_refused_by_a_real_clamav_daemon(world, settings):
    settings.ATTACHMENTS_CLAMD = CLAMD
    application = world.draft()
    response = upload(world.resident, application, "eicar.pdf", b"%PDF-1.4\n" + EICAR)
    assert response.status_code == 400
    assert re.match(
        r"Plik eicar\.pdf odrzucono: skaner antywirusowy wykrył .*Eicar",
        response.json()["errors"]["file"][0],
    )
    clean = upload(world.resident, application, "ok.pdf", PDF)
    assert clean.status_code == 201
