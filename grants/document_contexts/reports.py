"""Context builders of the reports on the statutory form (regulation of 24 October
2018): the final report (sprawozdanie końcowe) and the partial ones (częściowe). Part I
says what was achieved against the planned results, part II the spending by budget
line and by source of funding (adding up to the spending's total), part III the rest."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import ZERO, Application, PartialReport, Report
from .offer import share


def _by_source(*, grant, financial, fees, other_public, personal, in_kind) -> dict:
    """Part II.2: the sources, each once, adding up to ``total``."""
    non_financial = personal + in_kind
    total = grant + financial + non_financial
    return {
        "total": total,
        "grant": grant,
        "grant_share": share(grant, total),
        "own_total": financial + non_financial,
        "own_share": share(financial + non_financial, total),
        "financial": financial,
        "own_funds": financial - fees - other_public,
        "fees": fees,
        "other_public": other_public,
        "non_financial": non_financial,
        "personal": personal,
        "in_kind": in_kind,
    }


def _header(application: Application, agreement) -> dict:
    return {
        "document_subject": application.title,
        "statutory_form": application.call.statutory_form,
        "title": application.title,
        "agreement_number": agreement.number,
        "agreement_signed_on": agreement.signed_on,
        "grantor_name": agreement.organisation.name,
        "grantee_name": application.applicant_name,
        "krs": application.krs,
        "start_date": application.start_date,
        "end_date": application.end_date,
    }


def _attachments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def report_context(report: Report) -> dict:
    agreement = report.agreement
    application = agreement.application
    expenses = list(report.expenses.all())
    lines = []
    for line in application.budget_lines.select_related("category"):
        spent = [e for e in expenses if e.budget_line_id == line.pk]
        amount = sum((e.amount for e in spent), ZERO)
        from_grant = sum((e.from_grant for e in spent), ZERO)
        lines.append(
            {
                "description": line.description,
                "cost_type_label": str(line.get_cost_type_display()),
                "planned_total": line.total,
                "planned_grant": line.from_grant,
                "spent_total": amount,
                "spent_grant": from_grant,
                "spent_other": amount - from_grant,
            }
        )
    grant = sum((e.from_grant for e in expenses), ZERO)
    financial = sum((e.amount - e.from_grant for e in expenses), ZERO)
    personal = (report.volunteer_hours * application.volunteer_rate).quantize(Decimal("0.01"))
    return {
        "document_title": _("Final report"),
        "document_number": f"{agreement.number}/S",
        "kind": "final",
        **_header(application, agreement),
        "period_start": application.start_date,
        "period_end": application.end_date,
        "narrative": report.narrative,
        "indicators": [
            {"name": i.name, "unit": i.unit, "target": i.target, "achieved": i.achieved}
            for i in application.indicators.all()
        ],
        "lines": lines,
        "spent_total": sum((line["spent_total"] for line in lines), ZERO),
        "spent_grant": grant,
        "sources": _by_source(
            grant=grant,
            financial=financial,
            fees=report.fees_collected,
            other_public=report.other_public_funds_used,
            personal=personal,
            in_kind=report.own_in_kind_used,
        ),
        "volunteer_hours": report.volunteer_hours,
        "volunteer_rate": application.volunteer_rate,
        "expenses": [
            {
                "document_number": e.document_number,
                "document_date": e.document_date,
                "issuer": e.issuer,
                "purpose": e.purpose,
                "amount": e.amount,
                "from_grant": e.from_grant,
            }
            for e in expenses
        ],
        "other_information": report.other_information,
        "attachments": _attachments(report.attachments_list),
        "submitted_at": report.submitted_at.date() if report.submitted_at else None,
    }


def partial_report_context(partial: PartialReport) -> dict:
    agreement = partial.agreement
    application = agreement.application
    lines = []
    grant = own = in_kind = ZERO
    for line in application.budget_lines.select_related("category"):
        row = partial.spending.get(str(line.pk), {})
        spent_grant = Decimal(row.get("from_grant", "0"))
        spent_own = Decimal(row.get("own_money", "0"))
        spent_in_kind = Decimal(row.get("own_in_kind", "0"))
        grant, own, in_kind = grant + spent_grant, own + spent_own, in_kind + spent_in_kind
        lines.append(
            {
                "description": line.description,
                "cost_type_label": str(line.get_cost_type_display()),
                "planned_total": line.total,
                "planned_grant": line.from_grant,
                "spent_total": spent_grant + spent_own + spent_in_kind,
                "spent_grant": spent_grant,
                "spent_other": spent_own + spent_in_kind,
            }
        )
    personal = (partial.volunteer_hours * application.volunteer_rate).quantize(Decimal("0.01"))
    return {
        "document_title": _("Partial report no. %(n)d") % {"n": partial.number},
        "document_number": f"{agreement.number}/SC/{partial.number}",
        "kind": "partial",
        **_header(application, agreement),
        "period_start": partial.period_start,
        "period_end": partial.period_end,
        "narrative": partial.narrative,
        "indicators": [
            {"name": i.name, "unit": i.unit, "target": i.target, "achieved": None}
            for i in application.indicators.all()
        ],
        "lines": lines,
        "spent_total": sum((line["spent_total"] for line in lines), ZERO),
        "spent_grant": grant,
        "sources": _by_source(
            grant=grant,
            financial=own,
            fees=ZERO,
            other_public=ZERO,
            personal=personal,
            in_kind=in_kind,
        ),
        "volunteer_hours": partial.volunteer_hours,
        "volunteer_rate": application.volunteer_rate,
        "expenses": [],
        "tranches": [
            {"amount": t.amount, "due_date": t.due_date} for t in agreement.tranches.all()
        ],
        "other_information": "",
        "attachments": _attachments(partial.attachments_list),
        "submitted_at": partial.submitted_at.date(),
    }
