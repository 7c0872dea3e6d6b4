"""Who handles a case (prowadzący sprawę): the official told of its events.

An application is handled by the official who took it (the first to act on it, or who
pressed "take this case") or was assigned it; until then, by the handlers its call
names; when the call names none, every official of the organisation is told
(``notifications.recipients.handler``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import has_role, role_require
from workflows.audit import audit_record
from workflows.errors import InvalidInput, NotPermitted

from ..models import Application, Call


@transaction.atomic
def application_handler_assign(
    *, application: Application, handler: User | None, actor: User
) -> Application:
    """Give the case to ``handler`` (an official of the call's organisation), or to
    nobody (``None``: the call's handlers, or every official, are told again)."""
    organisation_id = application.call.organisation_id
    role_require(actor, organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    if handler is not None and not has_role(handler, organisation_id, Role.OFFICIAL):
        raise InvalidInput(field_errors={"handler": [_("Choose an official of the organisation.")]})
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    before = {"handler": application.handler_id}
    application.handler = handler
    application.save(update_fields=["handler"])
    audit_record(
        obj=application,
        actor=actor,
        action="application_handler_assign",
        before=before,
        after={"handler": application.handler_id},
    )
    return application


@transaction.atomic
def call_handlers_set(*, call: Call, handlers: list[User], actor: User) -> Call:
    """Name the officials told of the call's applications that nobody has taken (the
    same officials again change nothing and leave no audit entry)."""
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    strangers = [h for h in handlers if not has_role(h, call.organisation_id, Role.OFFICIAL)]
    if strangers:
        raise InvalidInput(field_errors={"handlers": [_("Choose officials of the organisation.")]})
    before = {"handlers": sorted(call.handlers.values_list("pk", flat=True))}
    if before["handlers"] == sorted(h.pk for h in handlers):
        return call  # nothing changes: nothing to write or audit
    call.handlers.set(handlers)
    audit_record(
        obj=call,
        actor=actor,
        action="call_handlers_set",
        before=before,
        after={"handlers": sorted(h.pk for h in handlers)},
    )
    return call
