"""Acceptance #15.3: an informal group cannot submit before the call's minimum of adult
members confirm by their own e-mail links, and a minor takes part only with a parent's
or guardian's consent; members may withdraw; bad links give a clear page."""

import datetime

import pytest
from django.test import Client

from grants import services
from grants.models import MemberConsent
from grants.rules import group_problem
from notifications.models import Notification
from tests.conftest import NOW
from tests.factories import UserFactory
from tests.grants.conftest import api
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import Conflict, GuardRefused, NotPermitted

MINOR = {
    "full_name": "Jaś Młody",
    "email": "jas@example.org",
    "is_leader": False,
    "declares_adult_resident": False,
    "consents_to_processing": True,
    "is_minor": True,
    "guardian_name": "Ewa Młoda",
    "guardian_email": "ewa@example.org",
}


def group_draft(world, *, minor=True):
    """An informal group's draft to a call that asks members to confirm: three adults
    (czlonek1..3, the first the leader) and, with ``minor``, a minor with a guardian."""
    call = world.make_call(code="FS2", members_confirm_by_link=True)
    application = world.draft(call=call)
    members = [
        {
            "full_name": f"Członek {i}",
            "email": f"czlonek{i}@example.org",
            "is_leader": i == 1,
            "declares_adult_resident": True,
            "consents_to_processing": True,
        }
        for i in (1, 2, 3)
    ]
    if minor:
        members.append(dict(MINOR))
    return services.application_save_draft(
        application=application, actor=application.applicant, members=members
    )


def links(application) -> dict[str, str]:
    """e-mail -> the consent link sent to it."""
    rows = Notification.objects.filter(kind="grants.group_consent").order_by("pk")
    return {n.email: n.url for n in rows}


def submit(application):
    return transition_apply(obj=application, name="submit", actor=application.applicant)


@pytest.fixture
def group(world):
    application = group_draft(world)
    sent = services.group_consents_request(application=application, actor=application.applicant)
    assert sent == 4
    return application


def test_a_group_cannot_submit_before_three_adults_confirm_and_the_minors_guardian(group, world):
    anonymous = Client()
    sent = links(group)
    assert sorted(sent) == [
        "czlonek1@example.org",
        "czlonek2@example.org",
        "czlonek3@example.org",
        "ewa@example.org",
    ]
    with pytest.raises(GuardRefused) as refused:
        submit(group)
    assert str(refused.value.message) == (
        "Co najmniej 3 pełnoletnich członków musi potwierdzić członkostwo przez swoje "
        "linki e-mail; potwierdziło 0."
    )
    for email in ("czlonek1@example.org", "czlonek2@example.org"):
        response = anonymous.post(sent[email], {"action": "give"})
        assert response.status_code == 302
    with pytest.raises(GuardRefused) as refused:
        submit(group)
    assert str(refused.value.message).endswith("potwierdziło 2.")

    anonymous.post(sent["czlonek3@example.org"], {"action": "give"})
    with pytest.raises(GuardRefused) as refused:
        submit(group)
    assert str(refused.value.message) == (
        "Osoba niepełnoletnia bierze udział tylko za zgodą rodzica lub opiekuna, jeszcze "
        "niewyrażoną dla: Jaś Młody."
    )

    page = anonymous.get(sent["ewa@example.org"])
    assert page.status_code == 200
    assert "Jaś Młody" in page.content.decode()
    anonymous.post(sent["ewa@example.org"], {"action": "give"})
    guardian = MemberConsent.objects.get(party=MemberConsent.Party.GUARDIAN)
    assert (guardian.member_email, guardian.signer_name, guardian.signer_email) == (
        "jas@example.org",
        "Ewa Młoda",
        "ewa@example.org",
    )
    assert submit(group).state == "submitted"


def test_consents_survive_saving_the_draft_and_a_withdrawal_blocks_again(group, world, clock):
    anonymous = Client()
    sent = links(group)
    for email in ("czlonek1@example.org", "czlonek2@example.org", "czlonek3@example.org"):
        anonymous.post(sent[email], {"action": "give"})
    anonymous.post(sent["ewa@example.org"], {"action": "give"})
    members = [
        {k: getattr(m, k) for k in ("full_name", "email", "is_leader", "is_minor")}
        | {
            "declares_adult_resident": m.declares_adult_resident,
            "consents_to_processing": True,
            "guardian_name": m.guardian_name,
            "guardian_email": m.guardian_email,
        }
        for m in group.members.all()
    ]
    services.application_save_draft(application=group, actor=group.applicant, members=members)
    assert services.application_rule_errors(group) == {}
    assert group_problem(group) is None

    response = anonymous.post(sent["czlonek2@example.org"], {"action": "withdraw"})
    assert response.status_code == 302
    consent = MemberConsent.objects.get(member_email="czlonek2@example.org")
    assert consent.withdrawn_at is not None
    assert [e.action for e in audit_entries_for(consent)] == [
        "member_consent_given",
        "member_consent_withdrawn",
    ]
    told = Notification.objects.get(email=group.applicant.email, kind="grants.group_consent")
    assert told.subject == f"Członek grupy wycofał zgodę: {group}"
    with pytest.raises(GuardRefused) as refused:
        submit(group)
    assert str(refused.value.message).endswith("potwierdziło 2.")
    page = anonymous.get(sent["czlonek2@example.org"])
    assert "Zgodę wycofano" in page.content.decode()


def test_a_minor_names_a_guardian(world):
    application = group_draft(world, minor=False)
    services.application_save_draft(
        application=application,
        actor=application.applicant,
        members=[
            {
                "full_name": f"Członek {i}",
                "email": f"czlonek{i}@example.org",
                "is_leader": i == 1,
                "declares_adult_resident": True,
                "consents_to_processing": True,
            }
            for i in (1, 2, 3)
        ]
        + [dict(MINOR, guardian_email="", guardian_name="")],
    )
    errors = services.application_rule_errors(application)
    assert errors["members[3]"] == [
        "Podaj imię i nazwisko rodzica lub opiekuna osoby niepełnoletniej oraz jego e-mail."
    ]


def test_only_the_leader_sends_links_and_only_while_writing(group, world):
    with pytest.raises(NotPermitted):
        services.group_consents_request(application=group, actor=world.official)
    # nothing new was sent to those who confirmed
    anonymous = Client()
    anonymous.post(links(group)["czlonek2@example.org"], {"action": "give"})
    Notification.objects.all().delete()
    assert services.group_consents_request(application=group, actor=group.applicant) == 3


def test_a_broken_or_expired_link_shows_a_page_not_an_error(group, clock):
    anonymous = Client()
    url = links(group)["czlonek2@example.org"]
    broken = anonymous.get(url[:-3] + "xyz/")
    assert broken.status_code == 404
    assert "Link jest nieprawidłowy" in broken.content.decode()
    assert anonymous.post("/granty/grupa/zgoda/nonsense/", {"action": "give"}).status_code == 404
    clock.move_to(NOW + datetime.timedelta(days=31))
    expired = anonymous.get(url)
    assert expired.status_code == 410
    assert "Link wygasł" in expired.content.decode()


def test_after_submission_consent_cannot_be_given_but_can_be_withdrawn(group):
    anonymous = Client()
    sent = links(group)
    for email in sent:
        anonymous.post(sent[email], {"action": "give"})
    submit(group)
    with pytest.raises(Conflict):
        services.group_consent_give(token=sent["czlonek1@example.org"].split("/")[-2])
    refused = anonymous.post(sent["czlonek1@example.org"], {"action": "give"})
    assert refused.status_code == 409
    assert "nie można już wyrazić zgody" in refused.content.decode()
    nonsense = anonymous.post(sent["czlonek1@example.org"], {"action": "other"})
    assert nonsense.status_code == 409
    assert anonymous.post(sent["czlonek1@example.org"], {"action": "withdraw"}).status_code == 302


def test_the_leaders_group_page(group, world):
    leader = Client()
    leader.force_login(group.applicant)
    page = leader.get(f"/granty/wnioski/{group.pk}/grupa/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "potwierdziło 0." in text
    assert "Ewa Młoda" in text
    Notification.objects.all().delete()
    sent = leader.post(f"/granty/wnioski/{group.pk}/grupa/", {"action": "links"})
    assert sent.status_code == 302
    assert Notification.objects.filter(kind="grants.group_consent").count() == 4
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(f"/granty/wnioski/{group.pk}/grupa/").status_code == 404


def test_the_api_sends_the_links_and_shows_a_minors_guardian(world):
    application = group_draft(world)
    url = f"/api/v1/grant-applications/{application.pk}/group-consents/"
    assert api(world.official).post(url, {}, format="json").status_code == 404
    response = api(world.resident).post(url, {}, format="json")
    assert (response.status_code, response.json()) == (200, {"links_sent": 4})
    detail = api(world.resident).get(f"/api/v1/grant-applications/{application.pk}/").json()
    minor = next(m for m in detail["members"] if m["is_minor"])
    assert (minor["guardian_name"], minor["guardian_email"]) == ("Ewa Młoda", "ewa@example.org")
