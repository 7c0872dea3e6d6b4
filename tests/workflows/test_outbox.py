"""The outbox's schedule, the broker's settings that bound how late a task runs, and
the publishing of a transaction's messages after its commit."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app
from documents.tasks import render_document
from workflows import outbox
from workflows.models import OutboxMessage
from workflows.outbox import outbox_enqueue


def test_beat_flushes_the_outbox_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["flush-outbox"]
    assert (entry["task"], entry["schedule"]) == ("workflows.tasks.flush_outbox", 60.0)


def test_a_dead_workers_task_returns_within_five_minutes_and_no_retry_waits_longer():
    assert app.conf.broker_transport_options["visibility_timeout"] == 300
    assert render_document.retry_backoff_max == 240
    assert app.conf.broker_connection_timeout == 2


@pytest.fixture
def published(monkeypatch):
    """Publishing for real (no eager run); what reaches the broker, in order."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(outbox, "_paused_until", [0.0])
    calls = []
    monkeypatch.setattr(render_document, "apply_async", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_messages_of_one_transaction_leave_in_one_batch_after_its_commit(published):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        outbox_enqueue(render_document, document_id=1)
        outbox_enqueue(render_document, document_id=2)
        written = len(queries)
        assert published == []
    after = [query["sql"] for query in queries.captured_queries[written:]]

    assert [call["kwargs"] for call in published] == [{"document_id": 1}, {"document_id": 2}]
    # The broker's headers name the outbox row, not the arguments (a document's whole
    # context, with the personal data it holds).
    first, second = OutboxMessage.objects.order_by("pk")
    assert [(call["argsrepr"], call["kwargsrepr"]) for call in published] == [
        ("()", f"{{outbox message {first.pk}}}"),
        ("()", f"{{outbox message {second.pk}}}"),
    ]
    # After the commit, one statement: both rows marked sent (published from memory).
    assert [sql.split()[0] for sql in after] == ["COMMIT", "UPDATE"]
    assert list(OutboxMessage.objects.values_list("attempts", "sent_at")) == [
        (1, timezone.now()),
        (1, timezone.now()),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_message_of_a_rolled_back_transaction_is_never_published(published):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(render_document, document_id=1)
        raise RuntimeError
    with transaction.atomic():
        outbox_enqueue(render_document, document_id=2)

    assert [call["kwargs"] for call in published] == [{"document_id": 2}]
    assert list(OutboxMessage.objects.values_list("kwargs", "attempts")) == [
        ({"document_id": 2}, 1)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_batch_writes_its_messages_in_one_insert_and_nothing_when_it_raises(published):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with outbox.outbox_batch():
            outbox_enqueue(render_document, document_id=1)
            outbox_enqueue(render_document, document_id=2)
            assert len(queries) == 1  # BEGIN: nothing written yet
        inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == 1
        with pytest.raises(RuntimeError), transaction.atomic(), outbox.outbox_batch():
            outbox_enqueue(render_document, document_id=3)
            raise RuntimeError

    assert [call["kwargs"] for call in published] == [{"document_id": 1}, {"document_id": 2}]
    assert list(OutboxMessage.objects.order_by("pk").values_list("kwargs", "attempts")) == [
        ({"document_id": 1}, 1),
        ({"document_id": 2}, 1),
    ]


@pytest.mark.django_db(transaction=True)
def test_what_a_batch_holds_can_be_written_before_it_ends(published):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with outbox.outbox_batch():
            outbox_enqueue(render_document, document_id=1)
            outbox.outbox_write_pending()
            assert [q["sql"].split()[0] for q in queries.captured_queries] == [
                "BEGIN",
                "INSERT",
            ]
            outbox_enqueue(render_document, document_id=2)
        assert [q["sql"].split()[0] for q in queries.captured_queries[2:]] == ["INSERT"]

    assert [call["kwargs"] for call in published] == [{"document_id": 1}, {"document_id": 2}]
