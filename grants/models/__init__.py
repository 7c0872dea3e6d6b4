"""Micro-grant data. The processes (states, transitions, who may do what) are in
``grants/workflow.py``; every write is in ``grants/services/``."""

from .agreements import Agreement, ChangeRequest, Tranche
from .applications import (
    Activity,
    Application,
    BudgetLine,
    FormalCheckAnswer,
    GroupMember,
    Indicator,
    PublicComment,
    attachment_path,
)
from .calls import (
    CALL_RANGES,
    CALL_RULE_FIELDS,
    CALL_YEARS,
    MONEY,
    SHARE,
    ZERO,
    ApplicantKind,
    Call,
    ChecklistItem,
    CostCategory,
    Criterion,
    range_problem,
)
from .evaluation import Review, Score
from .reports import Expense, Report
from .settlement import Return
from .statutory import InterestRate, SmallGrantLimits

__all__ = [
    "CALL_RANGES",
    "CALL_RULE_FIELDS",
    "CALL_YEARS",
    "MONEY",
    "SHARE",
    "ZERO",
    "Activity",
    "Agreement",
    "ApplicantKind",
    "Application",
    "BudgetLine",
    "Call",
    "ChangeRequest",
    "ChecklistItem",
    "CostCategory",
    "Criterion",
    "Expense",
    "FormalCheckAnswer",
    "GroupMember",
    "Indicator",
    "InterestRate",
    "PublicComment",
    "Report",
    "Return",
    "Review",
    "Score",
    "SmallGrantLimits",
    "Tranche",
    "attachment_path",
    "range_problem",
]
