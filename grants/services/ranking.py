"""Decisions down the ranking (lista rankingowa): approve, put on the reserve list or
reject several applications of a call at once, each through its own transition."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from workflows.engine import transition_apply
from workflows.errors import DomainError, InvalidInput, NotPermitted

from ..models import Application, Call

DECISIONS = ("approve", "put_on_reserve", "reject")


@transaction.atomic
def ranking_decide(
    *,
    call: Call,
    actor: User,
    decision: str,
    choices: list[tuple[Application, Decimal | None]],
    justification: str,
) -> list[Application]:
    """One decision with one justification for each chosen application, in the order
    given (the ranking's), each through the workflow engine like a decision on its own
    page. All or none: the first refusal (the pool exceeded, a score under the
    minimum, a state that allows no such decision) undoes the others and is reported
    with the application it concerns."""
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    errors = {}
    if decision not in DECISIONS:
        errors["decision"] = [_("Choose a decision.")]
    if not choices:
        errors["applications"] = [_("Choose at least one application.")]
    if not justification.strip():
        errors["justification"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    decided = []
    for application, amount in choices:
        if application.call_id != call.pk:
            raise InvalidInput(
                field_errors={"applications": [_("Choose applications of the call.")]}
            )
        payload = {"justification": justification}
        if decision == "approve":
            payload["amount"] = amount
        try:
            decided.append(
                transition_apply(obj=application, name=decision, actor=actor, payload=payload)
            )
        except DomainError as exc:
            details = [m for messages in exc.field_errors.values() for m in messages]
            reason = " ".join(str(m) for m in details) or str(exc.message)
            raise type(exc)(
                _("%(application)s: %(reason)s Nothing was decided.")
                % {"application": application, "reason": reason}
            ) from exc
    return decided
