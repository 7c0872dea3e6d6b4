"""A real Celery worker process consumes a task from the Redis broker and writes to the
test database."""

import time

import pytest

from config.celery import app
from tests.factories import random_token
from tests.workflows.sample.models import Ping

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_consumes_a_task_through_redis(celery_worker_process):
    token = random_token()

    app.send_task("tests.workflows.sample.tasks.record_ping", args=[token])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Ping.objects.filter(token=token).exists():
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read().decode()
        time.sleep(0.2)
    assert Ping.objects.filter(token=token).count() == 1
