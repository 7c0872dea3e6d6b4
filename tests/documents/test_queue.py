"""Documents render on their own Celery queue, "documents", which workers on other
machines may consume alone (``celery -A config worker -Q documents``)."""

import time

import pytest
import redis
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from config.celery import app
from documents.models import Document
from tests.conftest import celery_worker_start, celery_worker_stop
from tests.workflows.sample.models import Ticket


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_rendering_is_routed_to_the_documents_queue_and_the_rest_is_not():
    assert queue_of("documents.tasks.render_document") == "documents"
    assert queue_of("notifications.tasks.send_notification_emails") == "celery"
    assert queue_of("workflows.tasks.fire_due_timers") == "celery"
    # A worker started without -Q (a single worker, as before) consumes both.
    assert sorted(app.amqp.queues) == ["celery", "documents"]


@pytest.fixture
def documents_worker(media_root, monkeypatch):
    """A worker of the "documents" queue only, sharing the database and the media."""
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media_root))
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("documents")
    process = celery_worker_start("documents")
    yield process
    celery_worker_stop(process)


@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_documents_queue_alone_renders(documents_worker, organisation, resident):
    ticket = Ticket.objects.create(
        organisation=organisation, requester=resident, title="Zajęcia dla seniorów", priority=5
    )

    app.send_task(
        "documents.tasks.render_document",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(Ticket).pk,
            "object_id": ticket.pk,
            "kind": "sample",
            "template_name": "sample.html",
            "context_builder": "tests.workflows.sample.models.ticket_document_context",
        },
    )

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not Document.objects.filter(object_id=ticket.pk):
        assert documents_worker.poll() is None, documents_worker.stdout.read().decode()
        time.sleep(0.3)
    [document] = Document.objects.filter(object_id=ticket.pk)
    assert (document.kind, document.version) == ("sample", 1)
    assert document.file.read(5) == b"%PDF-"
