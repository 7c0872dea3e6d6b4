"""The one place where workflow objects change state."""

import enum
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, Transition
from django_fsm_log.models import StateLog

from . import timers
from .errors import (
    ConcurrentChange,
    GuardRefused,
    InvalidInput,
    NotPermitted,
    NotVisible,
    TransitionNotAvailable,
)
from .log import transition_log_write
from .models import WorkflowModel
from .outbox import outbox_batch
from .transitions import TransitionEvent, TransitionSpec, applied

COMMENT_MAX_LENGTH = 4000


def _transition_methods(model: type[WorkflowModel]) -> dict:
    field = model._meta.get_field("state")
    return field.transitions.get(model, {})


def transitions_of(model: type[WorkflowModel]) -> list[Transition]:
    """Every declared transition of a model, one entry per source state."""
    field = model._meta.get_field("state")
    return list(field.get_all_transitions(model))


def targets_of(transition: Transition) -> list[str]:
    """The states a transition may end in (several when its method picks one)."""
    target = transition.target
    allowed = getattr(target, "allowed_states", None)
    return [str(state) for state in allowed] if allowed else [str(target)]


def spec_of(model: type[WorkflowModel], name: str) -> TransitionSpec:
    """The declaration (label, rule, guards, form, effects) of transition ``name``."""
    method = _transition_methods(model)[name]
    return _spec(next(iter(method._django_fsm.transitions.values())))


def _spec(transition: Transition) -> TransitionSpec:
    return transition.custom["spec"]


def _find(obj: WorkflowModel, name: str) -> tuple[object, Transition | None]:
    method = _transition_methods(type(obj)).get(name)
    if method is None:
        raise NotVisible(_("There is no action “%(name)s”.") % {"name": name})
    meta = method._django_fsm
    transition = meta.get_transition(obj.state) if meta.has_transition(obj.state) else None
    return meta, transition


def _any_transition(meta) -> Transition:
    return next(iter(meta.transitions.values()))


def _permitted(spec: TransitionSpec, obj: WorkflowModel, actor, *, system: bool) -> bool:
    if spec.system_only and not (system or actor is None):
        return False
    return spec.permission(obj, actor)


def _refusal(obj: WorkflowModel, transition: Transition, actor) -> str | None:
    spec = _spec(transition)
    if not spec.permission(obj, actor):
        return _("Only %(who)s may do this.") % {"who": spec.permission.description}
    for check in spec.guards:
        reason = check(obj)
        if reason:
            return str(reason)
    return None


def _clean_payload(spec: TransitionSpec, payload: dict) -> dict:
    errors: dict[str, list[str]] = {}
    comment = payload.pop("comment", "") or ""
    if not isinstance(comment, str) or len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("A comment must be text of at most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}
        ]
    cleaned: dict = {}
    if spec.form is not None:
        form = spec.form(data=payload)
        if form.is_valid():
            cleaned = form.cleaned_data
        else:
            errors.update({f: [str(m) for m in msgs] for f, msgs in form.errors.items()})
    if errors:
        raise InvalidInput(field_errors=errors)
    return {"comment": comment, **cleaned}


def _jsonable(cleaned: dict) -> dict:
    return {
        key: value.pk if isinstance(value, models.Model) else value
        for key, value in cleaned.items()
    }


def transition_apply(
    *,
    obj: WorkflowModel,
    name: str,
    actor,
    payload: dict | None = None,
    system: bool = False,
    reuse_related: bool = False,
    caller_locked: bool = False,
):
    """Run transition ``name`` on ``obj`` for ``actor`` (``None``: the system).

    ``system``: the caller is a service running the transition as a step of its own
    work (a payment batch moving its orders), never a page or the API; only then, or
    for the actor ``None`` (timers), may a ``system_only`` transition run.
    ``reuse_related``: ``obj`` was just read for this request (a page's or the API's
    object, with its ``select_related``), so the locked instance keeps its related rows
    instead of reading them again; a service that changed related rows since it read
    ``obj`` leaves it off.
    ``caller_locked``: the caller read ``obj`` with ``select_for_update`` in the
    transaction it holds (the API's transition action finds and locks the object in one
    query), so the engine works on that instance, in that transaction.

    Locks the row, checks permission, state, payload and guards in that order, runs the
    transition, saves, logs it with its payload, and records its side effects in the
    same transaction (``workflows.outbox``: published once it commits). Returns the
    updated object. Raises ``NotPermitted`` (403), ``TransitionNotAvailable`` /
    ``GuardRefused`` / ``ConcurrentChange`` (409) or ``InvalidInput`` (400); nothing
    is changed when it raises.
    """
    payload = dict(payload or {})
    if caller_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{obj!r}: caller_locked outside the transaction that locked it")
    try:
        # Inside the caller's transaction when it holds the lock: no savepoint, an error
        # rolls the caller's transaction back as it propagates.
        with transaction.atomic(savepoint=not caller_locked):
            locked = _locked(obj, caller_locked=caller_locked, reuse_related=reuse_related)
            meta, transition = _find(locked, name)
            spec = _spec(transition or _any_transition(meta))
            if not _permitted(spec, locked, actor, system=system):
                raise NotPermitted(
                    _("Only %(who)s may do this.") % {"who": spec.permission.description}
                )
            if transition is None:
                raise TransitionNotAvailable(
                    _("“%(action)s” is not possible while the state is “%(state)s”.")
                    % {"action": spec.label, "state": locked.state_label}
                )
            cleaned = _clean_payload(spec, payload)
            for check in spec.guards:
                reason = check(locked)
                if reason:
                    raise GuardRefused(reason)
            comment = cleaned.pop("comment")
            source = locked.state
            getattr(locked, name)(actor=actor, **cleaned)
            log = transition_log_write(
                obj=locked,
                transition=name,
                source=source,
                target=locked.state,
                actor=actor,
                comment=comment,
                payload=_jsonable(cleaned),
            )
            locked.save()
            if timers.timers_of(locked):
                timers.schedule(locked, source)
            event = TransitionEvent(
                model=locked._meta.label_lower,
                object_id=locked.pk,
                transition=name,
                source=source,
                target=locked.state,
                actor_id=getattr(actor, "pk", None),
                log_id=log.pk,
            )
            # Effects record their work in this transaction (the outbox, the inbox):
            # it is published after the commit, and survives a broker that is away. Their
            # outbox messages are written together when the last effect has run.
            with applied(event, locked, log), outbox_batch():
                for effect in spec.effects:
                    effect.run(event)
    except ConcurrentTransition as exc:
        raise ConcurrentChange() from exc
    return locked


def _locked(obj: WorkflowModel, *, caller_locked: bool, reuse_related: bool) -> WorkflowModel:
    """The instance the transition runs on: ``obj`` itself when the caller locked it,
    else the row read again under a lock (with the caller's related rows, when asked)."""
    if caller_locked:
        return obj
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if reuse_related:
        _carry_related(obj, current)
    return current


def _carry_related(read: WorkflowModel, locked: WorkflowModel) -> None:
    """The related rows the caller read with ``read`` (a page's or the API's
    ``select_related``), set on the locked instance where it points at the same rows:
    the guards and effects would read them again in the transaction, no fresher than
    the caller's (#18: a submit read its call and its applicant twice)."""
    for field in locked._meta.concrete_fields:
        if (
            field.is_relation
            and field.is_cached(read)
            and getattr(read, field.attname) == getattr(locked, field.attname)
        ):
            field.set_cached_value(locked, field.get_cached_value(read))


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str
    allowed: bool
    reason: str | None


def transitions_for(obj: WorkflowModel, user) -> list[AvailableTransition]:
    """Transitions from the object's current state, with whether ``user`` may run each
    now and, if not, why. Transitions only the system runs (timed ones, those declared
    ``system_only``) are left out."""
    result = []
    for name, method in _transition_methods(type(obj)).items():
        meta = method._django_fsm
        if not meta.has_transition(obj.state):
            continue
        transition = meta.get_transition(obj.state)
        spec = _spec(transition)
        if spec.system_only:
            continue
        if spec.permission(obj, None) and not spec.permission(obj, user):
            continue  # timed transitions are not offered to people
        reason = _refusal(obj, transition, user)
        result.append(
            AvailableTransition(
                name=name,
                label=str(spec.label),
                target="|".join(targets_of(transition)),
                allowed=reason is None,
                reason=reason,
            )
        )
    return result


class _Anyone(enum.Enum):
    ANYONE = "anyone"


ANYONE = _Anyone.ANYONE
"""``next_actions``' default reader: whoever may act (not one person)."""


def next_actions(obj: WorkflowModel, actor=ANYONE) -> list:
    """The labels (lazy) of the transitions people may run from the object's state.

    By default (``ANYONE``) whoever may run them, leaving out the timed ones (those the
    system may run too). With an ``actor``, those this user may run, timed ones
    included when the rule names them as well (the page offers them: see
    ``transitions_for``). An ``actor`` of ``None`` is a person without an account (a
    group member told by e-mail), who runs none; unlike a ``Rule``'s ``None``, never
    the system. System-only transitions are left out and no guard is run."""
    if actor is None:
        return []
    labels = []
    for method in _transition_methods(type(obj)).values():
        meta = method._django_fsm
        if not meta.has_transition(obj.state):
            continue
        spec = _spec(meta.get_transition(obj.state))
        if spec.system_only:
            continue
        if actor is ANYONE:
            if spec.permission(obj, None):
                continue
        elif not spec.permission(obj, actor):
            continue
        labels.append(spec.label)
    return labels


def history_for(obj: WorkflowModel):
    """The object's transition log, oldest first, with actor and payload joined."""
    return StateLog.objects.for_(obj).select_related("by", "payload").order_by("timestamp", "pk")
