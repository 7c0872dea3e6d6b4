"""The first run of an installation: its first organisation and that organisation's
administrator, who then runs everything else from the pages (no shell needed)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.models import Organisation, Role, User
from accounts.services import membership_grant, organisation_create, user_create
from workflows.audit import audit_record


class AlreadySetUp(Exception):
    """The installation has an organisation already: the first run is over."""


@transaction.atomic
def first_run_setup(
    *,
    organisation: dict,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    superuser: bool = False,
) -> tuple[Organisation, User]:
    """Create the organisation (``organisation``: its fields) and its administrator
    (role ``org_admin``; also a Django admin superuser when ``superuser``), whose
    e-mail counts as verified. Refused once any organisation exists."""
    if Organisation.objects.select_for_update().exists():
        raise AlreadySetUp
    user = User(email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    created = organisation_create(**organisation)
    admin = user_create(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=superuser,
        is_superuser=superuser,
    )
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    membership_grant(user=admin, organisation=created, role=Role.ORG_ADMIN)
    audit_record(
        obj=created,
        actor=None,
        action="first_run_setup",
        after={"administrator": admin.pk, "superuser": superuser},
    )
    return created, admin
