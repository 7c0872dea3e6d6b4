"""Every amount a person reads in a purchase's life (pages, refusals, notifications,
e-mails, PDFs) is written one way: "20 000,00 zł"."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from documents.models import Document
from notifications.models import Notification
from tests.money_scan import amounts_found, amounts_written_otherwise, pdf_text, visible_text

from .factories import INVOICE, Team, drive, purchase_draft

pytestmark = pytest.mark.django_db


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_a_purchase_lifecycle_writes_every_amount_one_way(
    organisation, group, bands, django_capture_on_commit_callbacks
):
    team = Team(organisation)
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(organisation=organisation, official=official, group=group)
    with django_capture_on_commit_callbacks(execute=True):
        purchase = drive(purchase, team, "accept")
    texts = {}

    def act(role, name, payload):
        client = APIClient()
        client.force_authenticate(team[role])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/api/v1/purchases/{purchase.pk}/transitions/{name}/", payload, format="json"
            )

    # A refusal with amounts: an invoice over the awarded value.
    refused = act(
        Role.OFFICIAL,
        "record_invoice",
        {**INVOICE, "net": "29000.00", "vat": "6670.00", "gross": "35670.00"},
    )
    assert refused.status_code == 400
    texts["refusal"] = str(refused.json())
    for role, name, payload in (
        (Role.OFFICIAL, "record_invoice", INVOICE),
        (Role.FINANCE, "mark_paid", {"on": "2026-07-10"}),
        (Role.OFFICIAL, "close", {}),
    ):
        assert act(role, name, payload).status_code == 200, name
    purchase.refresh_from_db()
    assert purchase.state == "closed"

    for url in (f"/zakupy/{purchase.pk}/", "/zakupy/", "/zakupy/rejestr/"):
        texts[url] = page(official, url)
    for n in Notification.objects.all():
        texts[f"notification {n.pk}"] = f"{n.subject}\n{n.body}"
    for i, message in enumerate(mail.outbox):
        texts[f"e-mail {i}"] = f"{message.subject}\n{message.body}"
    documents = list(Document.objects.all())
    assert len({d.kind for d in documents}) >= 4
    for document in documents:
        texts[f"{document.kind} {document.pk} PDF"] = pdf_text(document)

    assert amounts_written_otherwise(texts) == {}
    assert amounts_found(texts) > 30
    assert "28 000,00 zł" in texts[f"/zakupy/{purchase.pk}/"]
    assert "29 000,00 zł netto" in texts["refusal"]
