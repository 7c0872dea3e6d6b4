"""Acceptance #16.2: a three-year agreement from conclusion to closing, with each
year's commitment in the budget, a review each year, an annex raising the third year
and the second year's unused money returned late, with interest (art. 251 u.f.p.)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from contracting import services
from contracting.models import Annex, YearReview
from contracting.selectors import forecast
from contracting.workflow import AgreementState
from finance.services.budget import figures_by_line, year_summary
from tests.finance.budget_support import classification, plan
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import GuardRefused

from .support import pilot_run

pytestmark = pytest.mark.django_db
D = Decimal
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
CODE = "852-85228-2360"


def at(clock, year, month, day):
    clock.move_to(datetime.datetime(year, month, day, 10, 0, tzinfo=WARSAW))


def committed(organisation, line):
    figures = figures_by_line(organisation_ids=[organisation.pk], year=line.year)
    return figures[(organisation.pk, line.pk)]


def year_of(agreement, year):
    return agreement.schedule.get(year=year)


def pay_year(agreement, year, official):
    for tranche in year_of(agreement, year).tranches.all():
        services.tranche_paid_record(tranche=tranche, actor=official, paid_on=tranche.due_date)


def report_and_review(agreement, year, official, spent, decision, **review):
    row = year_of(agreement, year)
    services.survey_response_record(row=row, score=5)
    services.survey_response_record(row=row, score=4)
    services.year_report_record(
        row=row,
        actor=official,
        report_on=datetime.date(year + 1, 1, 10),
        spent=D(spent),
        units_delivered=D("1000"),
        beneficiaries_reached=100,
        indicators={"standard": "95", "retention": "85"},
    )
    return services.year_review_record(row=row, actor=official, decision=decision, **review)


def test_three_years_from_conclusion_to_closing(
    task, official, finance_user, organisation, interest_rates, clock
):
    lines = {year: classification(CODE, year) for year in (2027, 2028, 2029)}
    for line in lines.values():
        plan(organisation, line, "100000.00", finance_user)
    task = pilot_run(task, official)
    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/1/2026",
        contractor_name=task.contractor_name,
        start_year=2027,
        amounts=[D("90000.00")] * 3,
        tranches_per_year=2,
        classification=lines[2027],
    )
    agreement = transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )
    # Each year's amount is committed against that year's plan line from the conclusion.
    assert [committed(organisation, lines[y]).committed for y in (2027, 2028, 2029)] == [
        D("90000.00")
    ] * 3
    assert forecast(organisation_id=organisation.pk, from_year=2027) == {
        2027: D("90000.00"),
        2028: D("90000.00"),
        2029: D("90000.00"),
    }
    [row_2029] = year_summary(organisation_id=organisation.pk, year=2029).units
    assert (row_2029.label, row_2029.figures.committed) == (
        "UW/1/2026 (2029) Stowarzyszenie Pomocna Dłoń",
        D("90000.00"),
    )
    agreement = transition_apply(obj=agreement, name="start", actor=official)

    at(clock, 2028, 1, 15)
    pay_year(agreement, 2027, official)
    first = report_and_review(agreement, 2027, official, "90000.00", YearReview.Decision.CONTINUE)
    assert (first.satisfaction, first.responses, first.cost_per_unit) == (D("4.50"), 2, D("90.00"))
    assert services.year_settle(row=year_of(agreement, 2027), actor=official).unused == D("0.00")

    at(clock, 2029, 1, 15)
    pay_year(agreement, 2028, official)
    second = report_and_review(
        agreement,
        2028,
        official,
        "89000.00",
        YearReview.Decision.CHANGE,
        next_year_amount=D("95000.00"),
        note="Więcej godzin usług w trzecim roku.",
    )
    [annex] = Annex.objects.filter(agreement=agreement)
    assert (
        annex.number,
        annex.agreement_year.year,
        annex.amount_before,
        annex.amount_after,
        annex.review,
    ) == (1, 2029, D("90000.00"), D("95000.00"), second)
    assert [(t.amount, t.due_date) for t in year_of(agreement, 2029).tranches.all()] == [
        (D("45000.00"), datetime.date(2029, 1, 31)),
        (D("50000.00"), datetime.date(2029, 7, 1)),
    ]
    assert committed(organisation, lines[2029]).committed == D("95000.00")
    settled = services.year_settle(row=year_of(agreement, 2028), actor=official)
    assert (settled.paid, settled.unused, settled.return_deadline, settled.interest_from) == (
        D("90000.00"),
        D("1000.00"),
        datetime.date(2029, 1, 31),
        datetime.date(2029, 2, 1),
    )

    at(clock, 2029, 3, 2)
    returned = services.year_return_record(
        row=year_of(agreement, 2028), actor=official, returned_on=datetime.date(2029, 3, 2)
    )
    # 1 February to 2 March 2029: 30 days at 12%: 1000 x 12 x 30 / 36500 = 9.863 -> 9.86.
    assert returned.interest == D("9.86")
    assert committed(organisation, lines[2028]).returned == D("1000.00")

    at(clock, 2030, 1, 15)
    pay_year(agreement, 2029, official)
    with pytest.raises(GuardRefused) as early:
        transition_apply(obj=agreement, name="complete", actor=official)
    assert str(early.value.message) == "The partial report is missing for: 2029."
    report_and_review(agreement, 2029, official, "95000.00", YearReview.Decision.CONTINUE)
    services.final_report_record(
        agreement=agreement,
        actor=official,
        report_on=datetime.date(2030, 1, 20),
        note="Zadanie wykonane.",
    )
    agreement = transition_apply(obj=agreement, name="complete", actor=official)
    services.year_settle(row=year_of(agreement, 2029), actor=official)
    agreement = transition_apply(obj=agreement, name="settle", actor=official)
    agreement = transition_apply(obj=agreement, name="close", actor=official)
    assert agreement.state == AgreementState.CLOSED

    actions = [(e.action, e.after.get("year")) for e in audit_entries_for(agreement).order_by("pk")]
    assert [a for a in actions if a[0] in ("year_review", "annex", "year_return")] == [
        ("year_review", 2027),
        ("year_review", 2028),
        ("annex", 2029),
        ("year_return", 2028),
        ("year_review", 2029),
    ]
    assert [committed(organisation, lines[y]).committed for y in (2027, 2028, 2029)] == [
        D("90000.00"),
        D("90000.00"),
        D("95000.00"),
    ]


def test_an_annex_beyond_the_plan_line_is_refused(task, official, finance_user, organisation):
    lines = {year: classification(CODE, year) for year in (2027, 2028)}
    for line in lines.values():
        plan(organisation, line, "100000.00", finance_user)
    task = pilot_run(task, official)
    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/2/2026",
        contractor_name="X",
        start_year=2027,
        amounts=[D("90000.00")] * 2,
        classification=lines[2027],
    )
    agreement = transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )
    with pytest.raises(GuardRefused) as refused:
        services.annex_create(
            agreement=agreement,
            actor=official,
            row=year_of(agreement, 2028),
            amount=D("110001.00"),
            reason="x",
        )
    assert "exceeds the plan by 10 001,00 zł" in str(refused.value.message)
    assert year_of(agreement, 2028).amount == D("90000.00")
