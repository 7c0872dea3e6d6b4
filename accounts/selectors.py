"""Reads about users and organisations."""

from django.db.models import Prefetch, QuerySet

from .models import Membership, Organisation, User


def organisations_for(*, user: User, roles: tuple[str, ...] = ()) -> QuerySet[Organisation]:
    """The organisations an official works in: the scope of every query they make."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def members_of(organisation: Organisation) -> QuerySet[User]:
    """Each member of the organisation once, with their roles there (``roles_here``)."""
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation).order_by("role"),
                to_attr="roles_here",
            )
        )
    )


def pending_actions(*, user: User) -> list:
    """What the user has to do, gathered from every process: each declares a
    ``pending_actions`` hook ``(user) -> list[PendingAction]`` (``workflows.processes``).
    """
    from workflows.processes import offering

    actions = []
    for provider in offering("pending_actions"):
        actions.extend(provider(user))
    return actions
