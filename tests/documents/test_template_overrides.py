"""Document wording per organisation: the organisation administrator saves an override
on a page (versioned, audited, sandboxed, previewed from sample data); the next
agreement PDF uses it and the documents stored before keep their bytes."""

import datetime
import hashlib
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from accounts.models import Role
from documents import services
from documents.models import Document, TemplateOverride
from documents.overrides import OVERRIDABLE, sample_context
from grants.models import InterestRate
from tests.clients import web as signed_in
from tests.grants.conftest import GrantWorld, small_grant_limits_ensure
from workflows.errors import NotPermitted
from workflows.models import AuditEntry
from workflows.outbox import outbox_flush

pytestmark = pytest.mark.django_db

AGREEMENT = "grants/agreement.html"
MARK = "WZÓR GMINY MIASTO PRÓBNE 2027"


@pytest.fixture
def world(db, clock):
    small_grant_limits_ensure()
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00"))
    return GrantWorld()


@pytest.fixture
def admin(world):
    return world.member(Role.ORG_ADMIN)


def edit_url(world, name=AGREEMENT) -> str:
    return reverse("documents:template_override", args=[world.organisation.pk, name])


def default_text(name=AGREEMENT) -> str:
    return get_template(f"documents/{name}").template.source


def marked_text() -> str:
    return default_text().replace("{% block content %}", "{% block content %}<p>" + MARK + "</p>")


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def stored(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def test_an_override_saved_on_the_page_changes_the_next_agreement_and_not_the_stored_ones(
    world, admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    first = world.agreement_in_implementation()
    outbox_flush()
    [before] = Document.objects.filter(kind="agreement", object_id=first.pk)
    before_bytes = stored(before)
    assert before.template_name == "documents/grants/agreement.html"
    assert MARK not in pdf_text(before_bytes)

    response = signed_in(admin).post(edit_url(world), {"text": marked_text(), "save": ""})

    assert response.status_code == 302
    assert response["Location"] == edit_url(world)
    [override] = TemplateOverride.objects.all()
    assert (override.version, override.is_default, override.created_by) == (1, False, admin)
    entry = AuditEntry.objects.get(action="template_override_save")
    assert (entry.actor, entry.object_id, entry.after) == (
        admin,
        world.organisation.pk,
        {"template": AGREEMENT, "version": 1, "default": False},
    )

    second = world.agreement_in_implementation()
    outbox_flush()
    [after] = Document.objects.filter(kind="agreement", object_id=second.pk)
    assert after.template_name == f"db-override/{world.organisation.pk}/{AGREEMENT}@v1"
    assert MARK in pdf_text(stored(after))
    # The agreement stored before is the same row with the same bytes.
    before_again = Document.objects.get(pk=before.pk)
    assert (before_again.sha256, before_again.version) == (before.sha256, 1)
    assert stored(before_again) == before_bytes
    assert hashlib.sha256(before_bytes).hexdigest() == before.sha256
    assert Document.objects.filter(kind="agreement", object_id=first.pk).count() == 1


def test_back_to_the_default_is_a_new_version_and_the_default_renders_again(world, admin):
    services.template_override_save(
        organisation=world.organisation, template_name=AGREEMENT, text=marked_text(), actor=admin
    )
    reset = reverse("documents:template_override_reset", args=[world.organisation.pk, AGREEMENT])

    response = signed_in(admin).post(reset)

    assert response.status_code == 302
    rows = list(TemplateOverride.objects.order_by("version").values_list("version", "is_default"))
    assert rows == [(1, False), (2, True)]
    entry = AuditEntry.objects.get(action="template_override_reset")
    assert (entry.before, entry.after) == (
        {"template": AGREEMENT, "version": 1, "default": False},
        {"template": AGREEMENT, "version": 2, "default": True},
    )
    from documents.rendering import document_template

    chosen = document_template(AGREEMENT, world.organisation)
    assert chosen.origin.template_name == "documents/grants/agreement.html"
    page = signed_in(admin).get(edit_url(world))
    assert "W użyciu: domyślny wzór." in page.content.decode()
    # A second reset has nothing to reset.
    signed_in(admin).post(reset)
    assert TemplateOverride.objects.count() == 2


def test_the_preview_is_a_pdf_of_the_sample_data(world, admin):
    response = signed_in(admin).post(edit_url(world), {"text": marked_text(), "preview": ""})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert MARK in text
    assert "Stowarzyszenie Przykładowe" in text
    assert "5 000,00 zł" in text
    assert TemplateOverride.objects.count() == 0


@pytest.mark.parametrize(
    "text, error",
    [
        (
            "{% load static %}{% static 'x' %}",
            "Szablonu nie można użyć: Wczytać można tylko te biblioteki: i18n, l10n, polish, tz "
            "(nie static).",
        ),
        (
            '{% include "accounts/profile.html" %}',
            "Szablonu nie można użyć: {% include %} może wskazać tylko szablon dokumentu, "
            "w cudzysłowie.",
        ),
        (
            '{% extends "documents/overrides/1234563218/grants/agreement.html" %}',
            "Szablonu nie można użyć: {% extends %} może wskazać tylko szablon dokumentu, "
            "w cudzysłowie.",
        ),
        (
            "{% include name %}",
            "Szablonu nie można użyć: {% include %} może wskazać tylko szablon dokumentu, "
            "w cudzysłowie.",
        ),
        ("{% debug %}", "Szablonu nie można użyć: Znacznik {% debug %} jest niedozwolony."),
    ],
)
def test_a_template_outside_the_sandbox_is_refused_at_the_field(world, admin, text, error):
    response = signed_in(admin).post(edit_url(world), {"text": text, "save": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"text": [error]}
    assert response.context["form"]["text"].value() == text
    assert TemplateOverride.objects.count() == 0


def test_a_template_that_does_not_compile_or_fails_to_render_is_refused_not_a_500(world, admin):
    client = signed_in(admin)
    for text, starts in [
        ("{% if %}", "Szablonu nie można użyć: "),
        (
            '{% extends "documents/base.html" %}{% block content %}{% url "nowhere" %}'
            "{% endblock %}",
            "Szablonu nie można użyć: Reverse for 'nowhere' not found.",
        ),
    ]:
        for button in ("save", "preview"):
            response = client.post(edit_url(world), {"text": text, button: ""})
            assert response.status_code == 200
            [message] = response.context["form"].errors["text"]
            assert message.startswith(starts)
            assert response.context["form"]["text"].value() == text
    assert TemplateOverride.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="template_override").count() == 0


def test_only_the_organisation_administrator_may_change_the_wording(world, admin):
    assert signed_in(world.official).get(edit_url(world)).status_code == 403
    assert (
        signed_in(world.official).post(edit_url(world), {"text": "x", "save": ""}).status_code
        == 403
    )
    with pytest.raises(NotPermitted):
        services.template_override_save(
            organisation=world.organisation,
            template_name=AGREEMENT,
            text=marked_text(),
            actor=world.official,
        )
    assert signed_in(admin).get(edit_url(world, "grants/../settings.py")).status_code == 404


def test_the_list_shows_each_document_with_the_wording_in_force(world, admin):
    services.template_override_save(
        organisation=world.organisation, template_name=AGREEMENT, text=marked_text(), actor=admin
    )
    page = signed_in(admin).get(
        reverse("documents:template_overrides", args=[world.organisation.pk])
    )

    assert page.status_code == 200
    rows = [(t["name"], t["latest"] and t["latest"].version) for t in page.context["templates"]]
    assert rows[0] == (AGREEMENT, 1)
    assert [version for _name, version in rows[1:]] == [None] * (len(OVERRIDABLE) - 1)
    assert "własny, wersja 1" in page.content.decode()


def test_the_edit_page_starts_from_the_text_in_force(world, admin):
    page = signed_in(admin).get(edit_url(world))
    assert page.context["form"]["text"].value() == default_text()
    services.template_override_save(
        organisation=world.organisation, template_name=AGREEMENT, text=marked_text(), actor=admin
    )
    page = signed_in(admin).get(edit_url(world))
    assert page.context["form"]["text"].value() == marked_text()
    assert [v.version for v in page.context["versions"]] == [1]


def test_every_document_template_can_be_worded_by_the_organisation():
    on_disk = {
        str(path.relative_to(path.parents[1]))
        for app in settings.BASE_DIR.iterdir()
        if app.is_dir() and app.name not in {".venv", "node_modules"}
        for path in app.glob("templates/documents/*/*.html")
        if not path.name.startswith("_")
    }

    assert on_disk == set(OVERRIDABLE)


@pytest.mark.parametrize("name", sorted(OVERRIDABLE))
def test_each_document_s_own_wording_previews_from_its_sample(world, admin, name):
    response = signed_in(admin).post(
        edit_url(world, name), {"text": default_text(name), "preview": ""}
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert str(sample_context(name)["document_title"]) in pdf_text(response.content)
