"""The relay process that publishes the outbox in production (#18): a request leaves
its messages to it; the relay publishes what is committed, oldest first, in order."""

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app
from documents.tasks import render_document
from workflows import outbox
from workflows.models import OutboxMessage
from workflows.outbox import outbox_enqueue, outbox_relay

pytestmark = pytest.mark.django_db(transaction=True)


class UntilIdle(threading.Event):
    """A stop that comes at the end of the relay's first round."""

    def wait(self, timeout=None):
        self.set()
        return True


@pytest.fixture
def broker(monkeypatch, settings):
    """Publishing for real, with the relay on; what reaches the broker, in order."""
    settings.OUTBOX_RELAY = True
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(outbox, "_paused_until", [0.0])
    calls = []

    def publish(**kwargs):
        if calls and calls[-1] == "away":
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")
        calls.append(kwargs["kwargs"])

    monkeypatch.setattr(render_document, "apply_async", publish)
    return calls


def relay_setting(**env) -> str:
    """``OUTBOX_RELAY`` and its interval as the settings give them under ``env``."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CELERY_", "CACHE_", "DATABASE_", "OUTBOX_"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import settings as s; print(s.OUTBOX_RELAY, s.OUTBOX_RELAY_SECONDS)",
        ],
        env={**keep, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_production_publishes_through_the_relay_and_the_embedded_mode_in_process():
    production = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "relay-" * 10,
        "DATABASE_URL": "postgres://ci@127.0.0.1:5432/ci",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "ALLOWED_HOSTS": "mikrowsparcia.example.org",
    }

    assert relay_setting(**production) == "True 0.5\n"
    assert relay_setting(**production, OUTBOX_RELAY="false") == "False 0.5\n"
    assert relay_setting(DATABASE_URL="sqlite:///demo.sqlite3") == "False 0.5\n"


def test_with_the_relay_a_request_neither_publishes_nor_marks_after_its_commit(broker):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        outbox_enqueue(render_document, document_id=1)
        outbox_enqueue(render_document, document_id=2)
        written = len(queries)
    after = [query["sql"] for query in queries.captured_queries[written:]]

    assert after == ["COMMIT"]
    assert broker == []
    assert list(OutboxMessage.objects.values_list("attempts", "sent_at")) == [(0, None)] * 2

    with CaptureQueriesContext(connection) as round_queries:
        outbox_relay(interval=0.01, stop=UntilIdle())

    assert broker == [{"document_id": 1}, {"document_id": 2}]
    # One round: is anything waiting, then both taken, published and marked at once
    # (a short batch took all there were: no second look inside the round).
    assert [q["sql"].split()[0] for q in round_queries.captured_queries] == [
        "SELECT",
        "BEGIN",
        "SELECT",
        "UPDATE",
        "COMMIT",
    ]
    assert (
        list(OutboxMessage.objects.order_by("pk").values_list("attempts", "sent_at"))
        == [(1, timezone.now())] * 2
    )


def test_the_relay_publishes_only_what_is_committed(broker):
    started, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            outbox_enqueue(render_document, document_id=7)
            started.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(10)
    try:
        outbox_relay(interval=0.01, stop=UntilIdle())  # the row is not committed yet
        published_before = list(broker)
    finally:
        release.set()
        thread.join(10)
    outbox_relay(interval=0.01, stop=UntilIdle())

    assert published_before == []
    assert broker == [{"document_id": 7}]
    assert OutboxMessage.objects.get().sent_at == timezone.now()


def test_a_broker_away_leaves_the_message_waiting_and_the_relay_pauses(broker):
    with transaction.atomic():
        outbox_enqueue(render_document, document_id=1)
    broker.append("away")

    outbox_relay(interval=0.01, stop=UntilIdle())
    outbox_relay(interval=0.01, stop=UntilIdle())  # within the pause: not tried again

    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert message.last_error == "ConnectionError: Error 111 connecting to 127.0.0.1:6379"

    broker.remove("away")
    outbox._paused_until[0] = 0.0  # the pause is over
    outbox_relay(interval=0.01, stop=UntilIdle())

    assert broker == [{"document_id": 1}]
    assert OutboxMessage.objects.get().sent_at == timezone.now()


def test_the_command_once_publishes_what_waits_and_ends(broker, capsys):
    with transaction.atomic():
        outbox_enqueue(render_document, document_id=3)

    call_command("outbox_relay", "--once")

    assert capsys.readouterr().out == "1 messages published\n"
    assert broker == [{"document_id": 3}]
