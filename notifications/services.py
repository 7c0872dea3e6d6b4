"""Writing notifications and their e-mails."""

import logging
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone, translation

from .messages import message_params, render
from .models import Delivery, Notification
from .recipients import Recipient

logger = logging.getLogger(__name__)


def _language(recipient: Recipient) -> str:
    user = recipient.user
    return (getattr(user, "language", "") or "pl") if user is not None else "pl"


def notify(
    *,
    recipients: Iterable[Recipient],
    kind: str,
    subject,
    body,
    url: str = "",
    essential: bool = False,
    about: models.Model | None = None,
    dedupe_key: str = "",
    context: dict | None = None,
    context_for: Callable[[Recipient], dict] | None = None,
    message_key: str = "",
    fresh_key: bool = False,
) -> list[Notification]:
    """Tell each recipient once (by e-mail, and in the inbox when they have an
    account). ``subject`` and ``body`` are lazy translatable strings formatted with
    ``context``; they are stored as msgids and values (``notifications.messages``) and
    rendered in the reader's language when read, the subject and body columns keep
    them in the recipient's language as written (the admin searches them). A user who
    turned off non-essential messages gets only essential ones. With a ``dedupe_key`` a
    repeated call (a retried task, a timer fired twice) creates nothing new; a
    ``fresh_key`` (a transition's own log entry, written in this transaction) cannot
    have been used before, so nothing is skipped or read back.

    ``context_for(recipient)`` gives the values that differ from reader to reader (what
    comes next for them), merged over ``context``; it is asked only for the recipients
    who are told.

    However many recipients, the notifications and their deliveries are written in one
    statement (on PostgreSQL), and their e-mails leave in one outbox message (published
    once, when the transaction has committed)."""
    content_type = ContentType.objects.get_for_model(about) if about else None
    shared = message_params(subject, body, context)
    rows = []
    seen = set()
    texts: dict[str, dict] = {}
    for recipient in recipients:
        if not recipient.email or recipient.email in seen:
            continue
        seen.add(recipient.email)
        user = recipient.user
        if user is not None and not essential and not user.wants_message(kind):
            continue
        params = shared
        if context_for is not None:
            params = message_params(subject, body, {**(context or {}), **context_for(recipient)})
        language = _language(recipient)
        text = texts.get(language) if params is shared else None
        if text is None:
            with translation.override(language):
                # A ``Later`` value is not set yet: the texts are written again with it
                # when the e-mail is sent (``notifications.tasks``).
                subject_text, body_text = render(params, read_later=False)
            text = {"subject": subject_text[:255], "body": body_text}
            if params is shared:
                texts[language] = text  # the same message in the same language
        rows.append(
            Notification(
                recipient=user,
                email=recipient.email,
                kind=kind,
                url=url,
                essential=essential,
                content_type=content_type,
                object_id=about.pk if about else None,
                dedupe_key=dedupe_key,
                message_key=message_key or kind,
                params=params,
                **text,
            )
        )
    if not rows:
        return []
    # Part of the caller's transaction when there is one (a transition's): no savepoint,
    # nothing here is expected to fail on its own.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            created, delivery_ids = _notifications_insert(
                rows, skip_told=bool(dedupe_key) and not fresh_key
            )
        else:
            created, delivery_ids = _notifications_create(rows, "" if fresh_key else dedupe_key)
        if delivery_ids:
            _queue_emails(delivery_ids)
    return created


def _insert_values(instance: models.Model, fields: list) -> list:
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _notifications_insert(
    rows: list[Notification], *, skip_told: bool
) -> tuple[list[Notification], list[int]]:
    """PostgreSQL: the notifications and their deliveries in one statement (#18: a
    transition's notices were two inserts and a read). ``skip_told`` leaves out the rows
    whose recipient was already told of this very event (by an earlier run, or by a
    concurrent one that committed first: the insert waits for it); the rows written
    get their keys, in the order given, and the deliveries' keys come in that order."""
    quote = connection.ops.quote_name
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # The delivery's own defaults (queued, no attempt yet); a column left NULL is left out.
    delivery_fields = [
        field
        for field in Delivery._meta.concrete_fields
        if not field.primary_key and field.name != "notification"
    ]
    defaults = [
        (field, value)
        for field, value in zip(
            delivery_fields, _insert_values(Delivery(), delivery_fields), strict=True
        )
        if value is not None
    ]
    notification_columns = ", ".join(quote(field.column) for field in fields)
    delivery_columns = ", ".join(
        quote(column)
        for column in [Delivery._meta.get_field("notification").column]
        + [field.column for field, _value in defaults]
    )
    # Only the models' own names and placeholders go into the text; the values are
    # parameters.
    sql = (
        f"WITH n AS (INSERT INTO {quote(Notification._meta.db_table)} ({notification_columns}) "  # noqa: S608
        f"VALUES {', '.join([row_sql] * len(rows))}"
        f"{' ON CONFLICT DO NOTHING' if skip_told else ''} RETURNING id, email), "
        f"d AS (INSERT INTO {quote(Delivery._meta.db_table)} ({delivery_columns}) "
        f"SELECT n.id{', %s' * len(defaults)} FROM n RETURNING id, notification_id) "
        "SELECT n.id, n.email, d.id FROM n JOIN d ON d.notification_id = n.id ORDER BY n.id"
    )
    params = [value for row in rows for value in _insert_values(row, fields)]
    params += [value for _field, value in defaults]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.fetchall()
    by_email = {row.email: row for row in rows}
    created = []
    for pk, email, _delivery in written:
        row = by_email[email]
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias
        created.append(row)
    return created, sorted(delivery for _pk, _email, delivery in written)


def _notifications_create(
    rows: list[Notification], dedupe_key: str
) -> tuple[list[Notification], list[int]]:
    """Other databases (the embedded mode's SQLite): what ``_notifications_insert``
    does, in an insert of the notifications, with a ``dedupe_key`` a read of the rows
    this call wrote (those with no delivery yet), and an insert of the deliveries."""
    if not dedupe_key:
        created = Notification.objects.bulk_create(rows)
    else:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                dedupe_key=dedupe_key, email__in=[row.email for row in rows], delivery=None
            ).order_by("pk")
        )
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=notification) for notification in created]
    )
    return created, [delivery.pk for delivery in deliveries]


def _queue_emails(delivery_ids: list[int]) -> None:
    """The e-mails go through the outbox, all of one event in one message: written with
    the notifications, published once after the commit, and later when the broker is
    away then."""
    from workflows.outbox import outbox_enqueue

    from .tasks import send_notification_emails

    outbox_enqueue(send_notification_emails, delivery_ids=delivery_ids)


def notification_texts_store(*, notification: Notification, subject: str, body: str) -> None:
    """Keep the texts as sent: a value the message names lazily (``messages.Later``,
    e.g. the number a submit takes last) was empty when it was written. The stored
    texts are what the admin searches; the inbox and e-mails render the parameters."""
    subject = subject[:255]
    if (notification.subject, notification.body) == (subject, body):
        return
    Notification.objects.filter(pk=notification.pk).update(subject=subject, body=body)
    notification.subject, notification.body = subject, body


@transaction.atomic
def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user, wants_optional_messages: bool) -> None:
    user.wants_optional_messages = wants_optional_messages
    user.save(update_fields=["wants_optional_messages"])


@transaction.atomic
def delivery_record_attempt(
    *, delivery: Delivery, error: Exception | None = None, final: bool = False
) -> Delivery:
    """Log one attempt to send a notification's e-mail and its outcome."""
    delivery.attempts += 1
    if error is None:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        logger.info("e-mail of notification %s sent", delivery.notification_id)
    else:
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        delivery.status = Delivery.Status.FAILED if final else Delivery.Status.QUEUED
        logger.warning(
            "e-mail of notification %s failed (attempt %s): %s",
            delivery.notification_id,
            delivery.attempts,
            delivery.last_error,
        )
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return delivery
