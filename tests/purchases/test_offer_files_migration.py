"""The files of the former purchases.OfferAttachment become attachments of their offers
(attachments migration 0003), and back when the migration is reversed. The migration's
functions run on the models of the state before it, with the old table made in the
test's transaction: migrating the database back and forth re-renders every model of
the project and costs a minute."""

import datetime
import hashlib
import importlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from accounts.models import Role
from attachments.models import Attachment
from purchases import services

from .factories import Team, drive, purchase_draft

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("attachments.migrations.0003_from_purchases")
BEFORE = [
    ("attachments", "0002_from_grants"),
    ("purchases", "0008_purchase_settlement_register_index"),
]
PDF = b"%PDF-1.4\n% oferta\n"
LONG_NAME = "oferta-" + "bardzo-dluga-nazwa-" * 11 + ".pdf"


def test_the_offers_files_move_to_the_attachments_app_and_back(organisation, bands, group):
    team = Team(organisation)
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(organisation=organisation, official=official, group=group),
        team,
        "start_quoting",
    )
    by_link = services.offer_submit(
        invitation=purchase.invitations.order_by("pk").first(),
        price_net=Decimal("100.00"),
        price_gross=Decimal("123.00"),
    )
    on_paper = services.offer_record(
        purchase=purchase,
        supplier=team.suppliers[1],
        actor=official,
        channel="paper",
        price_net=Decimal("90.00"),
        price_gross=Decimal("110.70"),
        submitted_at=timezone.now() - datetime.timedelta(hours=2),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    apps = MigrationLoader(connection).project_state(BEFORE).apps
    OfferAttachment = apps.get_model("purchases", "OfferAttachment")
    with connection.schema_editor() as editor:
        editor.create_model(OfferAttachment)
    for offer, name in ((by_link, "oferta.pdf"), (on_paper, LONG_NAME)):
        stored = default_storage.save(
            f"purchases/offers/{purchase.pk}/{offer.pk}/{name}", ContentFile(PDF)
        )
        OfferAttachment.objects.create(
            offer_id=offer.pk, file=stored, name=name, content_type="application/pdf", size=len(PDF)
        )

    MIGRATION.copy_offer_attachments(apps, None)

    moved = list(Attachment.objects.order_by("pk"))
    sha256 = hashlib.sha256(PDF).hexdigest()
    assert [
        (a.owner_type.model, a.owner_id, a.original_name, a.size, a.sha256, a.uploaded_by_id)
        for a in moved
    ] == [
        ("offer", by_link.pk, "oferta.pdf", len(PDF), sha256, None),
        ("offer", on_paper.pk, LONG_NAME, len(PDF), sha256, official.pk),
    ]
    assert [a.uploaded_at for a in moved] == [by_link.submitted_at, on_paper.submitted_at]
    assert moved[0].file.name == f"purchases/offers/{purchase.pk}/{by_link.pk}/oferta.pdf"
    assert moved[1].file.name.startswith(f"attachments/purchases-offer/{on_paper.pk}/")
    assert [a.file.read() for a in moved] == [PDF, PDF]
    assert list(by_link.attachments.values_list("original_name", flat=True)) == ["oferta.pdf"]

    OfferAttachment.objects.all().delete()
    MIGRATION.copy_back(apps, None)

    assert [(r.offer_id, r.name) for r in OfferAttachment.objects.order_by("pk")] == [
        (by_link.pk, "oferta.pdf"),
        (on_paper.pk, LONG_NAME),
    ]
    assert not Attachment.objects.exists()
