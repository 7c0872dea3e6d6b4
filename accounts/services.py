"""Writes to users, organisations and memberships."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record, changes, snapshot
from workflows.errors import Conflict, InvalidInput, NotVisible

from .models import Membership, Organisation, Representative, Role, User
from .permissions import role_require


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


# Self-administration: members, the organisation's data, each user's profile ----------

INVITATION_SUBJECT = _("You are invited to Mikrowsparcia")
INVITATION_BODY = _(
    "%(actor)s invites you to work in %(organisation)s as %(role)s. Open the link below "
    "within 7 days to set your password; then sign in with the address %(email)s."
)
ROLE_GIVEN_SUBJECT = _("You have a new role in Mikrowsparcia")
ROLE_GIVEN_BODY = _("%(actor)s gave you the role %(role)s in %(organisation)s.")
NOT_A_MEMBER = _("This person holds no role in this organisation.")
LAST_ADMIN = _(
    "An organisation keeps at least one administrator: give the role to someone else first."
)


def _require_admin(actor: User, organisation: Organisation) -> None:
    role_require(actor, organisation.pk, Role.ORG_ADMIN)


def _role_checked(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput(field_errors={"role": [_("Choose one of the roles on the list.")]})
    return role


@transaction.atomic
def member_invite(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    actor: User,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Give a role to the person with ``email``; a person without an account gets an
    inactive one and an e-mail with a link to set a password (``accounts.tokens``)."""
    _require_admin(actor, organisation)
    _role_checked(role)
    email = User.objects.normalize_email(email.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(field_errors={"email": [_("Enter a valid e-mail address.")]}) from None
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None and not user.is_active and user.has_usable_password():
        raise InvalidInput(
            field_errors={
                "email": [
                    _(
                        "The account of this person is deactivated. "
                        "Ask the system administrator to restore it."
                    )
                ]
            }
        )
    invited = user is None or not user.is_active
    if user is None:
        user = user_create(
            email=email,
            password=None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            is_active=False,
        )
    elif invited:  # invited before and not yet accepted: a fresh link, the old one dies
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_grant(user=user, organisation=organisation, role=role, actor=actor)
    audit_record(
        obj=user,
        actor=actor,
        action="member_invite" if invited else "member_add",
        after={"organisation": organisation.pk, "role": role, "email": user.email},
    )
    context = {
        "actor": str(actor),
        "organisation": organisation.name,
        "role": str(Role(role).label),
        "email": user.email,
    }
    if invited:
        from .tokens import invitation_token

        kind, subject, body = "accounts.invitation", INVITATION_SUBJECT, INVITATION_BODY
        url = reverse("accounts:invitation", args=[invitation_token(user)])
    else:
        kind, subject, body = "accounts.role_granted", ROLE_GIVEN_SUBJECT, ROLE_GIVEN_BODY
        url = reverse("home")
    notify(
        recipients=[Recipient(email=user.email, user=user)],
        kind=kind,
        subject=subject,
        body=body,
        url=url,
        essential=True,
        about=user,
        context=context,
    )
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """The invitee sets a password: the account becomes active and its address verified
    (the link reached it)."""
    from allauth.account.models import EmailAddress

    user = User.objects.select_for_update().get(pk=user.pk)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(field_errors={"password1": list(exc.messages)}) from None
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    audit_record(
        obj=user,
        actor=user,
        action="invitation_accept",
        before={"is_active": False},
        after={"is_active": True},
    )
    return user


def _member_of(user: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise NotVisible(NOT_A_MEMBER)


@transaction.atomic
def member_role_grant(
    *, organisation: Organisation, user: User, role: str, actor: User
) -> Membership:
    _require_admin(actor, organisation)
    _role_checked(role)
    _member_of(user, organisation)
    return membership_grant(user=user, organisation=organisation, role=role, actor=actor)


@transaction.atomic
def member_role_revoke(*, organisation: Organisation, user: User, role: str, actor: User) -> None:
    _require_admin(actor, organisation)
    _role_checked(role)
    _member_of(user, organisation)
    if role == Role.ORG_ADMIN:
        admins = list(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, role=Role.ORG_ADMIN, user__is_active=True)
            .values_list("user_id", flat=True)
        )
        if admins == [user.pk]:
            raise Conflict(LAST_ADMIN)
    membership_revoke(user=user, organisation=organisation, role=role, actor=actor)


@transaction.atomic
def user_deactivate(*, organisation: Organisation, user: User, actor: User) -> User:
    """Sign-in is refused from now on; the user stays, with every trace of their work
    (the logs are append-only). Someone who also works elsewhere only loses roles here."""
    _require_admin(actor, organisation)
    _member_of(user, organisation)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot deactivate your own account."))
    if Membership.objects.filter(user=user).exclude(organisation=organisation).exists():
        raise Conflict(
            _(
                "This person also works for another organisation: take away their roles "
                "here instead."
            )
        )
    if not user.is_active:
        raise Conflict(_("This account is already deactivated."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.has_usable_password():  # a pending invitation dies with the account
        user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["is_active", "password"])
    audit_record(
        obj=user,
        actor=actor,
        action="user_deactivate",
        before={"is_active": True, "organisation": organisation.pk},
        after={"is_active": False, "organisation": organisation.pk},
    )
    return user


ORGANISATION_FIELDS = ("name", "short_name", "street", "postal_code", "city", "nip", "regon")


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    actor: User,
    fields: dict,
    representatives: list[tuple[str, str]] | None = None,
    logo=None,
    logo_clear: bool = False,
) -> Organisation:
    """Change the organisation's data (what documents print); fields not named stay."""
    _require_admin(actor, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    names = [n for n in ORGANISATION_FIELDS if n in fields]
    before = {**snapshot(organisation, names), "logo": organisation.logo.name or ""}
    for name in names:
        setattr(organisation, name, fields[name])
    if logo is not None:
        organisation.logo = logo
    elif logo_clear:
        organisation.logo = ""
    try:
        organisation.full_clean(exclude=["kind", "parent"])
    except ValidationError as exc:
        raise InvalidInput(field_errors=exc.message_dict) from None
    organisation.save(update_fields=[*names, "logo"])
    after = {**snapshot(organisation, names), "logo": organisation.logo.name or ""}
    old, new = changes(before, after)
    if representatives is not None:
        current = [
            [r.full_name, r.function] for r in organisation.representatives.order_by("order", "pk")
        ]
        wanted = [[name.strip(), function.strip()] for name, function in representatives]
        if current != wanted:
            organisation.representatives.all().delete()
            Representative.objects.bulk_create(
                Representative(organisation=organisation, full_name=n, function=f, order=i)
                for i, (n, f) in enumerate(wanted)
            )
            old["representatives"], new["representatives"] = current, wanted
    if old or new:
        audit_record(
            obj=organisation, actor=actor, action="organisation_update", before=old, after=new
        )
    return organisation


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "language",
    "wants_optional_messages",
    "muted_message_kinds",
)


@transaction.atomic
def profile_update(*, user: User, fields: dict) -> User:
    """The user's own name, language and which optional messages they want."""
    from .preferences import MESSAGE_KINDS

    names = [n for n in PROFILE_FIELDS if n in fields]
    errors = {}
    if "language" in fields and fields["language"] not in ("", *dict(settings.LANGUAGES)):
        errors["language"] = [_("Choose one of the languages on the list.")]
    known = {group for group, _label in MESSAGE_KINDS}
    if "muted_message_kinds" in fields and not set(fields["muted_message_kinds"]) <= known:
        errors["muted_message_kinds"] = [_("Choose kinds of messages from the list.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, names)
    for name in names:
        value = fields[name]
        setattr(user, name, sorted(value) if name == "muted_message_kinds" else value)
    try:
        user.full_clean(exclude=["password", "email", "muted_message_kinds"])
    except ValidationError as exc:
        raise InvalidInput(field_errors=exc.message_dict) from None
    user.save(update_fields=names)
    old, new = changes(before, snapshot(user, names))
    if old or new:
        audit_record(obj=user, actor=user, action="profile_update", before=old, after=new)
    return user


@transaction.atomic
def message_kind_mute(*, user: User, kind: str) -> bool:
    """Turn off one kind of optional message (the unsubscribe link); False when it was
    off already."""
    user = User.objects.select_for_update().get(pk=user.pk)
    group = kind.split(".", 1)[0]
    if group in user.muted_message_kinds:
        return False
    profile_update(user=user, fields={"muted_message_kinds": [*user.muted_message_kinds, group]})
    return True


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """A new API key for the user; the previous one, if any, stops working."""
    from rest_framework.authtoken.models import Token

    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit_record(
        obj=user,
        actor=user,
        action="api_token_regenerate" if replaced else "api_token_create",
        after={"created": token.created},
    )
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    from rest_framework.authtoken.models import Token

    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        audit_record(obj=user, actor=user, action="api_token_revoke")
    return deleted
