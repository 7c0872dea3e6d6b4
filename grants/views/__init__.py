"""Pages of the micro-grant process for residents, officials and evaluators. Views are
thin: they pick the object through a selector (so what is not visible is 404), bind a
form, and call a service or the engine."""

from .agreements import (
    agreement_create,
    agreement_detail,
    agreement_transition,
    agreements,
    change_request,
    change_request_approve,
)
from .application_form import application_check, application_edit
from .applications import (
    application_detail,
    application_start,
    application_transition,
    assign_evaluators,
    formal_check,
    my_applications,
    queue,
)
from .calls import call_create, call_detail, call_edit, call_list, call_transition, results
from .evaluation import my_reviews, ranking, review, review_transition
from .public import COMMENTS_PER_HOUR, public_offer, public_offers
from .reports import expense_ineligible, report, report_transition, return_record
from .status import application_status

__all__ = [
    "COMMENTS_PER_HOUR",
    "agreement_create",
    "agreement_detail",
    "agreement_transition",
    "agreements",
    "application_check",
    "application_detail",
    "application_edit",
    "application_start",
    "application_status",
    "application_transition",
    "assign_evaluators",
    "call_create",
    "call_detail",
    "call_edit",
    "call_list",
    "call_transition",
    "change_request",
    "change_request_approve",
    "expense_ineligible",
    "formal_check",
    "my_applications",
    "my_reviews",
    "public_offer",
    "public_offers",
    "queue",
    "ranking",
    "report",
    "report_transition",
    "results",
    "return_record",
    "review",
    "review_transition",
]
