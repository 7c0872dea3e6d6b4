"""Issue 13, self-administration: the organisation administrator's members page,
invitations, roles and deactivation; pages and API, success and refusal."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import Membership, Role, User
from accounts.services import member_invite
from tests.clients import api, web
from tests.conftest import NOW
from tests.factories import OrganisationFactory, UserFactory
from workflows.audit import audit_entries_for

pytestmark = pytest.mark.django_db

STRONG = "Zielony-ogrod-2026"


def entries(obj) -> list[tuple]:
    return [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(obj)]


@pytest.fixture
def org_admin(organisation):
    user = UserFactory(first_name="Anna", last_name="Admin")
    Membership.objects.create(user=user, organisation=organisation, role=Role.ORG_ADMIN)
    return user


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the callbacks of commits made inside (e-mails from the outbox)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite_link(message) -> str:
    return re.search(r"http://\S+(/konto/zaproszenie/\S+/)", message.body).group(1)


def test_the_page_lists_members_with_their_roles(organisation, org_admin, official):
    Membership.objects.create(user=official, organisation=organisation, role=Role.FINANCE)
    outsider = UserFactory()
    Membership.objects.create(user=outsider, organisation=OrganisationFactory(), role=Role.OFFICIAL)

    page = web(org_admin).get(f"/organizacja/{organisation.pk}/czlonkowie/")

    assert page.status_code == 200
    rows = [
        (person.email, [m.role for m in person.roles_here]) for person in page.context["members"]
    ]
    assert rows == [
        (org_admin.email, ["org_admin"]),
        (official.email, ["finance", "official"]),
    ]
    assert "urzędnik" in page.text.lower()
    assert outsider.email not in page.text


@pytest.mark.parametrize("path", ["czlonkowie/", "dane/"])
def test_others_are_refused(organisation, official, path):
    admin_elsewhere = UserFactory()
    Membership.objects.create(
        user=admin_elsewhere, organisation=OrganisationFactory(), role=Role.ORG_ADMIN
    )
    url = f"/organizacja/{organisation.pk}/{path}"

    assert web(official).get(url).status_code == 403
    assert web(admin_elsewhere).get(url).status_code == 403
    assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"


def test_invitation_creates_an_inactive_user_and_sends_a_link(organisation, org_admin, commit):
    with commit():
        response = web(org_admin).post(
            f"/organizacja/{organisation.pk}/czlonkowie/",
            {
                "email": "Nowa@Example.org",
                "first_name": "Ewa",
                "last_name": "Nowa",
                "role": Role.OFFICIAL,
            },
        )

    assert response.status_code == 302
    user = User.objects.get(email="Nowa@example.org")
    assert (user.is_active, user.has_usable_password(), user.get_full_name()) == (
        False,
        False,
        "Ewa Nowa",
    )
    assert user.roles_in(organisation.pk) == {Role.OFFICIAL}
    [message] = mail.outbox
    assert message.to == ["Nowa@example.org"]
    assert message.subject == "Zaproszenie do Mikrowsparcia"
    assert message.body.startswith(
        f"Anna Admin zaprasza Cię do pracy w {organisation.name} jako urzędnik. "
        "Otwórz poniższy link w ciągu 7 dni, aby ustawić hasło; potem zaloguj się "
        "adresem Nowa@example.org."
    )
    role = {"organisation": organisation.pk, "role": "official"}
    assert entries(user) == [
        (org_admin, NOW, "membership_grant", {}, role),
        (org_admin, NOW, "member_invite", {}, {**role, "email": "Nowa@example.org"}),
    ]


def test_the_invitee_sets_a_password_and_signs_in(organisation, org_admin, commit):
    with commit():
        member_invite(
            organisation=organisation, email="ewa@example.org", role=Role.OFFICIAL, actor=org_admin
        )
    link = invite_link(mail.outbox[0])
    client = Client()

    page = client.get(link)
    assert page.status_code == 200
    assert "ewa@example.org" in page.text
    refused = client.post(link, {"password1": "abc", "password2": "abd"})
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"password2": ["Podane hasła się różnią."]}
    weak = client.post(link, {"password1": "12345678", "password2": "12345678"})
    assert weak.context["form"].errors == {
        "password1": ["To hasło jest zbyt powszechne.", "Hasło składa się wyłącznie z cyfr."]
    }
    assert User.objects.get(email="ewa@example.org").is_active is False
    accepted = client.post(link, {"password1": STRONG, "password2": STRONG})

    assert accepted["Location"] == "/accounts/login/"
    user = User.objects.get(email="ewa@example.org")
    assert (user.is_active, user.check_password(STRONG)) == (True, True)
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    assert entries(user)[-1] == (
        user,
        NOW,
        "invitation_accept",
        {"is_active": False},
        {"is_active": True},
    )
    signed_in = client.post("/accounts/login/", {"login": "ewa@example.org", "password": STRONG})
    assert signed_in["Location"] == "/"
    used = Client().get(link)
    assert used.status_code == 400
    assert "Link został już użyty" in used.text


def test_an_expired_or_broken_link_says_what_to_do(organisation, org_admin, commit, clock):
    with commit():
        member_invite(
            organisation=organisation, email="ewa@example.org", role=Role.OFFICIAL, actor=org_admin
        )
    link = invite_link(mail.outbox[0])

    broken = Client().get(link[:-5] + "xxxx/")
    clock.move_to(NOW + datetime.timedelta(days=7, minutes=1))
    expired = Client().get(link)

    assert (broken.status_code, expired.status_code) == (400, 400)
    assert "Link jest niepełny." in broken.text
    assert "Link jest starszy niż 7 dni." in expired.text


def test_inviting_again_replaces_the_link(organisation, org_admin, commit):
    with commit():
        member_invite(
            organisation=organisation, email="ewa@example.org", role=Role.OFFICIAL, actor=org_admin
        )
        member_invite(
            organisation=organisation, email="ewa@example.org", role=Role.EVALUATOR, actor=org_admin
        )
    first, second = (invite_link(m) for m in mail.outbox)

    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 200


def test_an_existing_person_gets_the_role_and_a_notice(organisation, org_admin, commit):
    resident = UserFactory(email="jan@example.org")

    with commit():
        response = web(org_admin).post(
            f"/organizacja/{organisation.pk}/czlonkowie/",
            {"email": "JAN@example.org", "role": Role.EVALUATOR},
        )

    assert response.status_code == 302
    assert resident.roles_in(organisation.pk) == {Role.EVALUATOR}
    [message] = mail.outbox
    assert message.subject == "Masz nową rolę w Mikrowsparciu"
    assert entries(resident)[-1][2:] == (
        "member_add",
        {},
        {"organisation": organisation.pk, "role": "evaluator", "email": "jan@example.org"},
    )


def test_a_refused_invitation_keeps_what_was_typed(organisation, org_admin):
    gone = UserFactory(email="stary@example.org", is_active=False)
    url = f"/organizacja/{organisation.pk}/czlonkowie/"

    wrong = web(org_admin).post(url, {"email": "nie-adres", "first_name": "Ewa", "role": "x"})
    deactivated = web(org_admin).post(url, {"email": "stary@example.org", "role": "official"})

    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {
        "email": ["Podaj poprawny adres e-mail."],
        "role": ["Wybierz poprawną wartość. x nie jest żadną z dostępnych opcji."],
    }
    assert 'value="Ewa"' in wrong.text
    assert deactivated.context["form"].errors == {
        "email": [
            "Konto tej osoby jest dezaktywowane. Poproś administratora systemu o jego przywrócenie."
        ]
    }
    assert 'value="stary@example.org"' in deactivated.text
    assert gone.roles_in(organisation.pk) == frozenset()


def test_roles_are_given_and_taken_away(organisation, org_admin, official):
    url = f"/organizacja/{organisation.pk}/czlonkowie/{official.pk}/"
    client = web(org_admin)

    given = client.post(url, {"role": Role.FINANCE})
    taken = client.post(url + "odbierz-role/", {"role": Role.OFFICIAL})

    assert (given.status_code, taken.status_code) == (302, 302)
    official = User.objects.get(pk=official.pk)
    assert official.roles_in(organisation.pk) == {Role.FINANCE}
    assert [e[2] for e in entries(official)] == [
        "membership_grant",
        "membership_grant",
        "membership_revoke",
    ]
    assert entries(official)[-1][0] == org_admin
    page = client.get(url)
    assert [str(m) for m in page.context["messages"]] == [
        "Rola została nadana.",
        "Rola została odebrana.",
    ]


def test_the_last_administrator_keeps_the_role(organisation, org_admin):
    client = web(org_admin)

    response = client.post(
        f"/organizacja/{organisation.pk}/czlonkowie/{org_admin.pk}/odbierz-role/",
        {"role": Role.ORG_ADMIN},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Organizacja zachowuje co najmniej jednego administratora: najpierw nadaj tę rolę "
        "komuś innemu."
    ]
    assert org_admin.roles_in(organisation.pk) == {Role.ORG_ADMIN}


def test_a_person_outside_the_organisation_is_not_found(organisation, org_admin):
    stranger = UserFactory()

    response = web(org_admin).post(
        f"/organizacja/{organisation.pk}/czlonkowie/{stranger.pk}/", {"role": Role.OFFICIAL}
    )

    assert response.status_code == 404
    assert stranger.roles_in(organisation.pk) == frozenset()


def test_deactivation_keeps_the_user_and_refuses_sign_in(organisation, org_admin, official):
    client = web(org_admin)
    url = f"/organizacja/{organisation.pk}/czlonkowie/{official.pk}/dezaktywuj/"

    response = client.post(url, follow=True)
    again = client.post(url, follow=True)
    self_ = client.post(
        f"/organizacja/{organisation.pk}/czlonkowie/{org_admin.pk}/dezaktywuj/", follow=True
    )

    official.refresh_from_db()
    assert official.is_active is False
    assert [str(m) for m in response.context["messages"]] == [
        "Konto zostało dezaktywowane; jego historia pozostaje."
    ]
    assert [str(m) for m in again.context["messages"]] == ["To konto jest już dezaktywowane."]
    assert [str(m) for m in self_.context["messages"]] == [
        "Nie możesz dezaktywować własnego konta."
    ]
    assert entries(official)[-1] == (
        org_admin,
        NOW,
        "user_deactivate",
        {"is_active": True, "organisation": organisation.pk},
        {"is_active": False, "organisation": organisation.pk},
    )
    signed_in = Client().post(
        "/accounts/login/", {"login": official.email, "password": "correct-horse-battery-staple"}
    )
    assert signed_in["Location"] == "/accounts/inactive/"
    assert "_auth_user_id" not in signed_in.wsgi_request.session


def test_someone_working_elsewhere_is_not_deactivated(organisation, org_admin, official):
    Membership.objects.create(user=official, organisation=OrganisationFactory(), role="finance")

    response = web(org_admin).post(
        f"/organizacja/{organisation.pk}/czlonkowie/{official.pk}/dezaktywuj/", follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Ta osoba pracuje także dla innej organizacji: zamiast tego odbierz jej role tutaj."
    ]
    official.refresh_from_db()
    assert official.is_active is True


# API ------------------------------------------------------------------------------


def test_api_lists_invites_gives_takes_and_deactivates(organisation, org_admin, official):
    client = api(org_admin)
    base = f"/api/v1/organisations/{organisation.pk}/members/"

    listed = client.get(base)
    invited = client.post(base, {"email": "ewa@example.org", "role": "evaluator"})
    new_id = invited.json()["id"]
    given = client.post(f"{base}{official.pk}/roles/", {"role": "finance"})
    taken = client.delete(f"{base}{official.pk}/roles/official/")
    deactivated = client.post(f"{base}{official.pk}/deactivate/")

    assert listed.json() == [
        {
            "id": org_admin.pk,
            "email": org_admin.email,
            "first_name": "Anna",
            "last_name": "Admin",
            "is_active": True,
            "roles": ["org_admin"],
        },
        {
            "id": official.pk,
            "email": official.email,
            "first_name": "Test",
            "last_name": official.last_name,
            "is_active": True,
            "roles": ["official"],
        },
    ]
    assert invited.status_code == 201
    assert invited.json() == {
        "id": new_id,
        "email": "ewa@example.org",
        "first_name": "",
        "last_name": "",
        "is_active": False,
        "roles": ["evaluator"],
    }
    assert given.json()["roles"] == ["finance", "official"]
    assert taken.status_code == 204
    assert deactivated.json()["is_active"] is False
    assert deactivated.json()["roles"] == ["finance"]


def test_api_refusals(organisation, org_admin, official):
    base = f"/api/v1/organisations/{organisation.pk}/members/"

    not_admin = api(official).get(base)
    bad = api(org_admin).post(base, {"email": "x", "role": "king"})
    last = api(org_admin).delete(f"{base}{org_admin.pk}/roles/org_admin/")
    other = OrganisationFactory()
    elsewhere = api(org_admin).get(f"/api/v1/organisations/{other.pk}/members/")

    assert not_admin.status_code == 403
    assert not_admin.json()["detail"] == "Tylko administrator organizacji może to zrobić."
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"email", "role"}
    assert last.status_code == 409
    assert last.json()["detail"].startswith("Organizacja zachowuje co najmniej jednego")
    assert elsewhere.status_code == 404


@pytest.mark.parametrize(
    "url", ["/organizacja/{pk}/czlonkowie/", "/api/v1/organisations/{pk}/members/"]
)
def test_the_members_list_does_a_constant_number_of_queries(organisation, org_admin, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client = web(User.objects.get(pk=org_admin.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(pk=organisation.pk)).status_code == 200
        return len(queries)

    small = count()
    for _ in range(10):
        user = UserFactory()
        Membership.objects.create(user=user, organisation=organisation, role=Role.OFFICIAL)
        Membership.objects.create(user=user, organisation=organisation, role=Role.FINANCE)
    assert count() == small
