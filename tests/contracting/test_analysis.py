"""Acceptance #16.1: an efficiency analysis of three options, against a hand
computation (the formula is in contracting/scoring.py)."""

from decimal import Decimal

import pytest

from accounts.models import Role
from contracting import services
from contracting.models import EfficiencyAnalysis
from contracting.workflow import AnalysisState
from documents.models import Document
from tests.factories import UserFactory
from tests.grants.test_document_snapshot import compact_text
from workflows.engine import transition_apply
from workflows.errors import InvalidInput, NotPermitted

from .conftest import THREE_OPTIONS, WEIGHTS

pytestmark = pytest.mark.django_db
D = Decimal


def analysis_of(task, official):
    return services.analysis_create(
        task=task,
        actor=official,
        weights=WEIGHTS,
        volunteer_rate=D("40.00"),
        options=THREE_OPTIONS,
    )


def test_three_options_give_the_hand_computed_figures(task, official):
    """By hand: cost per unit 120, 100, 100 (cheapest 100): cost scores 83.33, 100, 100.
    Social parts against the best (400 h, 10 000 zł, 4 partners) and participation:
    (0+0+0+10)/4 = 2.50; (25+50+25+20)/4 = 30.00; (100+100+100+50)/4 = 87.50. Risk
    2, 3, 2: 75, 50, 75. Weighted (50, 30, 20): (4166.5+75+1500)/100 = 57.415 -> 57.42;
    (5000+900+1000)/100 = 69.00; (5000+2625+1500)/100 = 91.25."""
    analysis = analysis_of(task, official)
    rows = list(
        analysis.options.values_list(
            "position",
            "total_cost",
            "cost_per_unit",
            "cost_per_beneficiary",
            "social_value",
            "cost_score",
            "social_score",
            "risk_score",
            "weighted_score",
        )
    )
    assert rows == [
        (
            1,
            D("360000.00"),
            D("120.00"),
            D("1200.00"),
            D("0.00"),
            D("83.33"),
            D("2.50"),
            D("75.00"),
            D("57.42"),
        ),
        (
            2,
            D("300000.00"),
            D("100.00"),
            D("1250.00"),
            D("9000.00"),
            D("100.00"),
            D("30.00"),
            D("50.00"),
            D("69.00"),
        ),
        (
            3,
            D("270000.00"),
            D("100.00"),
            D("750.00"),
            D("26000.00"),
            D("100.00"),
            D("87.50"),
            D("75.00"),
            D("91.25"),
        ),
    ]


def test_decision_renders_the_note_with_the_figures(
    task, official, django_capture_on_commit_callbacks
):
    analysis = analysis_of(task, official)
    with django_capture_on_commit_callbacks(execute=True):
        analysis = transition_apply(
            obj=analysis,
            name="decide",
            actor=official,
            payload={"option": "3", "justification": "Najwyższy wynik i najniższy koszt."},
        )
    assert analysis.state == AnalysisState.DECIDED
    assert analysis.chosen.position == 3
    [note] = Document.objects.filter(kind="decision-note", object_id=analysis.pk)
    assert note.title == "Notatka decyzyjna – analiza efektywności"
    compact = compact_text(note)
    for figure in ("91,25", "57,42", "69,00", "120,00zł", "270000,00zł"):
        assert figure in compact
    assert "Wybranoformęnr3" in compact


def test_a_choice_outside_the_table_is_refused_and_nothing_changes(task, official):
    analysis = analysis_of(task, official)
    with pytest.raises(InvalidInput) as refused:
        transition_apply(
            obj=analysis,
            name="decide",
            actor=official,
            payload={"option": "4", "justification": "x"},
        )
    assert refused.value.field_errors == {"option": ["There is no option with this number."]}
    analysis.refresh_from_db()
    assert (analysis.state, analysis.chosen_id) == (AnalysisState.DRAFT, None)


def test_only_an_official_of_the_organisation_analyses(task):
    with pytest.raises(NotPermitted):
        services.analysis_create(
            task=task,
            actor=UserFactory(),
            weights=WEIGHTS,
            volunteer_rate=D("40"),
            options=THREE_OPTIONS,
        )
    assert EfficiencyAnalysis.objects.count() == 0


def test_weights_of_zero_are_refused(task, official):
    with pytest.raises(InvalidInput) as refused:
        services.analysis_create(
            task=task,
            actor=official,
            volunteer_rate=D("40"),
            options=THREE_OPTIONS,
            weights={"weight_cost": D(0), "weight_social": D(0), "weight_risk": D(0)},
        )
    assert refused.value.field_errors == {
        "weight_cost": ["The weights must add up to more than zero."]
    }


def test_the_later_evaluation_compares_plan_and_report(task, official):
    from contracting.selectors import evaluation_comparison

    analysis = analysis_of(task, official)
    analysis = transition_apply(
        obj=analysis,
        name="decide",
        actor=official,
        payload={"option": "3", "justification": "Najlepszy wynik."},
    )
    services.analysis_evaluate(
        analysis=analysis,
        actor=official,
        reported_yearly_cost=D("94500.00"),
        reported_units=D("900"),
        reported_beneficiaries=105,
    )
    [comparison] = evaluation_comparison(analysis)
    assert [
        (r["name"], r["planned"], r["reported"], r["difference"]) for r in comparison["rows"]
    ] == [
        ("yearly_cost", D("90000.00"), D("94500.00"), D("4500.00")),
        ("cost_per_unit", D("100.00"), D("105.00"), D("5.00")),
        ("cost_per_beneficiary", D("750.00"), D("900.00"), D("150.00")),
    ]


def test_the_decided_analysis_is_linked_to_the_purchase_that_follows(task, official, organisation):
    from tests.factories import OrganisationFactory
    from tests.purchases.factories import GroupFactory, purchase_draft, user_with
    from workflows.audit import audit_entries_for

    analysis = analysis_of(task, official)
    purchase = purchase_draft(
        organisation=organisation, official=official, group=GroupFactory(organisation=organisation)
    )
    analysis = services.analysis_link(analysis=analysis, actor=official, purchase=purchase)
    assert (analysis.purchase, analysis.call, analysis.grant_agreement) == (purchase, None, None)
    entry = audit_entries_for(analysis).get(action="analysis_link")
    assert (entry.before, entry.after) == (
        {"call": None, "purchase": None, "grant_agreement": None},
        {"call": None, "purchase": purchase.pk, "grant_agreement": None},
    )
    other = OrganisationFactory()
    foreign = purchase_draft(
        organisation=other,
        official=user_with(other, Role.OFFICIAL),
        group=GroupFactory(organisation=other),
    )
    with pytest.raises(InvalidInput) as refused:
        services.analysis_link(analysis=analysis, actor=official, purchase=foreign)
    assert str(refused.value.message) == "Link only what belongs to the same organisation."
    analysis.refresh_from_db()
    assert analysis.purchase == purchase
