"""Final reports (sprawozdania) and the official's judgement of their expenses."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from workflows.audit import audit_record, snapshot
from workflows.errors import GuardRefused, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Agreement,
    Expense,
    Report,
)
from ..models.reports import REPORT_STATUTORY_FIELDS
from ..workflow import (
    ReportState,
)


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
