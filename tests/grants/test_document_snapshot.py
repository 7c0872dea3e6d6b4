"""A document shows the data of the moment it was asked for: with the worker away, an
agreement generated and then changed by an annex before its first rendering ran keeps
the original amounts, and the annex (a document of its own) shows the new ones."""

import re
import subprocess
from decimal import Decimal

import pytest

from documents.models import Document
from grants import services
from workflows.models import OutboxMessage
from workflows.outbox import outbox_flush

pytestmark = pytest.mark.django_db


def compact_text(document) -> str:
    """The PDF's text without any whitespace (amounts may group digits with spaces)."""
    with document.file.open("rb") as f:
        pdf = f.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s", "", text.stdout.decode("utf-8"))


def waiting_budgets() -> list[tuple[str, list[tuple[str, dict]]]]:
    """The budget lines' grant money of each rendering waiting in the outbox."""
    waiting = OutboxMessage.objects.filter(
        task="documents.tasks.render_document", sent_at=None
    ).order_by("pk")
    return [
        (
            m.kwargs["kind"],
            [(line["description"], line["from_grant"]) for line in m.kwargs["context"]["budget"]],
        )
        for m in waiting
        if m.kwargs["kind"] in ("agreement", "annex")
    ]


def test_an_annex_before_the_first_rendering_leaves_the_first_version_as_it_was(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # Inside the test's transaction nothing commits: every rendering waits, as with
    # the worker away.
    agreement = world.agreement_in_implementation()
    materials, admin = agreement.application.budget_lines.order_by("pk")
    change = services.change_request_submit(
        agreement=agreement,
        actor=world.resident,
        description="Przesunięcie",
        shifts={materials.pk: Decimal("3000.00"), admin.pk: Decimal("0.00")},
    )
    services.change_request_approve(change=change, actor=world.official)
    assert Document.objects.filter(kind__in=["agreement", "annex"]).count() == 0
    decimal = "__snapshot__"
    assert waiting_budgets() == [
        (
            "agreement",
            [
                ("Sadzonki i ziemia", {decimal: "decimal", "value": "2700.00"}),
                ("Obsługa księgowa", {decimal: "decimal", "value": "300.00"}),
            ],
        ),
        (
            "annex",
            [
                ("Sadzonki i ziemia", {decimal: "decimal", "value": "3000.00"}),
                ("Obsługa księgowa", {decimal: "decimal", "value": "0.00"}),
            ],
        ),
    ]

    outbox_flush()  # the worker is back

    [original] = Document.objects.filter(kind="agreement")
    [annex] = Document.objects.filter(kind="annex")
    assert original.version == 1
    assert ("2700,00" in compact_text(original), "2700,00" in compact_text(annex)) == (True, False)
    assert "3000,00" in compact_text(annex)
