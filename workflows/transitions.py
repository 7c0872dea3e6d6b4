"""Declaring transitions: ``@workflow_transition`` on a method of a workflow model."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.apps import apps
from django_fsm import transition as fsm_transition

from .rules import Rule


class Guard:
    """A check on the object: returns ``None`` to pass or a reason to refuse.

    Decorate a function with ``@guard(_("call is open"))``; the label names the guard in
    diagrams, the returned reason is what the user reads.
    """

    def __init__(self, check: Callable[[Any], str | None], label) -> None:
        self.check = check
        self.label = label
        self.__name__ = check.__name__

    def __call__(self, obj) -> str | None:
        return self.check(obj)


def guard(label) -> Callable[[Callable[[Any], str | None]], Guard]:
    return lambda check: Guard(check, label)


@dataclass(frozen=True)
class Effect:
    """What a transition sets going, recorded in the transaction that applied it.

    ``run`` receives the ``TransitionEvent`` (ids only) inside that transaction, after
    the object is saved and logged. It writes what must happen (an inbox message, a
    Celery task through ``workflows.outbox.outbox_enqueue``, with the data of this
    moment); nothing that leaves the database happens before the commit, and nothing
    recorded is lost when the broker is away.
    """

    run: Callable[["TransitionEvent"], None]
    label: str = ""
    # What a ``notify`` effect says (``notifications.messages.Message``), for tests and
    # diagrams; ``None`` for the generic message or another kind of effect.
    message: Any = None


@dataclass(frozen=True)
class TransitionEvent:
    """Ids describing one applied transition, safe to pass to a Celery task."""

    model: str  # app_label.model_name
    object_id: int
    transition: str
    source: str
    target: str
    actor_id: int | None
    log_id: int


# The objects of the transitions whose effects are running in this thread (or task),
# with their log entries: set by the engine around the effects (``applied``).
_APPLIED: ContextVar[dict | None] = ContextVar("workflow_applied", default=None)


@contextmanager
def applied(event: TransitionEvent, obj, log) -> Iterator[None]:
    """While the effects of ``event`` run, ``event_object`` and ``event_log`` give the
    engine's own instances instead of reading them again (#18: each effect read the
    object and the log once more, in the same transaction)."""
    known = dict(_APPLIED.get() or {})
    known[(event.model, event.object_id, event.log_id)] = (obj, log)
    token = _APPLIED.set(known)
    try:
        yield
    finally:
        _APPLIED.reset(token)


def _applied(event: TransitionEvent):
    return (_APPLIED.get() or {}).get((event.model, event.object_id, event.log_id))


def event_object(event: TransitionEvent):
    """The object ``event`` is about, as the transition saved it: the engine's instance
    while its effects run (with what its guards already read, such as related rows),
    otherwise read from the database."""
    found = _applied(event)
    if found is not None:
        return found[0]
    return apps.get_model(event.model)._default_manager.get(pk=event.object_id)


def event_log(event: TransitionEvent):
    """The transition log entry (``StateLog``) of ``event``; its comment is its
    ``description``."""
    found = _applied(event)
    if found is not None:
        return found[1]
    from django_fsm_log.models import StateLog  # models are not ready when this loads

    return StateLog.objects.filter(pk=event.log_id).first()


@dataclass(frozen=True)
class TransitionSpec:
    label: Any
    permission: Rule
    guards: tuple[Guard, ...] = ()
    form: type[forms.Form] | None = None
    effects: tuple[Effect, ...] = field(default=())
    system_only: bool = False


def workflow_transition(
    *,
    source,
    target,
    label,
    permission: Rule,
    guards: Iterable[Guard] = (),
    form: type[forms.Form] | None = None,
    effects: Iterable[Effect] = (),
    system_only: bool = False,
):
    """Declare a transition of the model's ``state`` field.

    The decorated method receives ``actor`` and the payload form's cleaned fields as
    keyword arguments; it may change other fields of ``self`` (the engine saves).

    ``system_only``: only the system runs it, a timer or a service as a step of its own
    work (``transition_apply(..., system=True)``, e.g. a payment batch moving its
    orders); pages and the API refuse it to people, whatever the rule says. The rule
    still names who the service may run it for.

    The guards are not django-fsm conditions: the engine runs each once per transition
    (``transition_apply``, ``transitions_for``).
    """
    spec = TransitionSpec(
        label=label,
        permission=permission,
        guards=tuple(guards),
        form=form,
        effects=tuple(effects),
        system_only=system_only,
    )
    return fsm_transition(
        field="state",
        source=source,
        target=target,
        permission=permission,
        custom={"spec": spec},
    )
