"""Every write of the micro-grant process, one module per part of it.

State changes go through ``workflows.engine.transition_apply``; the transition bodies
in ``grants.workflow`` call ``application_prepare_submission``, ``pool_reserve``,
``review_finalise``, ``tranches_order_payment`` and ``settlement_compute`` inside the
engine's transaction. Reads are in ``grants.selectors``, the rules the guards ask in
``grants.rules``; both are re-exported here so callers of ``grants.services`` keep working.
"""

from ..rules import (
    CENT,
    LOCKED_RULES,
    application_rule_errors,
    evaluation_problem,
    formal_checklist_problem,
    fundability_problem,
    locked_rule_errors,
    money,
    negative_source_errors,
    percent,
    required_reviews,
    returns_problem,
    review_problem,
    small_grant_limits_check,
    small_grant_limits_in_force,
    yearly_cap_problem,
)
from ..selectors import (
    amount_paid,
    award_proposals,
    call_has_submissions,
    evaluators_of,
    interest_compute,
    pool_committed,
    publication_is_late,
    review_average,
)
from ..workflow import APPROVED_STATES
from .agreements import (
    ANNEX_CONTEXT,
    ANNEX_TEMPLATE,
    agreement_create,
    change_request_approve,
    change_request_submit,
)
from .applications import (
    DRAFT_FIELDS,
    application_attach,
    application_create,
    application_number_take,
    application_prepare_submission,
    application_recompute_totals,
    application_save_draft,
)
from .awards import pool_reserve
from .calls import CALL_CHANGED_BODY, CALL_CHANGED_SUBJECT, call_create, call_set_rules, call_update
from .draft_check import application_draft_check, application_totals
from .evaluation import (
    EVALUATION_ASSIGNED,
    EVALUATION_ASSIGNED_BODY,
    evaluation_close_if_complete,
    formal_check_record,
    review_finalise,
    review_score,
    reviews_assign,
    reviews_assign_balanced,
)
from .groups import (
    ConsentLinkInvalid,
    consent_link_read,
    consent_token,
    grant_beneficiary,
    group_consent_give,
    group_consent_withdraw,
    group_consents_request,
    patronage_confirm,
    patronage_decline,
    patronage_set,
)
from .handlers import application_handler_assign, call_handlers_set
from .payments import tranches_order_payment
from .regranting import regranting_fund_link
from .reports import expense_mark_ineligible, partial_report_submit, report_save
from .settlement import RETURN_DAYS, return_record, settlement_compute, unused_return_deadline
from .small_grants import public_comment_add

__all__ = [
    "ANNEX_CONTEXT",
    "ANNEX_TEMPLATE",
    "APPROVED_STATES",
    "CALL_CHANGED_BODY",
    "CALL_CHANGED_SUBJECT",
    "CENT",
    "DRAFT_FIELDS",
    "EVALUATION_ASSIGNED",
    "EVALUATION_ASSIGNED_BODY",
    "LOCKED_RULES",
    "RETURN_DAYS",
    "ConsentLinkInvalid",
    "agreement_create",
    "amount_paid",
    "application_attach",
    "application_create",
    "application_draft_check",
    "application_handler_assign",
    "application_number_take",
    "application_prepare_submission",
    "application_recompute_totals",
    "application_rule_errors",
    "application_save_draft",
    "application_totals",
    "award_proposals",
    "call_create",
    "call_handlers_set",
    "call_has_submissions",
    "call_set_rules",
    "call_update",
    "change_request_approve",
    "change_request_submit",
    "consent_link_read",
    "consent_token",
    "evaluation_close_if_complete",
    "evaluation_problem",
    "evaluators_of",
    "expense_mark_ineligible",
    "formal_check_record",
    "formal_checklist_problem",
    "fundability_problem",
    "grant_beneficiary",
    "group_consent_give",
    "group_consent_withdraw",
    "group_consents_request",
    "interest_compute",
    "locked_rule_errors",
    "money",
    "negative_source_errors",
    "partial_report_submit",
    "patronage_confirm",
    "patronage_decline",
    "patronage_set",
    "percent",
    "pool_committed",
    "pool_reserve",
    "public_comment_add",
    "publication_is_late",
    "regranting_fund_link",
    "report_save",
    "required_reviews",
    "return_record",
    "returns_problem",
    "review_average",
    "review_finalise",
    "review_problem",
    "review_score",
    "reviews_assign",
    "reviews_assign_balanced",
    "settlement_compute",
    "small_grant_limits_check",
    "small_grant_limits_in_force",
    "tranches_order_payment",
    "unused_return_deadline",
    "yearly_cap_problem",
]
