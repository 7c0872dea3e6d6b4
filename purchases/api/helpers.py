"""What the viewsets share: the organisation of a new row, input validation."""

from django.utils.translation import gettext as _

from accounts.permissions import ONLY_WHO, organisation_ids_with, roles_label
from workflows.errors import InvalidInput, NotPermitted


def _organisation_for(user, requested_id, role: str) -> int:
    """The organisation a new row goes to: the one asked for, where ``user`` holds
    ``role``; by default the only one."""
    allowed = organisation_ids_with(user, role)
    if not allowed:
        raise NotPermitted(ONLY_WHO % {"who": roles_label(role)})
    if requested_id is None and len(allowed) == 1:
        return allowed[0]
    try:
        requested = int(requested_id)
    except (TypeError, ValueError):
        raise InvalidInput(
            field_errors={"organisation": [_("Choose one of your organisations.")]}
        ) from None
    if requested not in allowed:
        raise NotPermitted()
    return requested


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()}
        )
    return serializer
