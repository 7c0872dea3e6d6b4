"""``notify(...)``: an effect a transition declares to tell people it happened."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from workflows.engine import spec_of
from workflows.transitions import Effect, TransitionEvent, event_log, event_object

from .recipients import RecipientsFn
from .services import notify as notify_service

SUBJECT = _("%(object_kind)s %(object)s: %(state)s")
BODY = _("%(object_kind)s %(object)s: %(action)s. Now: %(state)s.%(comment)s")


def notify(*to: RecipientsFn, essential: bool = False, subject=None, body=None) -> Effect:
    """Tell the people ``to`` returns (applicant, members, officials, ...) that the
    transition happened: the inbox messages are written in the transition's
    transaction, their e-mails go through the outbox. Essential messages (decisions,
    deadlines) ignore opt-outs.
    ``subject`` and ``body`` may replace the generic texts; they are formatted with
    ``object``, ``object_kind``, ``action``, ``state`` and ``comment``."""

    def run(event: TransitionEvent) -> None:
        model = apps.get_model(event.model)
        obj = event_object(event)
        spec = spec_of(model, event.transition)
        log = event_log(event)
        comment = f"\n\n{log.description}" if log and log.description else ""
        notify_service(
            recipients=[recipient for fn in to for recipient in fn(obj)],
            kind=f"{event.model}.{event.transition}",
            subject=subject or SUBJECT,
            body=body or BODY,
            url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            essential=essential,
            about=obj,
            dedupe_key=f"transition:{event.log_id}",
            context={
                "object": str(obj),
                "object_kind": capfirst(model._meta.verbose_name),
                "action": spec.label,
                "state": obj.get_state_display(),
                "comment": comment,
            },
        )

    return Effect(run=run, label="notify " + ", ".join(getattr(f, "__name__", "?") for f in to))
