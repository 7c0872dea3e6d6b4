"""Under `make run` there is no celery beat: the web process's loop
(``workflows.embedded``) fires due timers and sends what waits in the outbox."""

import datetime
import time
import zoneinfo

import pytest
from django.core import mail

from grants.models import Application
from tests.factories import random_token
from tests.workflows.sample.models import Ping
from tests.workflows.sample.tasks import record_ping
from workflows.embedded import embedded_loop_start, embedded_loop_stop
from workflows.engine import transition_apply
from workflows.models import OutboxMessage, Timer

pytestmark = pytest.mark.django_db(transaction=True)

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def test_the_loop_fires_a_due_timer_and_sends_what_the_outbox_holds(world, settings):
    application = transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Popraw."},
    )
    Timer.objects.filter(
        content_type__model="application", object_id=application.pk, kind="deadline"
    ).update(due_at=datetime.datetime(2026, 11, 1, tzinfo=WARSAW))
    # A message whose publishing after its commit never happened (the process died).
    token = random_token()
    OutboxMessage.objects.create(task=record_ping.name, kwargs={"token": token})
    mail.outbox.clear()
    settings.EMBEDDED_LOOP_SECONDS = 1

    thread = embedded_loop_start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            Application.objects.get(pk=application.pk).state == "formally_rejected"
            and Ping.objects.filter(token=token).exists()
        ):
            time.sleep(0.2)
    finally:
        embedded_loop_stop()

    assert (thread.name, thread.daemon, thread.is_alive()) == ("embedded-loop", True, False)
    assert Application.objects.get(pk=application.pk).state == "formally_rejected"
    assert Ping.objects.filter(token=token).count() == 1
    assert OutboxMessage.objects.filter(sent_at=None).count() == 0
    told = [
        m.to[0] for m in mail.outbox if m.subject.endswith("odrzucony: niepoprawiony w terminie")
    ]
    assert sorted(told) == sorted(
        [
            "czlonek1@example.org",
            "czlonek2@example.org",
            "czlonek3@example.org",
            "mieszkaniec@example.org",
            world.official.email,
        ]
    )


def test_the_loop_runs_only_when_asked(settings):
    settings.EMBEDDED_LOOP_SECONDS = 0

    assert embedded_loop_start() is None
