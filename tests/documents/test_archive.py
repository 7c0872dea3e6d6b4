import dataclasses
import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InternalError, ProgrammingError, transaction

from documents import services
from documents.effects import render_document_effect
from documents.models import Document
from documents.selectors import document_latest, documents_of
from documents.services import document_render
from documents.tasks import render_document
from tests.workflows.sample.models import Ticket, ticket_document_context
from workflows.engine import transition_apply, transitions_of

from .conftest import stored_files

pytestmark = pytest.mark.django_db

BUILDER = "tests.workflows.sample.models.ticket_document_context"


def render(ticket, actor=None) -> Document:
    return document_render(
        owner=ticket,
        kind="sample",
        template_name="sample.html",
        context=ticket_document_context(ticket),
        actor=actor,
    )


def task_kwargs(ticket, actor=None) -> dict:
    return {
        "content_type_id": ContentType.objects.get_for_model(Ticket).pk,
        "object_id": ticket.pk,
        "kind": "sample",
        "template_name": "sample.html",
        "context_builder": BUILDER,
        "actor_id": actor.pk if actor else None,
    }


def test_rendering_stores_the_file_and_its_row(ticket, resident, media_root):
    document = render(ticket, actor=resident)

    content = default_storage.open(document.file.name).read()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert content.startswith(b"%PDF-1.7")
    assert (document.kind, document.version, document.number, document.title) == (
        "sample",
        1,
        f"ZG/{ticket.pk}/2026",
        "Zgłoszenie",
    )
    assert document.owner == ticket
    assert document.created_by == resident
    assert document.template_name == "documents/sample.html"
    assert stored_files(media_root) == [f"documents/sample/ticket/{ticket.pk}/sample-v1.pdf"]


def test_rendering_identical_data_twice_leaves_one_version(ticket, media_root):
    first = render(ticket)
    second = render(ticket)

    assert second == first
    assert list(documents_of(ticket).values_list("version", flat=True)) == [1]
    assert len(stored_files(media_root)) == 1


def test_changed_data_makes_a_new_version_with_a_different_hash(ticket, media_root):
    first = render(ticket)
    Ticket.objects.filter(pk=ticket.pk).update(title="Zajęcia dla dzieci")
    ticket.refresh_from_db()

    second = render(ticket)

    assert [(d.version, d.sha256) for d in documents_of(ticket)] == [
        (1, first.sha256),
        (2, second.sha256),
    ]
    assert first.sha256 != second.sha256
    assert first.context_hash != second.context_hash
    assert document_latest(ticket, kind="sample") == second
    assert stored_files(media_root) == [
        f"documents/sample/ticket/{ticket.pk}/sample-v1.pdf",
        f"documents/sample/ticket/{ticket.pk}/sample-v2.pdf",
    ]
    # Going back to the first data finds the first version again.
    Ticket.objects.filter(pk=ticket.pk).update(title="Zajęcia dla seniorów")
    ticket.refresh_from_db()
    assert render(ticket) == first


def test_versions_are_counted_per_owner_and_kind(ticket, organisation, resident):
    other = Ticket.objects.create(organisation=organisation, requester=resident, title="Inny")

    render(ticket)
    render(other)
    decision = document_render(
        owner=ticket,
        kind="decision",
        template_name="sample.html",
        context=ticket_document_context(ticket),
    )

    assert render(other).version == 1
    assert decision.version == 1
    assert decision.number == f"ZG/{ticket.pk}/2026"


def test_an_override_added_later_makes_a_new_version_from_it(ticket, extra_templates, settings):
    first = render(ticket)
    override = extra_templates / "documents" / "overrides" / ticket.organisation.nip / "sample.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "documents/base.html" %}{% block content %}Gmina{% endblock %}')
    settings.TEMPLATES = [*settings.TEMPLATES]  # empties the template cache, as a deploy does

    second = render(ticket)

    assert (first.version, first.template_name) == (1, "documents/sample.html")
    assert (second.version, second.template_name) == (
        2,
        f"documents/overrides/{ticket.organisation.nip}/sample.html",
    )


def test_number_defaults_to_kind_and_owner_id(ticket):
    context = ticket_document_context(ticket)
    del context["document_number"]

    document = document_render(
        owner=ticket, kind="sample", template_name="sample.html", context=context
    )

    assert document.number == f"sample/{ticket.pk}"


def test_a_context_without_a_title_is_refused(ticket):
    context = ticket_document_context(ticket)
    del context["document_title"]

    with pytest.raises(ValueError, match="needs a document_title"):
        document_render(owner=ticket, kind="sample", template_name="sample.html", context=context)
    assert Document.objects.count() == 0


def test_a_kind_that_is_not_a_slug_is_refused(ticket, media_root):
    with pytest.raises(ValidationError):
        document_render(
            owner=ticket,
            kind="../agreement",
            template_name="sample.html",
            context=ticket_document_context(ticket),
        )
    assert stored_files(media_root) == []


def test_a_failure_after_the_file_is_written_leaves_no_file(ticket, media_root, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("lost the connection")

    monkeypatch.setattr(Document.objects, "create", fail)

    with pytest.raises(IntegrityError):
        render(ticket)

    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_left_by_a_killed_attempt_is_replaced(ticket, media_root):
    stray = f"documents/sample/ticket/{ticket.pk}/sample-v1.pdf"
    default_storage.save(stray, ContentFile(b"%PDF- half written"))

    document = render(ticket)

    assert document.file.name == stray
    content = default_storage.open(stray).read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert stored_files(media_root) == [stray]


def test_a_stored_document_cannot_be_changed(ticket):
    document = render(ticket)
    document.number = "forged"

    with pytest.raises(ValidationError):
        document.save()
    with (
        pytest.raises((InternalError, ProgrammingError), match="Stored documents are immutable"),
        transaction.atomic(),
    ):
        Document.objects.filter(pk=document.pk).update(number="forged")
    assert Document.objects.get(pk=document.pk).number == f"ZG/{ticket.pk}/2026"


def test_task_renders_from_ids_and_is_idempotent(ticket, resident, media_root):
    first = render_document.apply(kwargs=task_kwargs(ticket, resident)).get()
    second = render_document.apply(kwargs=task_kwargs(ticket, resident)).get()

    assert first == second
    document = Document.objects.get()
    assert (document.pk, document.created_by, document.owner) == (first, resident, ticket)
    assert len(stored_files(media_root)) == 1


def test_task_that_fails_once_succeeds_on_retry_with_one_document_and_one_file(
    ticket, media_root, monkeypatch
):
    real_save = default_storage.save
    attempts = []

    def save_then_fail_once(name, content, **kwargs):
        written = real_save(name, content, **kwargs)
        attempts.append(written)
        if len(attempts) == 1:
            raise OSError("the storage dropped the connection after the upload")
        return written

    monkeypatch.setattr(default_storage, "save", save_then_fail_once)

    # throw=False: eager tasks retry in place only when errors are not propagated.
    result = render_document.apply(kwargs=task_kwargs(ticket), throw=False)

    assert result.successful()
    path = f"documents/sample/ticket/{ticket.pk}/sample-v1.pdf"
    assert attempts == [path, path]
    document = Document.objects.get()
    assert result.get() == document.pk
    assert stored_files(media_root) == [path]
    content = default_storage.open(path).read()
    assert hashlib.sha256(content).hexdigest() == document.sha256


def test_task_does_not_retry_when_the_owner_is_gone(ticket, monkeypatch):
    kwargs = task_kwargs(ticket)
    Ticket.objects.filter(pk=ticket.pk).delete()
    calls = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html: calls.append(html))

    with pytest.raises(Ticket.DoesNotExist):
        render_document.apply(kwargs=kwargs)

    assert calls == []
    assert Document.objects.count() == 0


def test_task_options():
    assert render_document.max_retries == 6
    assert render_document.retry_backoff == 5
    assert (render_document.soft_time_limit, render_document.time_limit) == (120, 150)
    assert render_document.autoretry_for == (Exception,)


@pytest.fixture
def file_renders_a_document(monkeypatch):
    """The sample workflow's "file" transition with a document effect added."""
    [transition] = [t for t in transitions_of(Ticket) if t.name == "file"]
    spec = transition.custom["spec"]
    effect = render_document_effect("sample", "sample.html", ticket_document_context)
    monkeypatch.setitem(
        transition.custom, "spec", dataclasses.replace(spec, effects=(*spec.effects, effect))
    )
    return effect


def test_transition_queues_the_document_on_commit(
    file_renders_a_document, django_capture_on_commit_callbacks, ticket, resident
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition_apply(obj=ticket, name="file", actor=resident)
    assert Document.objects.count() == 0  # nothing before the commit

    for callback in callbacks:
        callback()

    document = Document.objects.get()
    assert (document.owner, document.kind, document.created_by) == (ticket, "sample", resident)


def test_effect_takes_the_builder_as_a_path_or_a_function():
    assert render_document_effect("sample", "sample.html", BUILDER).label == "render sample"
    with pytest.raises(ValueError, match="is not importable"):
        render_document_effect("sample", "sample.html", lambda ticket: {})
