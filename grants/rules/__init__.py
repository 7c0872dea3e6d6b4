"""The rules of the micro-grant process: each ``*_problem`` answers a workflow guard with
the reason it refuses (or None), each ``*_errors``/``*_check`` the field errors of input.

``base`` holds the amounts, the art. 19a limits in force and the yearly cap;
``applications`` every way an application breaks its call's rules; ``process`` the
checks of the workflow's guards; ``groups`` an informal group's confirmations.
Everything is importable from ``grants.rules``.
"""

from .applications import (
    application_rule_errors,
)
from .base import (
    CENT,
    LOCKED_RULES,
    locked_rule_errors,
    money,
    percent,
    small_grant_limits_check,
    small_grant_limits_in_force,
    yearly_cap_problem,
)
from .groups import (
    consents_given,
    group_problem,
    invoice_grant_problem,
    member_consent_problem,
    patron_problem,
)
from .process import (
    budget_approval_problem,
    call_closed_problem,
    comment_period_problem,
    correction_deadline_problem,
    criteria_problem,
    evaluation_problem,
    expenses_problem,
    formal_checklist_problem,
    fundability_problem,
    negative_source_errors,
    not_19a_problem,
    report_accepted_problem,
    required_reviews,
    returns_problem,
    review_problem,
    submissions_open_problem,
)

__all__ = [
    "CENT",
    "LOCKED_RULES",
    "application_rule_errors",
    "budget_approval_problem",
    "call_closed_problem",
    "comment_period_problem",
    "consents_given",
    "correction_deadline_problem",
    "criteria_problem",
    "evaluation_problem",
    "expenses_problem",
    "formal_checklist_problem",
    "fundability_problem",
    "group_problem",
    "invoice_grant_problem",
    "locked_rule_errors",
    "member_consent_problem",
    "money",
    "negative_source_errors",
    "not_19a_problem",
    "patron_problem",
    "percent",
    "report_accepted_problem",
    "required_reviews",
    "returns_problem",
    "review_problem",
    "small_grant_limits_check",
    "small_grant_limits_in_force",
    "submissions_open_problem",
    "yearly_cap_problem",
]
