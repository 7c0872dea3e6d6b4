"""What the grant pages show and link to: only what the reader may open, results only
once announced, drafts only to their applicant, no natural person's name in public."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import membership_grant
from grants import services
from grants.models import Application, Call
from tests.factories import OrganisationFactory
from workflows.engine import transition_apply

from .conftest import api

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# Links --------------------------------------------------------------------------------


def test_an_evaluator_of_another_municipality_sees_no_link_to_the_agreement(world):
    agreement = world.agreement_in_implementation()
    evaluator = world.evaluators[0]
    membership_grant(user=evaluator, organisation=OrganisationFactory(), role=Role.OFFICIAL)
    link = f'href="/granty/umowy/{agreement.pk}/"'
    application_url = f"/granty/wnioski/{agreement.application_id}/"

    evaluator_page = client_for(evaluator).get(application_url)
    grantee_page = client_for(world.resident).get(application_url)

    assert evaluator_page.status_code == 200
    assert link not in evaluator_page.content.decode()
    assert client_for(evaluator).get(f"/granty/umowy/{agreement.pk}/").status_code == 404
    assert grantee_page.status_code == 200
    assert link in grantee_page.content.decode()
    assert client_for(world.resident).get(f"/granty/umowy/{agreement.pk}/").status_code == 200


def test_the_report_link_is_shown_only_when_the_report_page_opens(world):
    agreement = world.agreement_in_implementation()
    url = f"/granty/umowy/{agreement.pk}/"
    link = f'href="/granty/umowy/{agreement.pk}/sprawozdanie/"'
    official, grantee = client_for(world.official), client_for(world.resident)

    assert link not in official.get(url).content.decode()
    assert official.get(f"{url}sprawozdanie/").status_code == 404
    assert link in grantee.get(url).content.decode()
    assert grantee.get(f"{url}sprawozdanie/").status_code == 200

    services.report_save(agreement=agreement, actor=world.resident, narrative="Zaczynamy.")

    assert link in official.get(url).content.decode()
    assert official.get(f"{url}sprawozdanie/").status_code == 200


# Results --------------------------------------------------------------------------------


def test_results_are_public_only_once_announced(world, frozen_now):
    application = transition_apply(
        obj=world.evaluated(),
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "J"},
    )
    call = world.call
    results = f"/granty/nabory/{call.pk}/wyniki/"
    anonymous = client_for()

    assert (call.state, application.state) == ("published", "approved")
    assert anonymous.get(results).status_code == 404
    assert results not in anonymous.get(f"/granty/nabory/{call.pk}/").content.decode()

    frozen_now.shift(datetime.timedelta(days=11))
    call = transition_apply(obj=call, name="start_evaluation", actor=world.official)
    assert anonymous.get(results).status_code == 404

    call = transition_apply(obj=call, name="announce_results", actor=world.official)
    page = anonymous.get(results)

    assert page.status_code == 200
    assert [(a.title, a.approved_amount) for a in page.context["funded"]] == [
        ("Ogród społeczny na Zielonej", Decimal("3000.00"))
    ]
    assert "Ogród społeczny na Zielonej" in page.content.decode()
    assert results in anonymous.get(f"/granty/nabory/{call.pk}/").content.decode()


def test_public_results_name_an_organisation_never_a_natural_person(world, frozen_now):
    kinds = {"ngo": "Stowarzyszenie Zielona Ulica", "resident": "Jan Kowalski"}
    for kind, name in kinds.items():
        application = transition_apply(
            obj=world.evaluated(),
            name="approve",
            actor=world.official,
            payload={"amount": "1000.00", "justification": "J"},
        )
        Application.objects.filter(pk=application.pk).update(kind=kind, applicant_name=name)
    frozen_now.shift(datetime.timedelta(days=11))
    call = transition_apply(obj=world.call, name="start_evaluation", actor=world.official)
    call = transition_apply(obj=call, name="announce_results", actor=world.official)

    page = client_for().get(f"/granty/nabory/{call.pk}/wyniki/").content.decode()

    assert "Stowarzyszenie Zielona Ulica" in page
    assert "Jan Kowalski" not in page
    assert "mieszkaniec (osoba fizyczna)" in page


# Drafts -------------------------------------------------------------------------------


def test_a_draft_is_the_applicants_own_in_pages_and_api(world):
    draft = world.draft()
    submitted = world.submitted(applicant=world.member(Role.EVALUATOR))

    for user in (world.official, world.finance):
        assert client_for(user).get(f"/granty/wnioski/{draft.pk}/").status_code == 404
        assert client_for(user).get(f"/granty/wnioski/{submitted.pk}/").status_code == 200
        assert api(user).get(f"/api/v1/grant-applications/{draft.pk}/").status_code == 404
        listed = api(user).get("/api/v1/grant-applications/").json()["results"]
        assert [row["id"] for row in listed] == [submitted.pk]
        assert api(user).get(f"/api/v1/grant-applications/{draft.pk}/history/").status_code == 404

    assert client_for(world.resident).get(f"/granty/wnioski/{draft.pk}/").status_code == 200
    assert api(world.resident).get(f"/api/v1/grant-applications/{draft.pk}/").status_code == 200
    listed = api(world.resident).get("/api/v1/grant-applications/").json()["results"]
    assert [row["id"] for row in listed] == [draft.pk]


# Art. 19a offers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "shown", "hidden"),
    [
        ("ngo", "Stowarzyszenie Zielona Ulica", "Stowarzyszenie Zielona Ulica", None),
        ("resident", "Jan Kowalski", "mieszkaniec (osoba fizyczna)", "Jan Kowalski"),
        ("informal_group", "Grupa Anny Nowak", "grupa nieformalna", "Grupa Anny Nowak"),
    ],
)
def test_the_public_19a_pages_name_only_an_organisation(world, kind, name, shown, hidden):
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )
    Application.objects.filter(pk=offer.pk).update(kind=kind, applicant_name=name)

    pages = [
        client_for().get("/granty/oferty/").content.decode(),
        client_for().get(f"/granty/oferty/{offer.pk}/").content.decode(),
    ]

    for page in pages:
        assert "Ogród społeczny na Zielonej" in page
        assert shown in page
        if hidden:
            assert hidden not in page
