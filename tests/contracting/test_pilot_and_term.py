"""Acceptance #16.3 (pilot first) and #16.4 (at most five years, as effective-dated data)."""

import datetime
from decimal import Decimal

import pytest

from contracting import services
from contracting.models import AgreementTermLimit, Pilot
from contracting.workflow import AgreementState, TaskState
from workflows.engine import history_for, transition_apply
from workflows.errors import GuardRefused, InvalidInput

from .support import POSITIVE, pilot_run

pytestmark = pytest.mark.django_db
D = Decimal
LEGAL = (
    "art. 16 ust. 2 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego "
    "i o wolontariacie"
)
BEFORE_PILOT = (
    "A multi-year agreement is concluded only after the pilot's positive evaluation, "
    "or when an official records why it may go ahead without one."
)


def draft(task, official, years=3, start_year=2027, number="UW/1/2026"):
    return services.agreement_create(
        actor=official,
        task=task,
        number=number,
        contractor_name=task.contractor_name,
        start_year=start_year,
        amounts=[D("30000.00")] * years,
    )


def conclude(agreement, official):
    return transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )


def test_refused_before_the_pilots_positive_evaluation_and_allowed_after(task, official):
    agreement = draft(task, official)
    with pytest.raises(GuardRefused) as refused:
        conclude(agreement, official)
    assert str(refused.value.message) == BEFORE_PILOT
    task = transition_apply(
        obj=task,
        name="start_pilot",
        actor=official,
        payload={
            "kind": "purchase",
            "reference": "ZP/7/2026",
            "starts_on": "2026-09-01",
            "ends_on": "2026-11-15",
            "planned_units": "100",
            "planned_cost_per_unit": "100",
        },
    )
    with pytest.raises(GuardRefused):
        conclude(agreement, official)
    task = transition_apply(obj=task, name="evaluate_pilot", actor=official, payload=POSITIVE)
    assert task.state == TaskState.READY
    pilot = Pilot.objects.get(task=task)
    assert (pilot.positive, pilot.cost_per_unit, pilot.findings) == (True, D("105.00"), [])
    agreement = conclude(agreement, official)
    assert agreement.state == AgreementState.SIGNED


def test_a_negative_pilot_blocks_until_an_official_records_why(task, official):
    task = pilot_run(
        task,
        official,
        {
            "indicators": "standard: 80\nretention: 85",
            "satisfaction": "3.50",
            "actual_units": "100",
            "actual_cost": "12000.00",
        },
    )
    assert task.state == TaskState.PILOT_NEGATIVE
    assert Pilot.objects.get(task=task).findings == [
        "Indicator “Compliance with the standard (%)”: 80, target 90.",
        "Satisfaction 3.50 is below 4.00.",
        "Cost per unit 120.00 exceeds the plan 100.00 by more than allowed (110.00).",
    ]
    agreement = draft(task, official)
    with pytest.raises(GuardRefused) as refused:
        conclude(agreement, official)
    assert "evaluated negatively" in str(refused.value.message)
    with pytest.raises(InvalidInput) as short:
        transition_apply(
            obj=task, name="override_pilot", actor=official, payload={"justification": "too short"}
        )
    assert list(short.value.field_errors) == ["justification"]
    reason = "Jedyny wykonawca w gminie; uwagi z pilotażu wpisane do standardu usługi."
    task = transition_apply(
        obj=task, name="override_pilot", actor=official, payload={"justification": reason}
    )
    assert (task.state, task.pilot_override_reason) == (TaskState.READY, reason)
    last = history_for(task).last()
    assert (last.transition, last.by, last.payload.data) == (
        "override_pilot",
        official,
        {"justification": reason},
    )
    assert conclude(agreement, official).state == AgreementState.SIGNED


def test_six_years_are_refused_with_the_legal_reason(task, official):
    with pytest.raises(InvalidInput) as refused:
        draft(task, official, years=6)
    assert refused.value.field_errors == {
        "years": [
            f"An agreement on a public task may run for at most 5 years ({LEGAL}); "
            "6 years were asked for."
        ]
    }
    assert draft(task, official, years=5).schedule.count() == 5


def test_the_maximum_is_the_one_in_force_when_the_agreement_starts(task, official):
    AgreementTermLimit.objects.create(
        valid_from=datetime.date(2028, 1, 1), max_years=3, legal_basis="nowy przepis"
    )
    assert draft(task, official, years=4, start_year=2027).years == 4
    with pytest.raises(InvalidInput) as refused:
        draft(task, official, years=4, start_year=2028, number="UW/2/2026")
    assert refused.value.field_errors["years"] == [
        "An agreement on a public task may run for at most 3 years (nowy przepis); "
        "4 years were asked for."
    ]


def test_the_schedule_has_a_year_each_with_its_deadline_and_tranches(task, official):
    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/3/2026",
        contractor_name="X",
        start_year=2027,
        amounts=[D("10000.01"), D("20000.00")],
        tranches_per_year=2,
    )
    rows = [
        (r.year, r.amount, r.spending_deadline, [(t.amount, t.due_date) for t in r.tranches.all()])
        for r in agreement.schedule.all()
    ]
    assert rows == [
        (
            2027,
            D("10000.01"),
            datetime.date(2027, 12, 31),
            [(D("5000.01"), datetime.date(2027, 1, 31)), (D("5000.00"), datetime.date(2027, 7, 1))],
        ),
        (
            2028,
            D("20000.00"),
            datetime.date(2028, 12, 31),
            [
                (D("10000.00"), datetime.date(2028, 1, 31)),
                (D("10000.00"), datetime.date(2028, 7, 1)),
            ],
        ),
    ]
