"""Every write of the contracting process (see ``contracting.workflow`` for states)."""

from .agreements import (
    agreement_commit_years,
    agreement_create,
    annex_create,
    final_report_record,
    satisfaction_of,
    survey_response_record,
    tranche_paid_record,
    year_report_record,
    year_return_record,
    year_review_record,
    year_settle,
)
from .tasks import (
    analysis_create,
    analysis_decide,
    analysis_evaluate,
    analysis_link,
    pilot_create,
    pilot_evaluate,
    task_create,
)

__all__ = [
    "agreement_commit_years",
    "agreement_create",
    "analysis_create",
    "analysis_decide",
    "analysis_evaluate",
    "analysis_link",
    "annex_create",
    "final_report_record",
    "pilot_create",
    "pilot_evaluate",
    "satisfaction_of",
    "survey_response_record",
    "task_create",
    "tranche_paid_record",
    "year_report_record",
    "year_return_record",
    "year_review_record",
    "year_settle",
]
