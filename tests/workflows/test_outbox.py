"""The outbox's schedule and the broker's settings that bound how late a task runs."""

from config.celery import app
from documents.tasks import render_document


def test_beat_flushes_the_outbox_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["flush-outbox"]
    assert (entry["task"], entry["schedule"]) == ("workflows.tasks.flush_outbox", 60.0)


def test_a_dead_workers_task_returns_within_five_minutes_and_no_retry_waits_longer():
    assert app.conf.broker_transport_options["visibility_timeout"] == 300
    assert render_document.retry_backoff_max == 240
    assert app.conf.broker_connection_timeout == 2
