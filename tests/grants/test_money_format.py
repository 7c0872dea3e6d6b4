"""Every amount a person reads in a grant's life (pages, refusals, notifications,
e-mails, PDFs) is written one way: "20 000,00 zł"."""

import pytest
from django.core import mail
from django.test import Client

from documents.models import Document
from grants import services
from notifications.models import Notification
from tests.money_scan import amounts_found, amounts_written_otherwise, pdf_text, visible_text

from .conftest import api

pytestmark = pytest.mark.django_db(transaction=True)


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def test_a_grant_lifecycle_writes_every_amount_one_way(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    texts = {}
    # A refused submit: the grant over the call's maximum, the own share too low.
    refused = world.draft(applicant=world.member("official"))
    payload = world.draft_payload()
    lines = payload.pop("budget_lines")
    for row in lines:
        row["category_id"] = row.pop("category")
    lines[0].update(unit_cost="630.00", from_grant="6300.00", own_money="0")
    services.application_save_draft(
        application=refused, actor=refused.applicant, fields={}, budget_lines=lines
    )
    response = api(refused.applicant).post(
        f"/api/v1/grant-applications/{refused.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 400
    texts["refusal"] = str(response.json())
    texts["refused form"] = page(refused.applicant, f"/granty/wnioski/{refused.pk}/edycja/")

    agreement = world.agreement_in_implementation()
    application = agreement.application
    materials, admin = application.budget_lines.order_by("pk")
    change = (
        api(world.resident)
        .post(
            f"/api/v1/grant-agreements/{agreement.pk}/change-requests/",
            {"description": "Przesunięcie", "shifts": {materials.pk: "3000.00", admin.pk: "0.00"}},
            format="json",
        )
        .json()
    )
    api(world.official).post(
        f"/api/v1/grant-agreements/{agreement.pk}/change-requests/{change['id']}/approve/"
    )

    call = world.call
    for url in (
        f"/granty/nabory/{call.pk}/",
        f"/granty/nabory/{call.pk}/ranking/",
        f"/granty/wnioski/{application.pk}/",
        "/granty/kolejka/",
        "/granty/umowy/",
        f"/granty/umowy/{agreement.pk}/",
    ):
        texts[f"official {url}"] = page(world.official, url)
    for url in (f"/granty/wnioski/{application.pk}/", f"/granty/umowy/{agreement.pk}/"):
        texts[f"resident {url}"] = page(world.resident, url)
    # The public results, as they read once announced (the call's own steps are not
    # what this test is about).
    type(call).objects.filter(pk=call.pk).update(state="decided")
    texts["public results"] = page(world.resident, f"/granty/nabory/{call.pk}/wyniki/")
    for review in application.reviews.all():
        texts[f"review {review.pk}"] = page(review.evaluator, f"/granty/oceny/{review.pk}/")
    for n in Notification.objects.all():
        texts[f"notification {n.pk}"] = f"{n.subject}\n{n.body}"
    for i, message in enumerate(mail.outbox):
        texts[f"e-mail {i}"] = f"{message.subject}\n{message.body}"
    documents = list(Document.objects.all())
    assert {d.kind for d in documents} == {"application", "agreement", "annex"}
    for document in documents:
        texts[f"{document.kind} PDF"] = pdf_text(document)

    assert amounts_written_otherwise(texts) == {}
    assert amounts_found(texts) > 50  # the scan saw the amounts it was meant to see
    assert (
        "Wnioskowana dotacja (6 600,00 zł) przekracza maksimum naboru, 5 000,00 zł."
        in (texts["refusal"])
    )
    assert "3 000,00 zł" in texts[f"official /granty/umowy/{agreement.pk}/"]
