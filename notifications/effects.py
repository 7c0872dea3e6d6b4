"""``notify(...)``: an effect a transition declares to tell people it happened."""

import functools

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workflows.engine import ANYONE, next_actions, spec_of
from workflows.log import log_payload
from workflows.timers import running_deadline
from workflows.transitions import Effect, TransitionEvent, event_log, event_object

from .messages import Line, Message
from .recipients import RecipientsFn
from .services import notify as notify_service

SUBJECT = _("%(object_kind)s %(object)s: %(state)s")
BODY = _("%(object_kind)s %(object)s: %(action)s. Now: %(state)s.%(comment)s")
# The generic body with what comes next and by when (``next_steps``); ``BODY`` stays
# for the messages stored before it.
BODY_NEXT = _("%(object_kind)s %(object)s: %(action)s. Now: %(state)s.\n\n%(next)s%(comment)s")
NEXT_BY = _("What comes next, by %(due)s (%(what)s):\n%(actions)s")
NEXT = _("What comes next:\n%(actions)s")
NOTHING_NEXT = _("Nothing more is to be done.")
# The reader may take none of the actions left; others (the office) may.
NOTHING_FROM_YOU = _("Nothing is needed from you now; you will get a message when something is.")
ACTION_LINE = _("- %(action)s")


def transition_key(event: TransitionEvent) -> str:
    """The key of the messages a transition's ``notify`` effects write."""
    return f"transition:{event.log_id}"


def state_label(obj):
    """The lazy label of the object's state, translated when the message is read."""
    return dict(obj._meta.get_field("state").flatchoices).get(obj.state, obj.state)


def notify(
    *to: RecipientsFn,
    essential: bool = False,
    subject=None,
    body=None,
    message: Message | None = None,
) -> Effect:
    """Tell the people ``to`` returns (applicant, members, the case's handler, ...)
    that the transition happened: the inbox messages are written in the transition's
    transaction, their e-mails go through the outbox. Essential messages (decisions,
    deadlines) ignore opt-outs.

    ``message`` (``notifications.messages.Message``) says what happened, what the
    reader must do and by when, with the figures its ``values`` take from the object;
    without it, the generic texts (or ``subject`` and ``body``) are used. Every text is
    formatted with ``object``, ``object_kind``, ``action``, ``state`` and ``comment``
    besides the message's own values; the generic body also with ``next``, what comes
    next for its reader (``NextSteps``)."""

    def run(event: TransitionEvent) -> None:
        model = apps.get_model(event.model)
        obj = event_object(event)
        spec = spec_of(model, event.transition)
        log = event_log(event)
        comment = f"\n\n{log.description}" if log and log.description else ""
        context = {
            "object": str(obj),
            "object_kind": capfirst(model._meta.verbose_name),
            "action": spec.label,
            "state": state_label(obj),
            "comment": comment,
        }
        if message is not None and message.values is not None:
            context.update(message.values(obj))
        if message is not None and message.payload:
            data = log_payload(log) if log is not None else {}
            context.update({name: data.get(name, "") for name in message.payload})
        steps = NextSteps(obj) if message is None and body is None else None
        notify_service(
            recipients=[recipient for fn in to for recipient in fn(obj)],
            kind=f"{event.model}.{event.transition}",
            subject=(message.subject if message else None) or subject or SUBJECT,
            body=(message.body if message else None) or body or BODY_NEXT,
            url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            essential=essential,
            about=obj,
            dedupe_key=transition_key(event),
            fresh_key=True,
            context=context,
            # What comes next differs from reader to reader: the office's actions are
            # not the applicant's.
            context_for=(lambda r: {"next": steps.line(r.user)}) if steps else None,
            message_key=message.key if message else "",
        )

    return Effect(
        run=run,
        label="notify " + ", ".join(getattr(f, "__name__", "?") for f in to),
        message=message,
    )


class NextSteps:
    """What comes next with ``obj``, for each reader of one notice: the actions its
    state offers the reader (not those only timers or the system run) and, when a
    deadline runs in this state, by when. What the process offers anyone and the
    deadline are read once for all the readers."""

    def __init__(self, obj, *, deadline: bool = True) -> None:
        self.obj = obj
        self.deadline = deadline

    @functools.cached_property
    def _anyone(self) -> list:
        return next_actions(self.obj)

    @functools.cached_property
    def _running(self):
        return running_deadline(self.obj) if self.deadline else None

    def actions(self, reader=ANYONE) -> list:
        """The labels of what ``reader`` (a user, ``None`` for a person without an
        account, ``ANYONE`` for whoever may act) may do next."""
        return self._anyone if reader is ANYONE else next_actions(self.obj, reader)

    def line(self, reader=ANYONE, actions: list | None = None) -> Line:
        """The reader's actions and their deadline; when they have none, that nothing
        is needed from them while others have actions left, or that nothing more is to
        be done at all. A nested message, rendered in the reader's language."""
        if actions is None:
            actions = self.actions(reader)
        if not actions:
            return Line(NOTHING_FROM_YOU if self._anyone else NOTHING_NEXT, {})
        lines = [Line(ACTION_LINE, {"action": label}) for label in actions]
        if self._running is None:
            return Line(NEXT, {"actions": lines})
        due, what = self._running
        return Line(NEXT_BY, {"actions": lines, "due": due, "what": what})


def next_steps(obj, *, deadline: bool = True, reader=ANYONE) -> Line:
    """What ``reader`` does next with ``obj`` (``NextSteps.line``); by default whoever
    may act. For several readers of one notice, use one ``NextSteps``."""
    return NextSteps(obj, deadline=deadline).line(reader)
