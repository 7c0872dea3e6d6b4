"""The outbox: Celery tasks written in the transaction of the work they follow.

Work that leaves the database (a document to render, an e-mail to send, an export to
build) runs in Celery. Publishing the task after the commit loses it when the broker
is away at that moment (the request fails although its data is committed), and
publishing it before the commit runs it for a transaction that may still roll back.
So a service calls ``outbox_enqueue(task, **kwargs)``: an ``OutboxMessage`` row (the
task's name and its JSON keyword arguments) is written in the caller's transaction,
and once it commits it is published: in production by the relay process
(``outbox_relay``, ``OUTBOX_RELAY``), else by the request itself after its commit
(``outbox_dispatch``). A broker that does not answer
leaves the row unsent and the request succeeds; ``workflows.tasks.flush_outbox``
(celery beat, every minute, and the embedded mode's loop, ``workflows.embedded``)
publishes what is left, oldest first, once the broker is back.

Publishing is at least once: a process may die between publishing a message and
marking its row sent, and then the message goes again. Each task is therefore
idempotent in its effect: a document is stored once per distinct data
(``documents.services.document_render``), an e-mail is sent once (its ``Delivery``).

Without a broker (the embedded mode, ``CELERY_TASK_ALWAYS_EAGER``) publishing is
running: the row is marked sent and the task runs in the process after the commit,
its errors raised as before.
"""

import datetime
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# After a failed publish, requests leave their messages to the periodic flush for this
# many seconds instead of each waiting for a broker that is away.
BROKER_PAUSE_SECONDS = 10.0
BATCH = 100
_paused_until = [0.0]


# The messages this thread wrote whose transaction has not been dispatched yet, in the
# order written. The first after-commit call publishes its own and every later one in
# one batch (a submit writes two); the calls that follow find theirs gone. An earlier
# message whose call has not run belongs to a transaction that rolled back: dropped.
_written = threading.local()


# The messages of an ``outbox_batch`` not written yet.
_pending: ContextVar[list[OutboxMessage] | None] = ContextVar("outbox_pending", default=None)


def outbox_enqueue(task, /, **kwargs) -> OutboxMessage:
    """Write task ``task`` with ``kwargs`` (JSON values) into the outbox, to be
    published once the current transaction commits; inside ``outbox_batch``, when the
    batch ends (the returned message has no ``pk`` until then)."""
    message = OutboxMessage(task=task.name, kwargs=kwargs)
    pending = _pending.get()
    if pending is not None:
        pending.append(message)
    else:
        _write([message])
    return message


@contextmanager
def outbox_batch() -> Iterator[None]:
    """The messages enqueued inside are written in one INSERT when it ends (a
    transition's effects: #18, a submit wrote its two messages one by one); nothing is
    written when it raises, as the transaction it is part of rolls back."""
    pending: list[OutboxMessage] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending:
        _write(pending)


def outbox_write_pending() -> None:
    """Write what the current ``outbox_batch`` holds now, in one INSERT, rather than
    when it ends: a step that takes a lock for the rest of the transaction (a submit's
    number) calls it first, so that the lock is not held while they are written."""
    pending = _pending.get()
    if pending:
        _write(pending[:])
        pending.clear()


def _write(messages: list[OutboxMessage]) -> None:
    OutboxMessage.objects.bulk_create(messages)
    if settings.OUTBOX_RELAY and not _eager():
        return  # the relay publishes them once committed (``outbox_relay``)
    if not hasattr(_written, "messages"):
        _written.messages = []
    _written.messages.extend(messages)
    transaction.on_commit(partial(_dispatch_written, messages[0].pk))


def _dispatch_written(pk: int) -> None:
    written = getattr(_written, "messages", [])
    index = next((i for i, message in enumerate(written) if message.pk == pk), None)
    if index is None:
        return  # published with an earlier message of its transaction
    batch = written[index:]
    _written.messages = []
    if _eager():
        outbox_dispatch([message.pk for message in batch])
    elif time.monotonic() >= _paused_until[0]:
        # The rows are committed and this thread holds them as written: published from
        # here and marked in one statement, with no transaction of their own (#18: a
        # locking read and two more round trips per request). The periodic flush may
        # take one in the moment between the commit and the mark: published twice,
        # which the tasks allow (at least once, above).
        _mark_sent(_publish_all(batch))


def _task(name: str):
    try:
        return current_app.tasks[name]
    except KeyError:
        return import_string(name)


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def outbox_dispatch(ids: Iterable[int] | None = None) -> int:
    """Publish unsent messages: those ``ids`` (after a commit), or all of them oldest
    first (the periodic flush). Returns how many were published. Stops at the first
    failure: the broker is away and the next flush tries again."""
    if ids is not None:
        ids = list(ids)
        if not _eager() and time.monotonic() < _paused_until[0]:
            return 0
    sent = 0
    while True:
        with transaction.atomic():
            pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at=None)
            if ids is not None:
                pending = pending.filter(pk__in=ids)
            batch = list(pending.order_by("pk")[:BATCH])
            if not batch:
                return sent
            published = batch if _eager() else _publish_all(batch)
            _mark_sent(published)
        if _eager():
            # Without a broker the task runs here, after its row's commit, so that its
            # own writes are outside the outbox's lock; its errors propagate as before.
            for message in batch:
                _task(message.task).apply_async(kwargs=message.kwargs)
        sent += len(published)
        if len(published) < len(batch) or len(batch) < BATCH:
            # The broker is away, or every message named (or waiting) is published: a
            # short batch took all there were (those another relay holds are its own).
            return sent


def _publish_all(batch: list[OutboxMessage]) -> list[OutboxMessage]:
    """Publish ``batch`` in order up to the first failure; return those published."""
    for done, message in enumerate(batch):
        if not _publish(message):
            return batch[:done]
    return batch


def _mark_sent(messages: list[OutboxMessage]) -> None:
    if messages:
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1
        )


def _repr(message: OutboxMessage) -> str:
    return f"{{outbox message {message.pk}}}"


def _publish(message: OutboxMessage) -> bool:
    try:
        # The message's own repr in place of Celery's ``saferepr`` of the arguments,
        # which walked a document's whole context on every publish (#18) and put the
        # personal data it holds into the broker's message headers.
        _task(message.task).apply_async(
            kwargs=message.kwargs, retry=False, argsrepr="()", kwargsrepr=_repr(message)
        )
    except Exception as exc:  # the broker is away, whatever the transport calls it
        _paused_until[0] = time.monotonic() + BROKER_PAUSE_SECONDS
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "outbox message %s (%s) not published, left for the next flush: %s",
            message.pk,
            message.task,
            message.last_error,
        )
        return False
    return True


def outbox_relay(*, interval: float, stop: threading.Event) -> None:
    """Production's ``outbox`` process (``manage.py outbox_relay``): publish every
    committed message, oldest first, then look again after ``interval`` seconds, until
    ``stop`` is set (messages written meanwhile leave together in the next round). With
    it running (``OUTBOX_RELAY``) a request neither publishes nor marks its messages:
    the web worker is free after its commit, and the relay publishes what many requests
    wrote in one batch. Several relays may run (each takes its rows with ``SKIP
    LOCKED``); after a failed publish the relay waits ``BROKER_PAUSE_SECONDS``, and
    beat's minute flush remains the net."""
    logger.info("outbox relay: publishing every %s s", interval)
    while not stop.is_set():
        sent = 0
        close_old_connections()  # a connection the database dropped is opened again
        try:
            paused = time.monotonic() < _paused_until[0]
            if not paused and OutboxMessage.objects.filter(sent_at=None).exists():
                sent = outbox_dispatch()
        except Exception:
            logger.exception("outbox relay: a round failed; the next one tries again")
        if sent:
            logger.info("outbox relay: %s messages published", sent)
        stop.wait(interval)


KEEP_SENT_DAYS = 7


def outbox_flush() -> int:
    """Publish every unsent message, oldest first, and forget those sent more than a
    week ago; returns how many were published."""
    sent = outbox_dispatch()
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_SENT_DAYS)
    OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return sent
