"""``notify(...)``: an effect a transition declares to tell people it happened."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workflows.engine import spec_of
from workflows.transitions import Effect, TransitionEvent, event_log, event_object

from .messages import Message
from .recipients import RecipientsFn
from .services import notify as notify_service

SUBJECT = _("%(object_kind)s %(object)s: %(state)s")
BODY = _("%(object_kind)s %(object)s: %(action)s. Now: %(state)s.%(comment)s")


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
    besides the message's own values."""

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
        notify_service(
            recipients=[recipient for fn in to for recipient in fn(obj)],
            kind=f"{event.model}.{event.transition}",
            subject=(message.subject if message else None) or subject or SUBJECT,
            body=(message.body if message else None) or body or BODY,
            url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            essential=essential,
            about=obj,
            dedupe_key=f"transition:{event.log_id}",
            context=context,
            message_key=message.key if message else "",
        )

    return Effect(run=run, label="notify " + ", ".join(getattr(f, "__name__", "?") for f in to))
