"""One way to ask who may do what.

Services, pages, the API, workflow rules and recipients of messages all ask here
whether a user holds a role in an organisation, which organisations a user reaches
with some roles, and who holds a role. Nothing else reads ``Membership`` for access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from workflows.errors import NotPermitted

from .models import Role

ONLY_WHO = _("Only %(who)s may do this.")


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def has_role(user, organisation_id: int | None, *roles: str) -> bool:
    """The user holds one of ``roles`` in the organisation (any role when none given)."""
    if not _signed_in(user) or organisation_id is None:
        return False
    held = user.roles_in(organisation_id)
    return bool(held) if not roles else bool(held.intersection(roles))


def roles_label(*roles: str):
    """ "official, finance officer": the roles as a person reads them, lazily translated."""
    labels = [Role(role).label for role in roles]
    return format_lazy("{}" + ", {}" * (len(labels) - 1), *labels)


def role_require(user, organisation_id: int | None, *roles: str, message=None) -> None:
    """Raise ``NotPermitted`` unless the user holds one of ``roles`` in the organisation."""
    if not has_role(user, organisation_id, *roles):
        raise NotPermitted(message or ONLY_WHO % {"who": roles_label(*roles)})


def organisation_ids_with(user, *roles: str) -> list[int]:
    """Organisations where the user holds one of ``roles`` (any role when none given)."""
    if not _signed_in(user):
        return []
    return user.organisation_ids(*roles)


def organisation_ids_readable(user, *roles: str) -> list[int]:
    """Organisations whose work the user may *read* with ``roles``: those where the
    user holds one of them, and the operator organisations serving those (an operator's
    calls, grants and payments are visible, read-only, to its parent municipality).

    Use it for lists, details and API lists only; every write and transition keeps
    asking ``role_require``/``has_role`` on the object's own organisation, which the
    parent's staff do not hold, so they are refused."""
    own = organisation_ids_with(user, *roles)
    if not own:
        return []
    return sorted(set(own) | user.operators_of(own))


def read_only_for(user, organisation_id: int | None) -> bool:
    """The user reads the organisation's work only as staff of its parent municipality
    (holds no role in it): every write there is refused to them (403)."""
    if organisation_id is None or has_role(user, organisation_id):
        return False
    return organisation_id in organisation_ids_readable(user)


def users_with_role(organisation_ids: int | Iterable[int], *roles: str) -> QuerySet:
    """Active users holding one of ``roles`` in the organisation(s), each once, by id."""
    if isinstance(organisation_ids, int):
        organisation_ids = [organisation_ids]
    users = get_user_model().objects.filter(
        is_active=True, memberships__organisation_id__in=list(organisation_ids)
    )
    if roles:
        users = users.filter(memberships__role__in=roles)
    return users.distinct().order_by("pk")


def users_with_role_anywhere(*roles: str) -> QuerySet:
    """Active users holding one of ``roles`` in any organisation."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=roles)
        .distinct()
        .order_by("pk")
    )


def role_required(*roles: str) -> Callable:
    """Page decorator: signed in and holding one of ``roles`` in some organisation.

    Which organisation's data the page then shows is the selectors' business; this
    keeps out whoever holds none of the roles anywhere (403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not organisation_ids_with(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF permission: the user holds one of ``roles`` in some organisation.

    Use ``HasRole.of(Role.FINANCE, Role.ORG_ADMIN)`` in ``permission_classes``."""

    roles: tuple[str, ...] = ()
    refusal = None

    @classmethod
    def of(cls, *roles: str, message=None) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles, "refusal": message})

    def has_permission(self, request, view) -> bool:
        # Read by DRF when this returns False; built now, in the request's language.
        self.message = self.refusal or ONLY_WHO % {"who": roles_label(*self.roles)}
        return bool(organisation_ids_with(request.user, *self.roles))
