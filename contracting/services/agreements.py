"""Writes of multi-year agreements and their years (each audited on the agreement, so
its history holds every year's report, review, annex, settlement and return)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from finance.models import BudgetClassification
from finance.services.budget import budget_check
from finance.validators import paid_on_problem
from grants.selectors import interest_compute
from grants.services.settlement import unused_return_deadline
from workflows.audit import audit_record, snapshot
from workflows.engine import transition_apply
from workflows.errors import Conflict, InvalidInput

from ..models import (
    AgreementYear,
    Annex,
    MultiYearAgreement,
    SurveyResponse,
    Task,
    YearReview,
    YearTranche,
)
from ..rules import term_problem
from ..scoring import cents
from ..workflow import AgreementState

ZERO = Decimal("0.00")
RUNNING = (AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION)
TRANCHE_DAYS = ((1, 31), (7, 1), (10, 1), (4, 1))  # due days of tranches 1..4 in a year


def _official(actor: User, organisation_id: int) -> None:
    role_require(actor, organisation_id, Role.OFFICIAL)


def _year_audit(row: AgreementYear, actor, action: str, fields, before=None) -> None:
    audit_record(
        obj=row.agreement,
        actor=actor,
        action=action,
        before={"year": row.year, **(before or {})},
        after={"year": row.year, **snapshot(row, fields)},
    )


def tranches_split(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` in ``count`` parts to the grosz; the last takes what rounding leaves."""
    part = cents(amount / count)
    return [part] * (count - 1) + [amount - part * (count - 1)]


def _classification_for(year: int, first: BudgetClassification | None):
    if first is None:
        return None
    return BudgetClassification.objects.filter(
        year=year, section=first.section, chapter=first.chapter, paragraph=first.paragraph
    ).first()


@transaction.atomic
def agreement_create(
    *,
    actor: User,
    task: Task,
    number: str,
    contractor_name: str,
    start_year: int,
    amounts: list[Decimal],
    tranches_per_year: int = 1,
    classification: BudgetClassification | None = None,
    analysis=None,
    call=None,
    grant_agreement=None,
) -> MultiYearAgreement:
    """Open a multi-year agreement in draft with its schedule: one row per budget year
    (its amount, spending deadline 31 December, tranches), each year's plan line found
    by the classification's code in that year. A term beyond the legal maximum is
    refused with its legal basis."""
    _official(actor, task.organisation_id)
    years = len(amounts)
    problem = term_problem(years=years, on=datetime.date(start_year, 1, 1))
    if problem:
        raise InvalidInput(field_errors={"years": [problem]})
    if years < 1 or any(a is None or a <= ZERO for a in amounts):
        raise InvalidInput(
            field_errors={"amounts": [_("Give an amount above zero for each year.")]}
        )
    if not 1 <= tranches_per_year <= len(TRANCHE_DAYS):
        raise InvalidInput(field_errors={"tranches_per_year": [_("From 1 to 4 tranches a year.")]})
    if MultiYearAgreement.objects.filter(number=number).exists():
        raise InvalidInput(field_errors={"number": [_("This number is already used.")]})
    agreement = MultiYearAgreement.objects.create(
        organisation_id=task.organisation_id,
        task=task,
        analysis=analysis,
        number=number,
        contractor_name=contractor_name,
        start_year=start_year,
        years=years,
        call=call,
        grant_agreement=grant_agreement,
        created_by=actor,
    )
    for offset, amount in enumerate(amounts):
        year = start_year + offset
        row = AgreementYear.objects.create(
            agreement=agreement,
            year=year,
            amount=amount,
            classification=_classification_for(year, classification),
            spending_deadline=datetime.date(year, 12, 31),
        )
        YearTranche.objects.bulk_create(
            YearTranche(agreement_year=row, amount=part, due_date=datetime.date(year, *day))
            for part, day in zip(
                tranches_split(amount, tranches_per_year), TRANCHE_DAYS, strict=False
            )
        )
    audit_record(
        obj=agreement,
        actor=actor,
        action="agreement_create",
        after={
            **snapshot(agreement, ["number", "start_year", "years", "contractor_name"]),
            "amounts": [str(a) for a in amounts],
        },
    )
    return agreement


def agreement_commit_years(*, agreement: MultiYearAgreement) -> None:
    """Inside ``conclude``: each year's amount must fit that year's plan line."""
    for row in agreement.schedule.select_related("classification"):
        budget_check(
            organisation_id=agreement.organisation_id,
            year=row.year,
            classification=row.classification,
            amount=row.amount,
        )


def _running(agreement: MultiYearAgreement) -> None:
    if agreement.state not in RUNNING:
        raise Conflict(
            _("This can be done only while the agreement is signed or in implementation.")
        )


def _locked(row: AgreementYear) -> AgreementYear:
    return AgreementYear.objects.select_for_update().select_related("agreement").get(pk=row.pk)


@transaction.atomic
def tranche_paid_record(
    *, tranche: YearTranche, actor: User, paid_on: datetime.date
) -> YearTranche:
    agreement = tranche.agreement_year.agreement
    role_require(actor, agreement.organisation_id, Role.OFFICIAL, Role.FINANCE)
    _running(agreement)
    problem = paid_on_problem(paid_on)
    if problem:
        raise InvalidInput(field_errors={"paid_on": [problem]})
    tranche = YearTranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.paid_on is not None:
        raise Conflict(_("This tranche is already recorded as paid."))
    tranche.paid_on = paid_on
    tranche.save(update_fields=["paid_on"])
    audit_record(
        obj=agreement,
        actor=actor,
        action="tranche_paid",
        after={"tranche": tranche.pk, **snapshot(tranche, ["amount", "paid_on"])},
    )
    return tranche


@transaction.atomic
def year_report_record(
    *,
    row: AgreementYear,
    actor: User,
    report_on: datetime.date,
    spent: Decimal,
    units_delivered: Decimal,
    beneficiaries_reached: int,
    indicators: dict | None = None,
) -> AgreementYear:
    """The partial report of a year (sprawozdanie częściowe): what was spent and done."""
    _official(actor, row.agreement.organisation_id)
    row = _locked(row)
    _running(row.agreement)
    errors = {}
    if spent < ZERO or spent > row.amount:
        errors["spent"] = [
            _("Spent must be from 0 to the year's amount %(amount)s.") % {"amount": row.amount}
        ]
    if units_delivered <= 0:
        errors["units_delivered"] = [_("Give the units of service delivered.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    fields = ["report_on", "spent", "units_delivered", "beneficiaries_reached", "indicators"]
    before = snapshot(row, fields)
    row.report_on, row.spent, row.units_delivered = report_on, spent, units_delivered
    row.beneficiaries_reached, row.indicators = beneficiaries_reached, indicators or {}
    row.save(update_fields=fields)
    _year_audit(row, actor, "year_report", fields, before)
    return row


def survey_response_record(*, row: AgreementYear, score: int, comment: str = "") -> SurveyResponse:
    """An anonymous answer to the year's satisfaction survey (the link is the key)."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput(field_errors={"score": [_("Choose from 1 to 5.")]})
    if row.agreement.state not in RUNNING or hasattr(row, "review"):
        raise Conflict(_("This survey is closed."))
    response = SurveyResponse.objects.create(
        agreement_year=row, score=score, comment=comment[:2000]
    )
    audit_record(
        obj=row.agreement,
        actor=None,
        action="survey_response",
        after={"year": row.year, "score": score},
    )
    return response


def satisfaction_of(row: AgreementYear) -> tuple[Decimal | None, int]:
    scores = list(row.survey_responses.values_list("score", flat=True))
    if not scores:
        return None, 0
    return cents(Decimal(sum(scores)) / len(scores)), len(scores)


@transaction.atomic
def year_review_record(
    *,
    row: AgreementYear,
    actor: User,
    decision: str,
    note: str = "",
    next_year_amount: Decimal | None = None,
) -> YearReview:
    """The yearly review: the year's indicators, the survey's satisfaction and the cost
    per unit, and the decision: continue, continue with an annex changing next year's
    amount, or terminate (the agreement's ``terminate`` transition)."""
    _official(actor, row.agreement.organisation_id)
    row = _locked(row)
    agreement = row.agreement
    _running(agreement)
    if row.report_on is None:
        raise Conflict(_("The year's partial report comes before its review."))
    if YearReview.objects.filter(agreement_year=row).exists():
        raise Conflict(_("This year is already reviewed."))
    following = agreement.schedule.filter(year=row.year + 1).first()
    if decision == YearReview.Decision.CHANGE and (following is None or not next_year_amount):
        raise InvalidInput(
            field_errors={
                "next_year_amount": [_("Give next year's new amount (there must be a next year).")]
            }
        )
    satisfaction, responses = satisfaction_of(row)
    review = YearReview.objects.create(
        agreement_year=row,
        indicators=row.indicators,
        satisfaction=satisfaction,
        responses=responses,
        cost_per_unit=row.cost_per_unit,
        decision=decision,
        note=note,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    audit_record(
        obj=agreement,
        actor=actor,
        action="year_review",
        after={
            "year": row.year,
            **snapshot(
                review,
                ["decision", "satisfaction", "responses", "cost_per_unit", "indicators", "note"],
            ),
        },
    )
    if decision == YearReview.Decision.CHANGE:
        annex_create(
            agreement=agreement,
            actor=actor,
            row=following,
            amount=next_year_amount,
            reason=note or _("Yearly review of %(year)d") % {"year": row.year},
            review=review,
        )
    elif decision == YearReview.Decision.TERMINATE:
        transition_apply(
            obj=agreement,
            name="terminate",
            actor=actor,
            payload={"justification": note or str(review)},
        )
    return review


@transaction.atomic
def annex_create(
    *,
    agreement: MultiYearAgreement,
    actor: User,
    row: AgreementYear,
    amount: Decimal,
    reason: str,
    review: YearReview | None = None,
) -> Annex:
    """An annex changing a year's amount; a raise must fit that year's plan line. The
    difference goes to the year's last unpaid tranche (or a new one on 1 July)."""
    _official(actor, agreement.organisation_id)
    row = _locked(row)
    _running(row.agreement)
    if row.report_on is not None:
        raise Conflict(_("A reported year's amount can no longer change."))
    if amount <= ZERO:
        raise InvalidInput(field_errors={"amount": [_("Give an amount above zero.")]})
    delta = amount - row.amount
    if delta > ZERO:
        budget_check(
            organisation_id=agreement.organisation_id,
            year=row.year,
            classification=row.classification,
            amount=delta,
        )
    unpaid = row.tranches.filter(paid_on=None).order_by("-due_date", "-pk").first()
    if unpaid is not None and unpaid.amount + delta > ZERO:
        unpaid.amount += delta
        unpaid.save(update_fields=["amount"])
    elif delta > ZERO:
        YearTranche.objects.create(
            agreement_year=row, amount=delta, due_date=datetime.date(row.year, 7, 1)
        )
    else:
        raise Conflict(_("The paid tranches exceed the new amount."))
    before = row.amount
    row.amount = amount
    row.save(update_fields=["amount"])
    number = agreement.annexes.count() + 1
    annex = Annex.objects.create(
        agreement=agreement,
        number=number,
        agreement_year=row,
        amount_before=before,
        amount_after=amount,
        reason=reason,
        review=review,
        created_by=actor,
    )
    _year_audit(row, actor, "annex", ["amount"], {"amount": str(before), "annex": number})
    return annex


@transaction.atomic
def final_report_record(
    *, agreement: MultiYearAgreement, actor: User, report_on: datetime.date, note: str
) -> MultiYearAgreement:
    _official(actor, agreement.organisation_id)
    agreement = MultiYearAgreement.objects.select_for_update().get(pk=agreement.pk)
    _running(agreement)
    agreement.final_report_on, agreement.final_report_note = report_on, note
    agreement.save(update_fields=["final_report_on", "final_report_note"])
    audit_record(
        obj=agreement,
        actor=actor,
        action="final_report",
        after=snapshot(agreement, ["final_report_on", "final_report_note"]),
    )
    return agreement


@transaction.atomic
def year_settle(*, row: AgreementYear, actor: User) -> AgreementYear:
    """Settle a year on its own (art. 251 u.f.p.): paid tranches minus what was spent is
    returned by 31 January of the next year, with interest from the day after."""
    _official(actor, row.agreement.organisation_id)
    row = _locked(row)
    if row.report_on is None:
        raise Conflict(_("The year's partial report comes before its settlement."))
    if row.settled_on is not None:
        raise Conflict(_("This year is already settled."))
    paid = sum((t.amount for t in row.tranches.exclude(paid_on=None)), ZERO)
    unused = max(paid - row.spent, ZERO)
    fields = ["settled_on", "paid", "unused", "return_deadline", "interest_from"]
    row.settled_on, row.paid, row.unused = timezone.localdate(), paid, unused
    if unused > ZERO:
        row.return_deadline = unused_return_deadline(row.spending_deadline)
        row.interest_from = row.return_deadline + datetime.timedelta(days=1)
    row.save(update_fields=fields)
    _year_audit(row, actor, "year_settle", fields)
    return row


@transaction.atomic
def year_return_record(
    *, row: AgreementYear, actor: User, returned_on: datetime.date
) -> AgreementYear:
    """The day a year's unused money came back; interest after the deadline (the
    effective-dated rates of grants' ``interest_compute``)."""
    _official(actor, row.agreement.organisation_id)
    problem = paid_on_problem(returned_on)
    if problem:
        raise InvalidInput(field_errors={"returned_on": [problem]})
    row = _locked(row)
    if not row.unused:
        raise Conflict(_("Nothing is to be returned for this year."))
    if row.returned_on is not None:
        raise Conflict(_("This return is already recorded."))
    if returned_on <= row.return_deadline:
        interest = ZERO
    else:
        interest = interest_compute(row.unused, row.interest_from, returned_on)
    row.returned_on, row.interest = returned_on, interest
    row.save(update_fields=["returned_on", "interest"])
    _year_audit(row, actor, "year_return", ["unused", "returned_on", "interest"])
    return row
