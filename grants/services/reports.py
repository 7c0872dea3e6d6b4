"""Final reports (sprawozdania) and the official's judgement of their expenses."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from documents.services import document_render_later
from workflows.audit import audit_record, snapshot
from workflows.errors import GuardRefused, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Agreement,
    Expense,
    PartialReport,
    Report,
)
from ..models.reports import REPORT_STATUTORY_FIELDS
from ..rules.statutory import partial_report_problem
from ..workflow import (
    AgreementState,
    ReportState,
)

PARTIAL_REPORT_TEMPLATE = "grants/report.html"
PARTIAL_REPORT_CONTEXT = "grants.document_contexts.reports.partial_report_context"
SOURCES = ("from_grant", "own_money", "own_in_kind")


@transaction.atomic
def report_save(
    *,
    agreement: Agreement,
    actor: User,
    narrative: str,
    volunteer_hours: Decimal = ZERO,
    achieved: dict[int, Decimal] | None = None,
    expenses: list[dict] | None = None,
    statutory: dict | None = None,
) -> Report:
    """Create or update the grantee's final report while it is editable; ``statutory``
    holds the statutory form's other figures (``REPORT_STATUTORY_FIELDS``)."""
    if agreement.application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the grantee writes the report."))
    report, _created = Report.objects.get_or_create(agreement=agreement)
    if report.state not in (ReportState.DRAFT, ReportState.CORRECTIONS_REQUESTED):
        raise GuardRefused(_("The report can no longer be changed."))
    report.narrative = narrative
    report.volunteer_hours = volunteer_hours
    statutory = {k: v for k, v in (statutory or {}).items() if k in REPORT_STATUTORY_FIELDS}
    for name, value in statutory.items():
        setattr(report, name, value)
    report.save(update_fields=["narrative", "volunteer_hours", *statutory])
    indicators = {i.pk: i for i in agreement.application.indicators.all()}
    for indicator_id, value in (achieved or {}).items():
        indicator = indicators.get(int(indicator_id))
        if indicator is not None:
            indicator.achieved = value
            indicator.save(update_fields=["achieved"])
    if expenses is not None:
        lines = set(agreement.application.budget_lines.values_list("pk", flat=True))
        errors = {}
        rows = []
        for i, row in enumerate(expenses):
            expense = Expense(report=report, **row)
            if expense.budget_line_id not in lines:
                errors[f"expenses[{i}].budget_line"] = [_("Choose a line of the budget.")]
            if expense.from_grant > expense.amount:
                errors[f"expenses[{i}].from_grant"] = [
                    _("The part from the grant cannot exceed the amount.")
                ]
            rows.append(expense)
        if errors:
            raise InvalidInput(field_errors=errors)
        report.expenses.all().delete()
        Expense.objects.bulk_create(rows)
    return report


@transaction.atomic
def expense_mark_ineligible(*, expense: Expense, actor: User, reason: str) -> Expense:
    report = expense.report
    role_require(
        actor, report.workflow_organisation_id, Role.OFFICIAL, message=NotPermitted.default_message
    )
    if report.state != ReportState.UNDER_REVIEW:
        raise GuardRefused(_("Expenses are judged while the report is under review."))
    before = snapshot(expense, ["eligible", "ineligible_reason"])
    expense.eligible = False
    expense.ineligible_reason = reason
    expense.save(update_fields=["eligible", "ineligible_reason"])
    audit_record(
        obj=expense,
        actor=actor,
        action="expense_mark_ineligible",
        before=before,
        after=snapshot(expense, ["eligible", "ineligible_reason"]),
    )
    return expense


def _spending_errors(agreement: Agreement, spending: dict) -> tuple[dict, dict]:
    """The spending by line, cleaned to ``{line id: {source: "0.00"}}``, and the field
    errors of what cannot be read as such."""
    lines = set(agreement.application.budget_lines.values_list("pk", flat=True))
    cleaned, errors = {}, {}
    for key, row in spending.items():
        field = f"spending[{key}]"
        if not str(key).isdigit() or int(key) not in lines or not isinstance(row, dict):
            errors[field] = [_("Choose a line of the budget.")]
            continue
        try:
            values = {name: Decimal(str(row.get(name, "0"))) for name in SOURCES}
        except ArithmeticError:
            errors[field] = [_("Enter the amounts as numbers.")]
            continue
        if any(not v.is_finite() or v < 0 for v in values.values()):
            errors[field] = [_("Enter amounts of zero or more.")]
            continue
        cleaned[str(int(key))] = {k: str(v.quantize(Decimal("0.01"))) for k, v in values.items()}
    return cleaned, errors


@transaction.atomic
def partial_report_submit(
    *,
    agreement: Agreement,
    actor: User,
    period_start: datetime.date,
    period_end: datetime.date,
    narrative: str,
    spending: dict,
    volunteer_hours: Decimal = ZERO,
    attachments_list: str = "",
) -> PartialReport:
    """The grantee submits a partial report for a period of the task; it is numbered,
    kept as submitted, audited, and rendered on the statutory form."""
    agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
    if agreement.application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the grantee writes the report."))
    if agreement.state not in (AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION):
        raise GuardRefused(_("Partial reports are made while the agreement is carried out."))
    problem = partial_report_problem(agreement)
    if problem:
        raise GuardRefused(problem)
    cleaned, errors = _spending_errors(agreement, spending)
    if period_end < period_start:
        errors["period_end"] = [_("The period must end on or after its start.")]
    if not narrative.strip():
        errors["narrative"] = [_("Describe what was achieved in the period.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    number = agreement.partial_reports.count() + 1
    partial = PartialReport.objects.create(
        agreement=agreement,
        number=number,
        period_start=period_start,
        period_end=period_end,
        narrative=narrative,
        spending=cleaned,
        volunteer_hours=volunteer_hours,
        attachments_list=attachments_list,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_record(
        obj=partial,
        actor=actor,
        action="partial_report_submit",
        after={"number": number, "period": [str(period_start), str(period_end)]},
    )
    document_render_later(
        owner=partial,
        kind="partial-report",
        template_name=PARTIAL_REPORT_TEMPLATE,
        context_builder=PARTIAL_REPORT_CONTEXT,
        actor_id=actor.pk,
    )
    return partial
