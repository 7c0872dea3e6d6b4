"""Acceptance 3: before the deadline no official role reads an offer's price or
attachments through the API, the pages or the admin (nor the attachments app's, which
keeps the files); after it, they can."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from purchases import services
from purchases.models import Purchase
from tests.clients import api, web
from tests.factories import OrganisationFactory
from workflows.engine import transition_apply
from workflows.models import AuditEntry

from .factories import Team, deadline_in, drive, purchase_draft, user_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% oferta\n"
ALL_ROLES = [Role.OFFICIAL, Role.UNIT_HEAD, Role.FINANCE, Role.EVALUATOR, Role.ORG_ADMIN]


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


@pytest.fixture
def offer(team, group):
    purchase = purchase_draft(
        organisation=team.organisation, official=team[Role.OFFICIAL], group=group
    )
    purchase = drive(purchase, team, "approve")
    transition_apply(
        obj=purchase,
        name="start_quoting",
        actor=team[Role.OFFICIAL],
        payload={
            "deadline": deadline_in(hours=1).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        },
    )
    return services.offer_submit(
        invitation=purchase.invitations.first(),
        price_net=Decimal("27654.32"),
        price_gross=Decimal("34014.81"),
        attachments=[SimpleUploadedFile("oferta.pdf", PDF, content_type="application/pdf")],
    )


def after_deadline(offer):
    deadline = Purchase.objects.get(pk=offer.purchase_id).quote_deadline
    return deadline + datetime.timedelta(seconds=1)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_api_hides_price_and_attachments_before_the_deadline(team, offer, role):
    user = user_with(team.organisation, role)
    attachment = offer.attachments.get()

    listed = api(user).get(f"/api/v1/purchases/{offer.purchase_id}/offers/").json()
    detail = api(user).get(f"/api/v1/purchase-offers/{offer.pk}/").json()
    download = api(user).get(f"/api/v1/purchase-offers/{offer.pk}/attachments/{attachment.pk}/")

    for body in (listed[0], detail):
        assert (
            body["sealed"],
            body["price_net"],
            body["price_gross"],
            body["answers"],
            body["score"],
            body["attachments"],
        ) == (True, None, None, None, None, [])
    assert download.status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_pages_hide_price_and_attachments_before_the_deadline(team, offer, role):
    user = user_with(team.organisation, role)
    attachment = offer.attachments.get()

    page = web(user).get(f"/zakupy/{offer.purchase_id}/").content.decode()
    download = web(user).get(f"/zakupy/oferty/{offer.pk}/zalaczniki/{attachment.pk}/")

    assert "Oferty są zapieczętowane do" in page
    assert "27654" not in page and "34014" not in page and "oferta.pdf" not in page
    assert download.status_code == 404


def test_the_admin_hides_price_and_attachments_before_the_deadline(team, offer):
    admin = user_with(team.organisation, Role.OFFICIAL)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])

    listing = web(admin).get("/admin/purchases/offer/").content.decode()
    change = web(admin).get(f"/admin/purchases/offer/{offer.pk}/change/").content.decode()

    for page in (listing, change):
        assert "zapieczętowana do upływu terminu" in page
        assert "27654" not in page and "34014" not in page and "oferta.pdf" not in page


def test_after_the_deadline_every_layer_shows_the_offer(team, offer, time_machine):
    official = team[Role.OFFICIAL]
    attachment = offer.attachments.get()
    admin = user_with(team.organisation, Role.EVALUATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    time_machine.move_to(after_deadline(offer))

    detail = api(official).get(f"/api/v1/purchase-offers/{offer.pk}/").json()
    download = api(official).get(f"/api/v1/purchase-offers/{offer.pk}/attachments/{attachment.pk}/")
    page = web(official).get(f"/zakupy/{offer.purchase_id}/").content.decode()
    page_download = web(official).get(f"/zakupy/oferty/{offer.pk}/zalaczniki/{attachment.pk}/")
    change = web(admin).get(f"/admin/purchases/offer/{offer.pk}/change/").content.decode()

    assert (detail["sealed"], detail["price_net"], detail["price_gross"]) == (
        False,
        "27654.32",
        "34014.81",
    )
    assert detail["attachments"] == [
        {
            "id": attachment.pk,
            "name": "oferta.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    ]
    assert b"".join(download.streaming_content) == PDF
    assert "27 654,32 zł" in page and "oferta.pdf" in page
    assert b"".join(page_download.streaming_content) == PDF
    assert "27654" in change and "oferta.pdf" in change


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_attachments_app_hides_an_offers_files_before_the_deadline(team, offer, role):
    user = user_with(team.organisation, role)
    attachment = offer.attachments.get()

    answers = [
        api(user).get(f"/api/v1/attachments/?owner=purchases.offer&owner_id={offer.pk}"),
        api(user).get(f"/api/v1/attachments/{attachment.pk}/"),
        api(user).get(f"/api/v1/attachments/{attachment.pk}/download/"),
        web(user).get(f"/zalaczniki/{attachment.pk}/"),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]


def test_after_the_deadline_the_attachments_app_serves_an_offers_files_and_changes_none(
    team, offer, time_machine
):
    official = team[Role.OFFICIAL]
    stranger = user_with(OrganisationFactory(), Role.OFFICIAL)
    attachment = offer.attachments.get()
    time_machine.move_to(after_deadline(offer))

    listed = api(official).get(f"/api/v1/attachments/?owner=purchases.offer&owner_id={offer.pk}")
    download = web(official).get(f"/zalaczniki/{attachment.pk}/")
    page_download = web(official).get(f"/zakupy/oferty/{offer.pk}/zalaczniki/{attachment.pk}/")
    added = api(official).post(
        "/api/v1/attachments/",
        {
            "owner": "purchases.offer",
            "owner_id": offer.pk,
            "file": SimpleUploadedFile("dopisek.pdf", PDF),
        },
        format="multipart",
    )
    deleted = api(official).delete(f"/api/v1/attachments/{attachment.pk}/")
    unseen = web(stranger).get(f"/zalaczniki/{attachment.pk}/")

    assert [(r["original_name"], r["sha256"]) for r in listed.json()] == [
        ("oferta.pdf", hashlib.sha256(PDF).hexdigest())
    ]
    assert b"".join(download.streaming_content) == PDF
    assert b"".join(page_download.streaming_content) == PDF
    assert (added.status_code, deleted.status_code, unseen.status_code) == (403, 403, 404)
    assert list(offer.attachments.values_list("original_name", flat=True)) == ["oferta.pdf"]
    downloads = AuditEntry.objects.filter(action="attachment_download", object_id=attachment.pk)
    assert list(downloads.values_list("actor", flat=True)) == [official.pk, official.pk]


def test_an_offers_file_is_in_the_audit_trail_without_its_name(offer):
    attachment = offer.attachments.get()

    entry = AuditEntry.objects.get(
        action="attachment_add",
        content_type__app_label="purchases",
        content_type__model="offer",
        object_id=offer.pk,
    )

    assert (entry.actor, entry.after) == (
        None,
        {"attachment": attachment.pk, "sha256": hashlib.sha256(PDF).hexdigest(), "sealed": True},
    )
    assert (attachment.uploaded_by, attachment.sha256) == (None, hashlib.sha256(PDF).hexdigest())


def test_an_attachment_is_judged_by_its_content_as_every_attachment(team, offer):
    invitation = Purchase.objects.get(pk=offer.purchase_id).invitations.last()
    from workflows.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        services.offer_submit(
            invitation=invitation,
            price_net=Decimal("1.00"),
            price_gross=Decimal("1.23"),
            attachments=[
                SimpleUploadedFile("oferta.pdf", b"MZ\x90\x00", content_type="application/pdf")
            ],
        )

    assert refused.value.field_errors == {
        "attachments": [
            "oferta.pdf nie jest plikiem PDF, JPEG, PNG, ODT ani DOCX (sprawdzono zawartość)."
        ]
    }
    assert not invitation.supplier.offers.exists()


def test_a_link_stops_working_at_the_deadline(team, offer, time_machine, client):
    invitation = Purchase.objects.get(pk=offer.purchase_id).invitations.last()
    token = services.invitation_token(invitation)
    time_machine.move_to(after_deadline(offer))

    response = client.post(f"/zakupy/oferta/{token}/", {"price_net": "1.00", "price_gross": "1.23"})

    assert response.status_code == 200
    assert (
        "Termin składania ofert upłynął; nie można już składać ofert." in response.content.decode()
    )
    assert not invitation.supplier.offers.exists()
    assert client.get("/zakupy/oferta/zly-token/").status_code == 404
