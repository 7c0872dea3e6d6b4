"""Deadlines on Polish working days, reminders and timed transitions, fired once
whatever runs them."""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django_fsm_log.models import StateLog

from config.celery import app
from grants.models import Application
from workflows.calendar import add_working_days
from workflows.engine import transition_apply
from workflows.models import Timer
from workflows.timers import fire_due

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
EASTER_FRIDAY = datetime.datetime(2027, 3, 26, 11, 0, tzinfo=WARSAW)  # Easter: 28 March 2027


def at(day: int, month: int = 4, hour: int = 8, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2027, month, day, hour, minute, tzinfo=WARSAW)


def test_working_days_skip_weekends_and_easter_monday():
    assert add_working_days(datetime.date(2027, 3, 26), 7) == datetime.date(2027, 4, 7)
    # Christmas Eve is a public holiday in Poland since 2025: 24-27 December are off.
    assert add_working_days(datetime.date(2026, 12, 23), 2) == datetime.date(2026, 12, 29)


@pytest.mark.django_db(transaction=True)
def test_correction_deadline_reminders_and_rejection_around_easter(world, frozen_now):
    application = world.submitted()
    frozen_now.move_to(EASTER_FRIDAY)
    application = transition_apply(
        obj=application,
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołącz oświadczenia członków."},
    )
    assert application.correction_deadline == datetime.datetime(
        2027, 4, 7, 23, 59, 59, tzinfo=WARSAW
    )
    timers = Timer.objects.filter(
        content_type__model="application", object_id=application.pk, cancelled_at=None
    )
    assert sorted((t.kind, t.due_at) for t in timers) == [
        ("deadline", application.correction_deadline),
        ("reminder", at(4)),
        ("reminder", at(6)),
    ]
    mail.outbox.clear()

    sent_on = {}
    for moment in [at(3, hour=23), at(4), at(5), at(6), at(7, hour=23, minute=59)]:
        frozen_now.move_to(moment)
        fire_due()
        sent_on[moment.date()] = [
            m.subject for m in mail.outbox if m.to == ["mieszkaniec@example.org"]
        ]
        mail.outbox.clear()
    reminder = "Przypomnienie: GMP/2026/FS1/0001, termin 7 kwietnia 2027, 23:59"
    assert sent_on == {
        datetime.date(2027, 4, 3): [],
        datetime.date(2027, 4, 4): [reminder],
        datetime.date(2027, 4, 5): [],
        datetime.date(2027, 4, 6): [reminder],
        datetime.date(2027, 4, 7): [],
    }
    assert Application.objects.get(pk=application.pk).state == "corrections_requested"

    frozen_now.move_to(at(8, hour=0, minute=0))
    fire_due()

    application.refresh_from_db()
    assert application.state == "formally_rejected"
    log = StateLog.objects.filter(object_id=application.pk).latest("pk")
    assert (log.transition, log.by) == ("reject_missed_corrections", None)
    told = sorted(m.to[0] for m in mail.outbox)
    assert "mieszkaniec@example.org" in told
    assert "Wniosek GMP/2026/FS1/0001 odrzucony: niepoprawiony w terminie" in [
        m.subject for m in mail.outbox
    ]


@pytest.mark.django_db(transaction=True)
def test_resubmitting_in_time_cancels_the_timers(world, frozen_now):
    application = transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Popraw budżet."},
    )
    transition_apply(obj=application, name="resubmit", actor=world.resident)
    frozen_now.shift(datetime.timedelta(days=30))

    fire_due()  # the call's own deadline (submissions close) fires; nothing else
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert not Timer.objects.filter(
        content_type__model="application", object_id=application.pk, fired_at__isnull=False
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_firing_twice_and_from_two_workers_at_once_fires_each_timer_once(world, frozen_now):
    applications = [
        transition_apply(
            obj=world.submitted(applicant=user),
            name="request_corrections",
            actor=world.official,
            payload={"corrections": "Popraw."},
        )
        for user in [world.resident, *[world.member("evaluator") for _ in range(3)]]
    ]
    frozen_now.shift(datetime.timedelta(days=30))
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    counts = []

    def worker():
        barrier.wait()
        try:
            counts.append(fire_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    fire_due()  # and once more afterwards

    # Each application: its deadline and its two reminders; and the call's deadline.
    assert sum(counts) == 13
    assert Timer.objects.filter(fired_at__isnull=False).count() == 13
    for application in applications:
        assert (
            StateLog.objects.filter(
                object_id=application.pk, transition="reject_missed_corrections"
            ).count()
            == 1
        )
    rejections = [
        m for m in mail.outbox if m.subject.endswith("odrzucony: niepoprawiony w terminie")
    ]
    assert len(rejections) == len({(m.to[0], m.subject) for m in rejections})


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fires_a_due_timer_through_redis(world, celery_worker_process):
    application = transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Popraw."},
    )
    Timer.objects.filter(
        content_type__model="application", object_id=application.pk, kind="deadline"
    ).update(due_at=datetime.datetime(2020, 1, 1, tzinfo=WARSAW))

    app.send_task("workflows.tasks.fire_due_timers")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Application.objects.get(pk=application.pk).state == "formally_rejected":
            break
        assert celery_worker_process.poll() is None
        time.sleep(0.3)
    assert Application.objects.get(pk=application.pk).state == "formally_rejected"
    timer = Timer.objects.get(
        content_type__model="application", object_id=application.pk, kind="deadline"
    )
    assert timer.fired_at is not None


def test_beat_schedule_runs_the_timer_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fire-due-timers"]
    assert (entry["task"], entry["schedule"]) == ("workflows.tasks.fire_due_timers", 60.0)
    from workflows.tasks import fire_due_timers

    assert fire_due_timers.name == "workflows.tasks.fire_due_timers"


@pytest.mark.django_db(transaction=True)
def test_a_refused_timed_transition_is_logged_once_and_not_retried(world, frozen_now, caplog):
    # The call's closing time was moved later after its timer was set.
    call = world.call
    timer = Timer.objects.get(content_type__model="call", object_id=call.pk)
    Timer.objects.filter(pk=timer.pk).update(due_at=frozen_now_value())
    call.__class__.objects.filter(pk=call.pk).update(
        closes_at=datetime.datetime(2026, 12, 31, tzinfo=WARSAW)
    )

    with caplog.at_level("WARNING", logger="workflows.timers"):
        assert fire_due() == 1
        assert fire_due() == 0

    call.refresh_from_db()
    assert call.state == "published"
    assert [r.getMessage() for r in caplog.records] == [
        f"timed transition start_evaluation of call {call.pk} refused: "
        "Wnioski można składać do 31 grudnia 2026, 00:00."
    ]


def frozen_now_value() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()
