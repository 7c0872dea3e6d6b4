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
