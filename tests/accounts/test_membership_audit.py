"""Issue 11, section 8: granting and revoking a role leaves an audit entry on the
user, through the services and through the admin alike."""

import pytest

from accounts.models import Membership, Role
from accounts.services import membership_grant, membership_revoke
from tests.conftest import NOW
from tests.factories import OrganisationFactory, UserFactory
from workflows.audit import audit_entries_for

pytestmark = pytest.mark.django_db


def entries(user) -> list[tuple]:
    return [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(user)]


def test_granting_and_revoking_a_role_is_audited():
    admin, user, organisation = UserFactory(), UserFactory(), OrganisationFactory()

    membership_grant(user=user, organisation=organisation, role=Role.OFFICIAL, actor=admin)
    membership_grant(user=user, organisation=organisation, role=Role.OFFICIAL, actor=admin)
    membership_revoke(user=user, organisation=organisation, role=Role.OFFICIAL, actor=admin)
    membership_revoke(user=user, organisation=organisation, role=Role.OFFICIAL, actor=admin)

    role = {"organisation": organisation.pk, "role": "official"}
    assert entries(user) == [
        (admin, NOW, "membership_grant", {}, role),
        (admin, NOW, "membership_revoke", role, {}),
    ]


def test_roles_changed_in_the_admin_are_audited(admin_client, admin_user):
    user, organisation = UserFactory(), OrganisationFactory()

    added = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": user.pk, "organisation": organisation.pk, "role": Role.FINANCE},
    )
    membership = Membership.objects.get(user=user)
    changed = admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {"user": user.pk, "organisation": organisation.pk, "role": Role.OFFICIAL},
    )
    membership = Membership.objects.get(user=user)
    deleted = admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert [r.status_code for r in (added, changed, deleted)] == [302, 302, 302]
    assert not Membership.objects.filter(user=user).exists()
    finance = {"organisation": organisation.pk, "role": "finance"}
    official = {"organisation": organisation.pk, "role": "official"}
    assert entries(user) == [
        (admin_user, NOW, "membership_grant", {}, finance),
        (admin_user, NOW, "membership_revoke", finance, {}),
        (admin_user, NOW, "membership_grant", {}, official),
        (admin_user, NOW, "membership_revoke", official, {}),
    ]


def test_roles_changed_on_the_admin_user_page_are_audited(admin_client, admin_user):
    from tests.forms_support import form_data

    user, organisation = UserFactory(), OrganisationFactory()
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(admin_client.get(url).content.decode())
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")

    response = admin_client.post(
        url,
        {
            **data,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-id": "",
            f"{prefix}-0-user": str(user.pk),
            f"{prefix}-0-organisation": str(organisation.pk),
            f"{prefix}-0-role": Role.EVALUATOR,
        },
    )

    assert response.status_code == 302
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
        "evaluator"
    ]
    assert entries(user) == [
        (
            admin_user,
            NOW,
            "membership_grant",
            {},
            {"organisation": organisation.pk, "role": "evaluator"},
        )
    ]
