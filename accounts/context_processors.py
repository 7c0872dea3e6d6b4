"""What the page layout needs to know about the user: their roles, for the menu."""

from .models import Role


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    held = {
        role
        for organisation_id in user.organisation_ids()
        for role in user.roles_in(organisation_id)
    }
    return {
        "user_roles": frozenset(held),
        "is_office": bool(held & {Role.OFFICIAL, Role.ORG_ADMIN, Role.FINANCE}),
    }
