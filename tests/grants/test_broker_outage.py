"""A resident submits while the broker is away: the submit is committed and answers
success (API and page), the application PDF and the e-mails wait in the outbox, and
once the broker is back a real worker renders the PDF once and sends each e-mail once,
however many times the messages are published."""

import socket
import time

import pytest
import redis
from django.conf import settings
from django.test import Client

from config.celery import app
from documents.models import Document
from grants.models import Application
from notifications.models import Delivery, Notification
from tests.factories import UserFactory
from workflows import outbox
from workflows.models import OutboxMessage
from workflows.outbox import outbox_flush

from .conftest import api

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFIED = [
    "czlonek1@example.org",
    "czlonek2@example.org",
    "czlonek3@example.org",
    "mieszkaniec@example.org",
]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the probe is


def use_broker(monkeypatch, url: str) -> None:
    """Publish to ``url`` from now on (the app's connection pools are made anew)."""
    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it before its settings
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """One media directory for this process and the worker it starts."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(settings.MEDIA_ROOT))
    return settings.MEDIA_ROOT


@pytest.fixture
def broker(monkeypatch):
    """Tasks are published (not run in the process), to the real Redis when ``up()``
    and to a closed port when ``down()``. The queue starts empty."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(outbox, "_paused_until", [0.0])
    queue = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue.delete("celery", "documents", "unacked", "unacked_index")

    class Broker:
        @staticmethod
        def down():
            use_broker(monkeypatch, f"redis://127.0.0.1:{closed_port()}/0")

        @staticmethod
        def up():
            use_broker(monkeypatch, settings.CELERY_BROKER_URL)

        @staticmethod
        def drained() -> bool:
            queued = queue.llen("celery") + queue.llen("documents")
            return queued == 0 and queue.hlen("unacked") == 0

    yield Broker
    use_broker(monkeypatch, settings.CELERY_BROKER_URL)


def page_submit(resident, application: Application):
    """Post the application's edit page as the browser would, with "Złóż wniosek"."""
    client = Client()
    client.force_login(resident)
    url = f"/granty/wnioski/{application.pk}/edycja/"
    shown = client.get(url)
    data = {"submit": "1"}
    forms = [shown.context["form"]]
    for formset in shown.context["formsets"].values():
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return client.post(url, data)


def wait_for(condition, worker, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, worker.stdout.read().decode()
        time.sleep(0.3)
    raise AssertionError("the worker did not finish in time")


def test_a_submit_while_the_broker_is_away_succeeds_and_its_effects_follow_once(
    world, broker, shared_media, celery_worker_process
):
    by_api = world.draft()
    other_resident = UserFactory()
    by_page = world.draft(applicant=other_resident)
    broker.down()

    started = time.monotonic()
    response = api(world.resident).post(
        f"/api/v1/grant-applications/{by_api.pk}/transitions/submit/", {}, format="json"
    )
    answered_in = time.monotonic() - started
    page = page_submit(other_resident, by_page)

    assert (response.status_code, response.json()["state"], response.json()["number"]) == (
        200,
        "submitted",
        "GMP/2026/FS1/0001",
    )
    # The request tried the broker once, briefly; the page's submit, seconds later,
    # left its messages to the flush without waiting for the broker again.
    assert answered_in < 30, answered_in
    tried = OutboxMessage.objects.filter(attempts__gt=0)
    assert [(m.attempts, m.last_error.split(":")[0]) for m in tried] == [(1, "OperationalError")]
    assert (page.status_code, page.url) == (302, f"/granty/wnioski/{by_page.pk}/")
    assert Application.objects.get(pk=by_page.pk).state == "submitted"
    assert Document.objects.count() == 0
    # The inbox has its messages with the transition; their e-mails wait.
    assert (
        sorted(Notification.objects.filter(object_id=by_api.pk).values_list("email", flat=True))
        == NOTIFIED
    )
    assert set(Delivery.objects.values_list("status", "attempts")) == {("queued", 0)}
    # One message per submit carries the e-mails of all its notifications.
    waiting = OutboxMessage.objects.filter(sent_at=None)
    assert sorted(waiting.values_list("task", flat=True)) == sorted(
        ["documents.tasks.render_document"] * 2
        + ["notifications.tasks.send_notification_emails"] * 2
    )

    # A flush while the broker is still away publishes nothing and loses nothing.
    assert outbox_flush() == 0
    assert OutboxMessage.objects.filter(sent_at=None).count() == 4

    broker.up()
    assert outbox_flush() == 4

    def done() -> bool:
        return (
            Document.objects.count() == 2
            and not Delivery.objects.exclude(status="sent").exists()
            and broker.drained()
        )

    wait_for(done, celery_worker_process)
    # Published again (a process died before marking them sent): nothing happens twice.
    OutboxMessage.objects.update(sent_at=None)
    assert outbox_flush() == 4
    wait_for(broker.drained, celery_worker_process)
    time.sleep(1)

    assert sorted(
        Document.objects.values_list("object_id", "kind", "version", "created_by")
    ) == sorted(
        [
            (by_api.pk, "application", 1, world.resident.pk),
            (by_page.pk, "application", 1, other_resident.pk),
        ]
    )
    assert sorted(Delivery.objects.values_list("notification__email", "status", "attempts")) == (
        sorted(
            [(email, "sent", 1) for email in NOTIFIED]
            + [(email, "sent", 1) for email in NOTIFIED[:3]]
            + [(other_resident.email, "sent", 1)]
        )
    )
