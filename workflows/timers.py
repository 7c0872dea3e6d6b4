"""Deadlines on states: reminders before them and an action after them.

A workflow declares ``timers`` on its class::

    timers = (
        StateTimer(
            state=ApplicationState.CORRECTIONS_REQUESTED,
            due=lambda application: application.correction_deadline,
            reminders=(timedelta(days=3), timedelta(days=1)),
            remind=user_at("applicant"),
            expire="reject_missed_corrections",   # a transition the system runs
        ),
    )

When an object enters the state the engine writes one ``Timer`` row for the deadline
and one per reminder; leaving the state cancels what has not fired. A periodic task
(``workflows.tasks.fire_due_timers``, run by celery beat) fires due rows. Each row is
claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and marked fired in the same
transaction as its action, so two workers, or the task run twice, fire it once.

A deadline without ``expire`` marks the object *overdue*: its officials (and whoever
``remind`` names) are told, and the row stays as the record that it is overdue, as
where the law needs a person to act (a report not handed in, money not returned).
"""

import datetime
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .calendar import add_working_days, next_working_day
from .errors import DomainError
from .models import Timer

logger = logging.getLogger(__name__)
REMINDER_HOUR = 8


@dataclass(frozen=True)
class StateTimer:
    """One declared deadline. ``Timer`` rows name it by ``key`` (never by its position in
    ``timers``), so reordering or inserting declarations leaves stored rows on theirs."""

    state: str
    due: Callable[[object], datetime.datetime | None]
    reminders: tuple[datetime.timedelta, ...] = ()
    remind: Callable[[object], list] | None = None
    expire: str = ""  # a transition for the system to run; empty: mark overdue
    overdue_to: Callable[[object], list] | None = None
    label: object = ""
    name: str = ""  # default: "<state>:<transition to run>" or "<state>:overdue"

    @property
    def key(self) -> str:
        return self.name or f"{self.state}:{self.expire or 'overdue'}"


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59 of ``day`` in the project's time zone (Europe/Warsaw)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def deadline_after(start: datetime.datetime, days: int, *, working: bool) -> datetime.datetime:
    """The end of the day ``days`` after ``start``: counted in working days, or in
    calendar days with a deadline falling on a day off moved to the next working day."""
    first = timezone.localdate(start)
    if working:
        return end_of_day(add_working_days(first, days))
    return end_of_day(next_working_day(first + datetime.timedelta(days=days)))


def timers_of(obj) -> tuple[StateTimer, ...]:
    return tuple(getattr(type(obj), "timers", ()))


def timer_named(model, key: str) -> StateTimer | None:
    """The declaration of ``model`` (a class or an instance) a stored timer names."""
    declared = [t for t in getattr(model, "timers", ()) if t.key == key]
    if len(declared) > 1:
        raise ImproperlyConfigured(
            f"{model}: two timers are named {key!r}; give one of them a name."
        )
    return declared[0] if declared else None


def running_deadline(obj):
    """``(due_at, label)`` of the earliest deadline running for ``obj`` in its state,
    or ``None``. No query for a model that declares no timers."""
    if not timers_of(obj):
        return None
    timer = (
        Timer.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            state=obj.state,
            kind=Timer.Kind.DEADLINE,
            fired_at=None,
            cancelled_at=None,
        )
        .order_by("due_at", "pk")
        .first()
    )
    if timer is None:
        return None
    declared = timer_named(obj, timer.name)
    return timer.due_at, (declared.label if declared else "") or Timer.Kind.DEADLINE.label


def schedule(obj, source: str | None = None) -> None:
    """After a transition from state ``source``: cancel the object's pending timers and
    set those of its new state. Called by the engine inside the transition's
    transaction. Timers are set only here, for the state entered, so a ``source`` that
    declares none has none pending: nothing to cancel (#18: an UPDATE per submit)."""
    content_type = ContentType.objects.get_for_model(obj)
    now = timezone.now()
    if source is None or any(declared.state == source for declared in timers_of(obj)):
        Timer.objects.filter(
            content_type=content_type, object_id=obj.pk, fired_at=None, cancelled_at=None
        ).update(cancelled_at=now)
    rows = []
    for declared in timers_of(obj):
        if declared.state != obj.state:
            continue
        due = declared.due(obj)
        if due is None:
            continue
        timer = functools.partial(
            Timer, content_type=content_type, object_id=obj.pk, state=obj.state, name=declared.key
        )
        rows.append(timer(kind=Timer.Kind.DEADLINE, due_at=due))
        for before in declared.reminders:
            day = timezone.localdate(due) - datetime.timedelta(days=before.days)
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(REMINDER_HOUR)))
            if at > now:
                rows.append(timer(kind=Timer.Kind.REMINDER, due_at=at))
    Timer.objects.bulk_create(rows)


def fire_due(now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Fire every due timer, each in its own transaction; returns how many fired."""
    fired = 0
    for _attempt in range(limit):
        if not _fire_one(now or timezone.now()):
            break
        fired += 1
    return fired


def _fire_one(now: datetime.datetime) -> bool:
    from .engine import transition_apply

    with transaction.atomic():
        timer = (
            Timer.objects.select_for_update(skip_locked=True)
            .filter(fired_at=None, cancelled_at=None, due_at__lte=now)
            .order_by("due_at", "pk")
            .first()
        )
        if timer is None:
            return False
        timer.fired_at = now
        timer.save(update_fields=["fired_at"])
        obj = timer.content_type.get_object_for_this_type(pk=timer.object_id)
        if obj.state != timer.state:
            return True  # left the state meanwhile; nothing to do
        declared = timer_named(obj, timer.name)
        if declared is None:
            logger.warning(
                "timer %s names %r, which %s no longer declares", timer.pk, timer.name, type(obj)
            )
            return True
        if timer.kind == Timer.Kind.REMINDER:
            _tell(obj, declared.remind, timer, REMINDER_SUBJECT, essential=True)
        elif declared.expire:
            try:
                with transaction.atomic():
                    transition_apply(obj=obj, name=declared.expire, actor=None)
            except DomainError as exc:
                # The timer is spent either way: a refusal (a guard that still says no)
                # is logged for a person to look at, not retried every minute.
                logger.warning(
                    "timed transition %s of %s %s refused: %s",
                    declared.expire,
                    timer.content_type.model,
                    timer.object_id,
                    exc,
                )
        else:
            recipients = [declared.remind, declared.overdue_to]
            for fn in recipients:
                _tell(obj, fn, timer, OVERDUE_SUBJECT, essential=True)
    return True


REMINDER_SUBJECT = _("Reminder: %(object)s, deadline %(due)s")
OVERDUE_SUBJECT = _("Overdue: %(object)s, deadline %(due)s")
BODY = _("%(object_kind)s %(object)s (%(state)s): the deadline is %(due)s.")
# With what the deadline is for and what is to be done; ``BODY`` and ``BODY_NEXT`` stay
# for the messages stored before ``BODY_READER``.
BODY_NEXT = _(
    "%(object_kind)s %(object)s (%(state)s): %(what)s, the deadline is %(due)s.\n\n%(next)s"
)
# Translators: %(next)s is empty or the reader's next steps, with the blank line before them.
BODY_READER = _(
    "%(object_kind)s %(object)s (%(state)s): %(what)s, the deadline is %(due)s.%(next)s"
)
PARAGRAPH = "\n\n%(text)s"  # not translated: only the text it holds is


def _next_for(steps, recipient):
    """What comes next for this reader: their own actions on the object, or nothing. A
    reader with none is still the one the deadline is for (a grantee reminded of the
    final report, which is handed in on the report, not the agreement): "nothing is
    needed from you" would contradict the reminder."""
    from notifications.messages import Line

    actions = steps.actions(recipient.user)
    return Line(PARAGRAPH, {"text": steps.line(recipient.user, actions)}) if actions else ""


def _tell(obj, recipients_fn, timer: Timer, subject, *, essential: bool) -> None:
    if recipients_fn is None:
        return
    from notifications.effects import NextSteps, state_label
    from notifications.services import notify

    due = (
        Timer.objects.filter(
            content_type=timer.content_type,
            object_id=timer.object_id,
            state=timer.state,
            kind=Timer.Kind.DEADLINE,
        )
        .latest("pk")
        .due_at
    )
    declared = timer_named(obj, timer.name)
    steps = NextSteps(obj, deadline=False)
    notify(
        recipients=recipients_fn(obj),
        kind=f"timer.{timer.kind}",
        subject=subject,
        body=BODY_READER,
        url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
        essential=essential,
        about=obj,
        dedupe_key=f"timer:{timer.pk}",
        context={
            "object": str(obj),
            "object_kind": capfirst(obj._meta.verbose_name),
            "state": state_label(obj),
            # Kept as a moment: the message is formatted in the reader's language.
            "due": due,
            "what": (declared.label if declared else "") or Timer.Kind.DEADLINE.label,
        },
        context_for=lambda recipient: {"next": _next_for(steps, recipient)},
    )
