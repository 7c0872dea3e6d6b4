"""Who is told of each transition, opt-outs, retries of failed e-mails, the inbox."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from grants import services
from notifications.digest import digest_send_all
from notifications.models import Delivery, Notification
from workflows.engine import transition_apply

from .backends import FlakyBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_retries():
    """Eager tasks retry inside ``apply`` unless exceptions propagate at once."""
    from config.celery import app

    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = propagates


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Apply a transition and run what it queued after commit; return who was told."""

    def apply(obj, name, actor, **payload):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            obj = transition_apply(obj=obj, name=name, actor=actor, payload=payload)
        told = Notification.objects.exclude(pk__in=before)
        return obj, sorted(told.values_list("email", flat=True))

    return apply


def test_each_grant_transition_tells_the_right_people(world, run, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    applicant = ["mieszkaniec@example.org"]
    members = [f"czlonek{i}@example.org" for i in (1, 2, 3)]
    officials = [world.official.email]
    finance = [world.finance.email]

    app, told = run(world.draft(), "submit", world.resident)
    assert told == sorted(members + applicant)
    app, told = run(app, "request_corrections", world.official, corrections="Popraw.")
    assert told == applicant
    app, told = run(app, "resubmit", world.resident)
    assert told == officials
    services.formal_check_record(
        application=app,
        actor=world.official,
        answers={i.pk: True for i in app.call.checklist.all()},
    )
    app, told = run(app, "pass_formal_check", world.official)
    assert told == applicant
    reviews = services.reviews_assign(
        application=app, evaluators=world.evaluators, actor=world.official
    )
    assert sorted(
        Notification.objects.filter(kind="grants.review.assigned").values_list("email", flat=True)
    ) == sorted(e.email for e in world.evaluators)
    for number, review in enumerate(reviews, start=1):
        review, told = run(review, "declare", review.evaluator)
        assert told == officials
        services.review_score(
            review=review,
            actor=review.evaluator,
            scores=[
                {"criterion": c.pk, "points": 5, "justification": "J"}
                for c in app.call.criteria.all()
            ],
        )
        review, told = run(review, "submit", review.evaluator)
        # The last review also closes the evaluation, which the officials hear of too.
        assert told == officials * number
    app.refresh_from_db()
    assert app.state == "evaluated"
    app, told = run(app, "approve", world.official, amount="3000.00", justification="J")
    assert told == sorted(members + applicant)
    agreement = services.agreement_create(
        application=app,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 11, 30))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    expected = [
        ("generate", {}, applicant),
        ("send_for_signature", {}, applicant),
        ("sign", {"signed_on": "2026-11-24"}, sorted(applicant + finance)),
        ("start_implementation", {}, []),
    ]
    for name, payload, people in expected:
        agreement, told = run(agreement, name, world.official, **payload)
        assert told == people, name
    agreement, told = run(agreement, "terminate", world.official, justification="Rezygnacja.")
    assert told == sorted(applicant + finance)


def test_rejections_and_withdrawals_tell_the_group(world, run):
    _app, told = run(world.submitted(), "reject_formally", world.official, justification="J")
    assert told == sorted(
        ["mieszkaniec@example.org"] + [f"czlonek{i}@example.org" for i in (1, 2, 3)]
    )
    _app, told = run(world.submitted(), "withdraw", world.resident)
    assert told == sorted([world.official.email] + [f"czlonek{i}@example.org" for i in (1, 2, 3)])


def test_a_user_who_opted_out_gets_only_required_messages(world, run):
    world.resident.wants_optional_messages = False
    world.resident.save(update_fields=["wants_optional_messages"])

    app, told_on_submit = run(world.draft(), "submit", world.resident)  # essential
    services.formal_check_record(
        application=app,
        actor=world.official,
        answers={i.pk: True for i in app.call.checklist.all()},
    )
    _app, told_on_check = run(app, "pass_formal_check", world.official)  # optional

    assert "mieszkaniec@example.org" in told_on_submit
    assert told_on_check == []


def test_a_failing_e_mail_is_retried_and_logged_and_the_transition_stays(
    world, run, settings, caplog, eager_retries
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    application = world.submitted()
    mail.outbox.clear()

    with caplog.at_level(logging.INFO, logger="notifications.services"):
        application, _told = run(
            application, "request_corrections", world.official, corrections="Popraw."
        )

    assert application.state == "corrections_requested"
    delivery = Delivery.objects.get(
        notification__email="mieszkaniec@example.org",
        notification__kind="grants.application.request_corrections",
    )
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert [m.to for m in mail.outbox] == [["mieszkaniec@example.org"]]
    messages = [r.getMessage() for r in caplog.records]
    assert any("failed (attempt 1)" in m for m in messages)
    assert any(m.endswith("sent") for m in messages)


def test_an_e_mail_that_keeps_failing_is_marked_failed_without_undoing_anything(
    world, run, settings, eager_retries
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 100

    application, _told = run(
        world.submitted(), "request_corrections", world.official, corrections="Popraw."
    )

    assert application.state == "corrections_requested"
    delivery = Delivery.objects.get(notification__kind="grants.application.request_corrections")
    assert (delivery.status, delivery.attempts) == ("failed", 6)


def test_inbox_shows_unread_count_and_marks_read(world, run):
    run(world.draft(), "submit", world.resident)
    client = Client()
    client.force_login(world.resident)

    page = client.get("/").content.decode()
    assert (
        '<span class="badge">1<span class="visually-hidden"> nieprzeczytane</span></span>' in page
    )
    inbox = client.get("/wiadomosci/").content.decode()
    assert "Wniosek GMP/2026/FS1/0001 wpłynął" in inbox

    client.post("/wiadomosci/przeczytane/")
    assert 'class="badge"' not in client.get("/").content.decode()

    client.post("/wiadomosci/", {})
    world.resident.refresh_from_db()
    assert world.resident.wants_optional_messages is False


def test_daily_digest_lists_what_waits_and_is_sent_once_a_day(world, run):
    world.submitted()
    run(
        world.submitted(applicant=world.member("evaluator")),
        "request_corrections",
        world.official,
        corrections="Popraw.",
        days=3,
    )

    first = digest_send_all()
    second = digest_send_all()

    digests = Notification.objects.filter(kind="digest", email=world.official.email)
    assert (first >= 1, second) == (True, 0)
    [digest] = digests
    assert "Ocena formalna – liczba wniosków: 1" in digest.body
    assert "GMP/2026/FS1/0002 (termin na poprawki): 26 listopada 2026" in digest.body
