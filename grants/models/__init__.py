"""Micro-grant data. The processes (states, transitions, who may do what) are in
``grants/workflow.py``; every write is in ``grants/services/``."""

from .agreements import Agreement, Annex, ChangeRequest, SignedCopy, Tranche
from .applications import (
    OFFER_FIELDS,
    Activity,
    Application,
    BudgetLine,
    CostType,
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
    OfferForm,
    PoolShare,
    range_problem,
)
from .committee import ProtocolSignOff
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
from .reports import Expense, PartialReport, Report
from .settlement import Return
from .statutory import InterestRate, SmallGrantLimits

__all__ = [
    "CALL_RANGES",
    "CALL_RULE_FIELDS",
    "CALL_YEARS",
    "MONEY",
    "OFFER_FIELDS",
    "SHARE",
    "ZERO",
    "Activity",
    "AdviserComment",
    "Agreement",
    "Annex",
    "ApplicantKind",
    "Application",
    "BudgetLine",
    "Call",
    "ChangeRequest",
    "ChecklistItem",
    "Consultation",
    "CostCategory",
    "CostType",
    "Criterion",
    "Expense",
    "FormalCheckAnswer",
    "GroupInvoice",
    "GroupMember",
    "GroupModel",
    "Indicator",
    "InterestRate",
    "MemberConsent",
    "OfferForm",
    "PartialReport",
    "Patronage",
    "PoolShare",
    "ProtocolSignOff",
    "PublicComment",
    "RegrantingFund",
    "Report",
    "Return",
    "Review",
    "Score",
    "SignedCopy",
    "SmallGrantLimits",
    "Tranche",
    "attachment_path",
    "range_problem",
]
