"""The notifications of one event are written in a constant number of queries and
leave for the broker in one message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Delivery, Notification
from notifications.recipients import Recipient
from notifications.services import notify
from notifications.tasks import send_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """What reaches the broker for the e-mails of notifications (kwargs per publish)."""
    calls = []
    monkeypatch.setattr(
        send_notification_emails, "apply_async", lambda *args, **kwargs: calls.append(kwargs)
    )
    return calls


def tell(recipients, key="event:1"):
    return notify(
        recipients=recipients,
        kind="test.event",
        subject="Temat %(n)s",
        body="Treść %(n)s",
        essential=True,
        dedupe_key=key,
        context={"n": 1},
    )


def queries_to_tell(count: int, key: str) -> tuple[int, list]:
    recipients = [Recipient(email=u.email, user=u) for u in UserFactory.create_batch(count)]
    with CaptureQueriesContext(connection) as captured:
        told = tell(recipients, key)
    return len(captured), told


def test_one_or_five_recipients_take_the_same_queries_and_one_publish(
    django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks(execute=True):
        one, _told = queries_to_tell(1, "event:1")
    with django_capture_on_commit_callbacks(execute=True):
        five, told = queries_to_tell(5, "event:5")

    # The notifications and their deliveries (one statement on PostgreSQL: the key may
    # have been used, its insert returns only the rows it wrote), the outbox message;
    # no savepoint inside the caller's transaction.
    assert (one, five) == (2, 2)
    deliveries = list(
        Delivery.objects.filter(notification__in=told).order_by("pk").values_list("pk", flat=True)
    )
    assert len(deliveries) == 5
    assert published[1] == {"kwargs": {"delivery_ids": deliveries}}
    assert len(published) == 2  # one per event


def test_told_again_of_the_same_event_writes_and_publishes_nothing(
    django_capture_on_commit_callbacks, published
):
    users = UserFactory.create_batch(3)
    recipients = [Recipient(email=u.email, user=u) for u in users]
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(recipients[:2])
    with django_capture_on_commit_callbacks(execute=True):
        again = tell(recipients)

    assert [n.email for n in first] == [users[0].email, users[1].email]
    assert [n.email for n in again] == [users[2].email]
    assert Notification.objects.count() == Delivery.objects.count() == 3
    assert [len(call["kwargs"]["delivery_ids"]) for call in published] == [2, 1]


def test_values_of_each_reader_take_no_more_queries(django_capture_on_commit_callbacks, published):
    users = UserFactory.create_batch(3)
    recipients = [Recipient(email=u.email, user=u) for u in users]
    recipients.append(Recipient(email="bez-konta@example.org"))
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as captured,
    ):
        told = notify(
            recipients=recipients,
            kind="test.event",
            subject="Temat %(n)s",
            body="Treść %(n)s dla %(who)s",
            essential=True,
            dedupe_key="event:readers",
            context={"n": 1, "who": "?"},
            context_for=lambda r: {"who": r.user.pk if r.user else "gościa"},
        )

    assert len(captured) == 2
    assert [n.body for n in told] == [f"Treść 1 dla {u.pk}" for u in users] + ["Treść 1 dla gościa"]
    assert len(published) == 1
