"""Acceptance #16: a municipality's own copy of a model replaces the default for it
alone; a yearly review that ends the agreement; an efficiency analysis linked to the
call and the grant agreement that follow it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation
from django_fsm_log.models import StateLog

from accounts.models import Role
from accounts.services import membership_grant
from contracting import selectors, services
from contracting.models import ContractingModel, Task, YearReview
from contracting.selectors import forecast
from contracting.workflow import AgreementState
from grants import services as grant_services
from grants.models import Call
from tests.clients import web
from tests.factories import OrganisationFactory, UserFactory
from tests.finance.budget_support import classification, plan
from tests.grants.conftest import GrantWorld, small_grant_limits_ensure
from tests.grants.groups_support import approved_agreement
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import Conflict, InvalidInput
from workflows.models import TransitionPayload

from .conftest import THREE_OPTIONS, WEIGHTS
from .support import pilot_run
from .test_lifecycle import CODE, at, committed, pay_year, report_and_review, year_of
from .test_pages import task_form

pytestmark = pytest.mark.django_db
D = Decimal


def own_quality(organisation):
    """The municipality's edited copy of the Quality model (presets are data)."""
    default = ContractingModel.objects.get(organisation=None, code="quality")
    return ContractingModel.objects.create(
        organisation=organisation,
        code="quality",
        name_pl="Jakość (Próbne)",
        name_en="Quality (Próbne)",
        description_pl="Standard usług opiekuńczych miasta.",
        steps=[
            {"pl": "Standard usług opiekuńczych", "en": "Care service standard"},
            {"pl": "Pilotaż", "en": "Pilot"},
        ],
        documents=[{"pl": "Standard miejski", "en": "The city's standard"}],
        indicators=[
            {
                "code": "punctual",
                "pl": "Wizyty na czas (%)",
                "en": "Visits on time (%)",
                "unit": "%",
                "target": "97",
            },
        ],
        weight_cost=D("40"),
        weight_social=D("40"),
        weight_risk=D("20"),
        position=default.position,
    )


def model_choices(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="model" value="(\d+)"', page)


def test_a_municipalitys_own_model_replaces_the_default_for_it_alone(
    official, organisation, quality, area
):
    mine = own_quality(organisation)
    other = OrganisationFactory()
    neighbour = UserFactory()
    membership_grant(user=neighbour, organisation=other, role=Role.OFFICIAL)

    assert [(m.code, m.organisation_id) for m in selectors.models_for(organisation.pk)] == [
        ("quality", organisation.pk),
        ("efficiency", None),
        ("cooperation", None),
    ]
    assert [(m.code, m.organisation_id) for m in selectors.models_for(other.pk)] == [
        ("quality", None),
        ("efficiency", None),
        ("cooperation", None),
    ]
    form = web(official).get("/kontraktowanie/zadania/nowe/").content.decode()
    assert model_choices(form) == [str(m.pk) for m in selectors.models_for(organisation.pk)]
    assert str(mine.pk) in model_choices(form) and str(quality.pk) not in model_choices(form)

    # The municipality plans under its copy and reads the copy's steps and indicators.
    client = web(official)
    refused = client.post("/kontraktowanie/zadania/nowe/", task_form(quality, area))
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["model"]
    planned = client.post("/kontraktowanie/zadania/nowe/", task_form(mine, area))
    task = Task.objects.get(organisation=organisation)
    assert (planned["Location"], task.model) == (f"/kontraktowanie/zadania/{task.pk}/", mine)
    page = client.get(planned["Location"]).content.decode()
    assert "Model: Jakość (Próbne)" in page
    assert "<li>Standard usług opiekuńczych</li><li>Pilotaż</li>" in page
    assert "<td>punctual</td><td>Wizyty na czas (%)</td><td>97</td>" in page
    assert "Karta wskaźników jakości" not in page  # the default's document
    # A pilot is evaluated on the copy's indicators, not the default's.
    with translation.override("pl"), pytest.raises(InvalidInput) as wrong:
        pilot_run(task, official)
    assert str(wrong.value.field_errors["indicators"][0]) == (
        "Wiersz 1: wpisz kod jednego ze wskaźników modelu (punctual), dwukropek i liczbę."
    )

    # The neighbouring municipality still plans under the default.
    other_client = web(neighbour)
    other_form = other_client.get("/kontraktowanie/zadania/nowe/").content.decode()
    assert str(quality.pk) in model_choices(other_form)
    assert str(mine.pk) not in model_choices(other_form)
    other_client.post("/kontraktowanie/zadania/nowe/", task_form(quality, area))
    theirs = Task.objects.get(organisation=other)
    assert theirs.model == quality
    other_page = other_client.get(f"/kontraktowanie/zadania/{theirs.pk}/").content.decode()
    assert "Karta wskaźników jakości" in other_page
    assert "Wizyty na czas" not in other_page
    with translation.override("pl"), pytest.raises(InvalidInput) as foreign:
        services.task_create(
            actor=neighbour,
            organisation=other,
            **{**task_form(mine, area), "model": mine, "area": area, "years": 3},
        )
    assert str(foreign.value.field_errors["model"][0]) == "Wybierz jeden ze swoich modeli."


def test_a_yearly_review_that_terminates_ends_the_agreement_and_its_later_commitments(
    task, official, finance_user, organisation, clock
):
    lines = {year: classification(CODE, year) for year in (2027, 2028, 2029)}
    for line in lines.values():
        plan(organisation, line, "100000.00", finance_user)
    task = pilot_run(task, official)
    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/9/2026",
        contractor_name=task.contractor_name,
        start_year=2027,
        amounts=[D("90000.00")] * 3,
        classification=lines[2027],
    )
    agreement = transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )
    agreement = transition_apply(obj=agreement, name="start", actor=official)
    at(clock, 2028, 1, 15)
    pay_year(agreement, 2027, official)

    review = report_and_review(
        agreement,
        2027,
        official,
        "90000.00",
        YearReview.Decision.TERMINATE,
        note="Standard nie jest dotrzymywany.",
    )

    agreement.refresh_from_db()
    assert (review.decision, agreement.state) == (
        YearReview.Decision.TERMINATE,
        AgreementState.TERMINATED,
    )
    assert audit_entries_for(agreement).order_by("pk").last().action == "year_review"
    log = StateLog.objects.for_(agreement).order_by("pk").last()
    assert (log.transition, log.source_state, log.state, log.by) == (
        "terminate",
        AgreementState.IN_IMPLEMENTATION,
        AgreementState.TERMINATED,
        official,
    )
    assert TransitionPayload.objects.get(log=log).data == {
        "justification": "Standard nie jest dotrzymywany."
    }
    # The years not yet begun are no longer committed against the budget.
    assert forecast(organisation_id=organisation.pk, from_year=2028) == {}
    assert [committed(organisation, lines[y]).committed for y in (2028, 2029)] == [
        D("0.00"),
        D("0.00"),
    ]
    # Nothing more is reviewed, paid or annexed on a terminated agreement.
    with translation.override("pl"), pytest.raises(Conflict) as again:
        services.year_review_record(
            row=year_of(agreement, 2028), actor=official, decision=YearReview.Decision.CONTINUE
        )
    assert str(again.value.message) == (
        "Można to zrobić tylko wtedy, gdy umowa jest podpisana lub w realizacji."
    )


def _grant_call(organisation, official, code="EF1"):
    now = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
    call = grant_services.call_create(
        organisation=organisation,
        actor=official,
        procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
        code=code,
        title="Opieka sąsiedzka",
        year=2027,
        pool=D("10000.00"),
        min_grant=D("500.00"),
        max_grant=D("5000.00"),
        min_own_share=D("0.10"),
        min_own_money_share=D("0"),
        max_duration_days=60,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        score_gap=D("10"),
        min_average_score=D("10"),
        criteria=[{"name": "Wartość", "max_points": 10}],
        cost_categories=[{"name": "Materiały"}],
        checklist=["Wniosek kompletny"],
    )
    return call


def decided_analysis(world, quality, area):
    """An analysis of the grant world's municipality, decided for option 3."""
    task = services.task_create(
        actor=world.official,
        organisation=world.organisation,
        title="Opieka sąsiedzka",
        beneficiaries="seniorzy",
        unit="godzina usługi",
        units_per_year=D("1000"),
        beneficiaries_per_year=100,
        years=3,
        area=area,
        model=quality,
        contractor_name="",
    )
    analysis = services.analysis_create(
        task=task,
        actor=world.official,
        weights=WEIGHTS,
        volunteer_rate=D("40.00"),
        options=THREE_OPTIONS,
    )
    return transition_apply(
        obj=analysis,
        name="decide",
        actor=world.official,
        payload={"option": "3", "justification": "Konkurs wieloletni."},
    )


def test_the_decided_analysis_is_linked_to_the_call_and_the_grant_agreement_that_follow(
    quality, area
):
    small_grant_limits_ensure()
    world = GrantWorld()
    analysis = decided_analysis(world, quality, area)
    application = transition_apply(obj=world.draft(), name="submit", actor=world.resident)
    agreement = approved_agreement(world, application)

    analysis = services.analysis_link(
        analysis=analysis, actor=world.official, call=world.call, grant_agreement=agreement
    )
    assert (analysis.call, analysis.purchase, analysis.grant_agreement) == (
        world.call,
        None,
        agreement,
    )
    entry = audit_entries_for(analysis).get(action="analysis_link")
    assert (entry.actor, entry.before, entry.after) == (
        world.official,
        {"call": None, "purchase": None, "grant_agreement": None},
        {"call": world.call.pk, "purchase": None, "grant_agreement": agreement.pk},
    )
    other = OrganisationFactory()
    stranger = UserFactory()
    membership_grant(user=stranger, organisation=other, role=Role.OFFICIAL)
    foreign = _grant_call(other, stranger, code="EF2")
    with translation.override("pl"), pytest.raises(InvalidInput) as refused:
        services.analysis_link(
            analysis=analysis, actor=world.official, call=foreign, grant_agreement=agreement
        )
    assert str(refused.value.message) == "Powiąż tylko to, co należy do tej samej organizacji."
    analysis.refresh_from_db()
    assert (analysis.call, analysis.grant_agreement) == (world.call, agreement)


def test_the_official_links_what_follows_on_the_analysis_page(quality, area):
    small_grant_limits_ensure()
    world = GrantWorld()
    analysis = decided_analysis(world, quality, area)
    other = OrganisationFactory()
    stranger = UserFactory()
    membership_grant(user=stranger, organisation=other, role=Role.OFFICIAL)
    foreign = _grant_call(other, stranger, code="EF3")
    page = f"/kontraktowanie/analizy/{analysis.pk}/"
    url = f"{page}powiazania/"
    official = web(world.official)
    assert "Jeszcze nie powiązano." in official.get(page).content.decode()

    refused = official.post(url, {"call": str(foreign.pk), "purchase": "", "grant_agreement": ""})
    missing = official.post(url, {"call": "999999", "purchase": "x", "grant_agreement": ""})
    saved = official.post(url, {"call": str(world.call.pk), "purchase": "", "grant_agreement": ""})

    choose = "Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."
    assert refused.status_code == missing.status_code == 200
    assert refused.context["form"].errors == {"call": [choose]}
    assert missing.context["form"].errors == {"call": [choose], "purchase": [choose]}
    assert (saved.status_code, saved.url) == (302, page)
    analysis.refresh_from_db()
    assert (analysis.call, analysis.purchase, analysis.grant_agreement) == (world.call, None, None)
    shown = official.get(page).content.decode()
    assert f'<a href="{world.call.get_absolute_url()}">{world.call}</a>' in shown
    # The form starts from the links saved, so saving it again keeps them.
    form = official.get(url).context["form"]
    assert form["call"].value() == world.call.pk
    assert web(world.resident).get(url).status_code == 403
