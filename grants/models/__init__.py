"""Micro-grant data. The processes (states, transitions, who may do what) are in
``grants/workflow.py``; every write is in ``grants/services/``."""

from .agreements import Agreement, ChangeRequest, Tranche
from .applications import (
    Activity,
    Application,
    Attachment,
    BudgetLine,
    FormalCheckAnswer,
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
    GroupModel,
    range_problem,
)
from .evaluation import Review, Score
from .groups import (
    AdviserComment,
    Consultation,
    GroupInvoice,
    GroupMember,
    MemberConsent,
    Patronage,
    RegrantingFund,
)
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
    "AdviserComment",
    "Agreement",
    "ApplicantKind",
    "Application",
    "Attachment",
    "BudgetLine",
    "Call",
    "ChangeRequest",
    "ChecklistItem",
    "Consultation",
    "CostCategory",
    "Criterion",
    "Expense",
    "FormalCheckAnswer",
    "GroupInvoice",
    "GroupMember",
    "GroupModel",
    "Indicator",
    "InterestRate",
    "MemberConsent",
    "Patronage",
    "PublicComment",
    "RegrantingFund",
    "Report",
    "Return",
    "Review",
    "Score",
    "SmallGrantLimits",
    "Tranche",
    "attachment_path",
    "range_problem",
]
