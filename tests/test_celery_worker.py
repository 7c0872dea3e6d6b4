"""A real Celery worker process consumes a task from the Redis broker and writes to the
test database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.factories import random_token
from tests.workflows.sample.models import Ping

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def celery_worker_process():
    broker = settings.CELERY_BROKER_URL
    assert broker and broker.startswith("redis://"), "the suite runs against Redis"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_worker_consumes_a_task_through_redis(celery_worker_process):
    token = random_token()

    app.send_task("tests.workflows.sample.tasks.record_ping", args=[token])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Ping.objects.filter(token=token).exists():
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read().decode()
        time.sleep(0.2)
    assert Ping.objects.filter(token=token).count() == 1
