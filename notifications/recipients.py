"""Who is told: functions ``(obj) -> list[Recipient]`` used in ``notify(...)``."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.permissions import users_with_role


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object = None  # a User, or None for a person without an account


RecipientsFn = Callable[[object], list[Recipient]]


def _follow(obj, path: str):
    for hop in path.split("."):
        obj = getattr(obj, hop)
    return obj


def user_at(path: str) -> RecipientsFn:
    """The user a foreign key points at, e.g. ``user_at("applicant")``."""

    def recipients(obj) -> list[Recipient]:
        user = _follow(obj, path)
        return [Recipient(email=user.email, user=user)] if user is not None else []

    return recipients


def role(*roles: str) -> RecipientsFn:
    """Everyone holding one of ``roles`` in the object's organisation."""

    def recipients(obj) -> list[Recipient]:
        users = users_with_role(obj.workflow_organisation_id, *roles)
        return [Recipient(email=u.email, user=u) for u in users]

    return recipients


def related_emails(path: str, field: str = "email") -> RecipientsFn:
    """People without accounts listed on the object, e.g. an informal group's members."""

    def recipients(obj) -> list[Recipient]:
        return [Recipient(email=getattr(row, field)) for row in _follow(obj, path).all()]

    return recipients


def handler(case: str = "", *, fallback_roles: tuple[str, ...] = ()) -> RecipientsFn:
    """The official who handles the case: the one who took it or was assigned it
    (``<case>.handler``); before anyone has, the handlers its call names
    (``<case>.call.handlers``); and when the call names none, everyone holding
    ``fallback_roles`` in the organisation. Only the handler is told; the others see the
    case in their task list and their daily digest.

    ``case`` is the path from the object to the case (``"application"`` for a review,
    empty for the application itself)."""

    def recipients(obj) -> list[Recipient]:
        target = _follow(obj, case) if case else obj
        person = getattr(target, "handler", None)
        if person is not None and person.is_active:
            return [Recipient(email=person.email, user=person)]
        call = getattr(target, "call", target)
        named = list(call.handlers.filter(is_active=True)) if hasattr(call, "handlers") else []
        if named:
            return [Recipient(email=u.email, user=u) for u in named]
        users = users_with_role(obj.workflow_organisation_id, *fallback_roles)
        return [Recipient(email=u.email, user=u) for u in users]

    recipients.__name__ = f"handler of {case or 'the case'}"
    return recipients
