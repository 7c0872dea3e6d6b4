"""What multi-year agreements commit of the budget plan (``finance.services.budget``):
each year's amount against that year's plan line, from the conclusion on; returned:
each year's unused money once it came back. The yearly summary shows one row per
agreement year, so the summary of a future year shows what is already committed to it."""

from decimal import Decimal

from django.db.models import Sum

from finance.services.budget import Figures, SummaryRow

from .models import AgreementYear
from .workflow import COMMITTED_STATES

ZERO = Decimal("0.00")


def _years(*, organisation_ids, year, classification_id=None):
    rows = AgreementYear.objects.filter(
        agreement__organisation_id__in=organisation_ids,
        agreement__state__in=COMMITTED_STATES,
        classification__year=year,
    )
    if classification_id is not None:
        rows = rows.filter(classification_id=classification_id)
    return rows


def _by_line(rows, field) -> dict:
    totals = (
        rows.values_list("agreement__organisation_id", "classification_id")
        .annotate(total=Sum(field))
        .order_by()
    )
    return {(o, c): total or ZERO for o, c, total in totals}


def committed(*, organisation_ids, year, classification_id=None) -> dict:
    return _by_line(
        _years(organisation_ids=organisation_ids, year=year, classification_id=classification_id),
        "amount",
    )


def returned(*, organisation_ids, year, classification_id=None) -> dict:
    rows = _years(
        organisation_ids=organisation_ids, year=year, classification_id=classification_id
    ).exclude(returned_on=None)
    return _by_line(rows, "unused")


def source_find(*, organisation_ids, number: str):
    return None


def source_budget(source):
    return None


def summary_rows(*, organisation_id: int, year: int) -> list[SummaryRow]:
    rows = (
        AgreementYear.objects.filter(
            agreement__organisation_id=organisation_id,
            agreement__state__in=COMMITTED_STATES,
            year=year,
        )
        .select_related("agreement", "classification")
        .prefetch_related("tranches")
    )
    return [
        SummaryRow(
            label=f"{row.agreement.number} ({row.year}) {row.agreement.contractor_name}",
            url=row.agreement.get_absolute_url(),
            classification=row.classification,
            figures=Figures(
                planned=row.amount,
                committed=row.amount,
                paid=sum((t.amount for t in row.tranches.all() if t.paid_on), ZERO),
                returned=row.unused if row.returned_on else ZERO,
            ),
        )
        for row in rows
    ]
