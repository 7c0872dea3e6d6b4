import datetime
import os
import subprocess
import sys
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from accounts.models import Role
from accounts.services import membership_grant

from .factories import OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made
# by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Every test runs at this instant unless it is marked ``real_clock``: no test depends on
# the day the suite happens to run. Browser tests keep the same instant but let it tick,
# so that the browser's waits and the server's timestamps move forward together.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Warsaw"))


@pytest.fixture(autouse=True)
def clock(request):
    """The frozen clock (a ``time_machine`` traveller), or None under ``real_clock``."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    ticking = request.node.get_closest_marker("browser") is not None
    with time_machine.travel(NOW, tick=ticking) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def staff_mfa(request, settings):
    """Two-factor login for staff is off, since most tests sign staff in with
    ``force_login``; a test marked ``mfa`` runs with it required, as in production."""
    settings.STAFF_MFA_REQUIRED = request.node.get_closest_marker("mfa") is not None


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def official(organisation):
    user = UserFactory()
    membership_grant(user=user, organisation=organisation, role=Role.OFFICIAL)
    return user


@pytest.fixture
def resident(db):
    return UserFactory()


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def celery_worker_start(queues: str = "celery,documents") -> subprocess.Popen:
    """A real Celery worker of ``queues``, on this test database and the same media."""
    broker = settings.CELERY_BROKER_URL
    assert broker and broker.startswith("redis://"), "the suite runs against Redis"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--queues={queues}",
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


def celery_worker_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def celery_worker_process():
    process = celery_worker_start()
    yield process
    celery_worker_stop(process)
