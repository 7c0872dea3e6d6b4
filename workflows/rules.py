"""Who may run a transition: composable predicates on (object, actor)."""

from collections.abc import Callable
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_role as holds
from accounts.permissions import roles_label


class Rule:
    """A predicate with a description people can read (shown in refusals and diagrams).

    ``actor`` is a user, or ``None`` for the system itself (timers).
    """

    def __init__(self, test: Callable[[Any, Any], bool], description) -> None:
        self.test = test
        self.description = description

    def __call__(self, obj, actor) -> bool:
        return bool(self.test(obj, actor))

    def __and__(self, other: "Rule") -> "Rule":
        return Rule(
            lambda obj, actor: self(obj, actor) and other(obj, actor),
            format_lazy("{} {} {}", self.description, _("and"), other.description),
        )

    def __or__(self, other: "Rule") -> "Rule":
        return Rule(
            lambda obj, actor: self(obj, actor) or other(obj, actor),
            format_lazy("{} {} {}", self.description, _("or"), other.description),
        )

    def __str__(self) -> str:
        return str(self.description)


def _is_person(actor) -> bool:
    return actor is not None and actor.is_authenticated


def has_role(*roles: str) -> Rule:
    """The actor holds one of ``roles`` in the object's organisation."""
    return Rule(
        lambda obj, actor: holds(actor, obj.workflow_organisation_id, *roles),
        roles_label(*roles),
    )


def is_user(path: str, description) -> Rule:
    """The actor is the user the object's ``path`` points at: a foreign key of the
    object (``"applicant"``) or of a related object (``"agreement.application.applicant"``)."""
    *hops, field = path.split(".")

    def test(obj, actor) -> bool:
        if not _is_person(actor):
            return False
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{field}_id") == actor.pk

    return Rule(test, description)


SYSTEM = Rule(lambda obj, actor: actor is None, _("the system"))
