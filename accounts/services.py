"""Writes to users, organisations and memberships."""

from django.db import transaction

from workflows.audit import audit_record

from .models import Membership, Organisation, Representative, User


@transaction.atomic
def user_create(
    *, email: str, password: str | None, first_name: str = "", last_name: str = "", **extra
) -> User:
    user = User(
        email=User.objects.normalize_email(email),
        first_name=first_name,
        last_name=last_name,
        **extra,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def organisation_create(*, representatives: list[tuple[str, str]] = (), **fields) -> Organisation:
    """Create an organisation with its representatives as (full name, function) pairs."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    Representative.objects.bulk_create(
        Representative(organisation=organisation, full_name=name, function=function, order=i)
        for i, (name, function) in enumerate(representatives)
    )
    return organisation


@transaction.atomic
def membership_grant(
    *, user: User, organisation: Organisation, role: str, actor: User | None = None
) -> Membership:
    """Give ``user`` a role in ``organisation``; the audit trail keeps who gave it
    (``actor`` None: the system, e.g. demo data or a command)."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    user.__dict__.pop("_roles_by_organisation", None)
    if created:
        audit_record(
            obj=user,
            actor=actor,
            action="membership_grant",
            after={"organisation": organisation.pk, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(
    *, user: User, organisation: Organisation, role: str, actor: User | None = None
) -> None:
    deleted, _ = Membership.objects.filter(user=user, organisation=organisation, role=role).delete()
    user.__dict__.pop("_roles_by_organisation", None)
    if deleted:
        audit_record(
            obj=user,
            actor=actor,
            action="membership_revoke",
            before={"organisation": organisation.pk, "role": role},
        )
