"""What the grant process tells people: each message says what happened, what the
reader must do and by when, with the figures (amounts, deadlines, the text of a
correction request, the account to return money to).

The texts are msgids; the values are taken from the object when the transition
happens and kept with the message, which is rendered in the reader's language when
read (``notifications.messages``). ``grants.workflow`` and ``grants.workflow_groups``
name them in ``notify(...)``; ``tests/notifications`` checks that none of their notices
falls back to the generic one.

- ``applications``: the call's closing and the application, from receipt to decision.
- ``evaluation``: the evaluators' declarations, refusals and reviews.
- ``agreements``: the agreement, its final report and a group's invoices.
"""

from .agreements import (
    AGREEMENT_CLOSED,
    AGREEMENT_COMPLETED,
    AGREEMENT_GENERATED,
    AGREEMENT_SENT,
    AGREEMENT_SETTLED,
    AGREEMENT_SIGNED,
    GROUP_INVOICE_APPROVED,
    GROUP_INVOICE_REJECTED,
    REPORT_ACCEPTED,
    REPORT_CORRECTIONS,
    REPORT_SUBMITTED,
    TERMINATED,
)
from .applications import (
    APPROVED,
    BUDGET_REVISED,
    COMMENT_PERIOD_ENDED,
    CORRECTIONS_MISSED,
    CORRECTIONS_REQUESTED,
    EVALUATED,
    PASSED_FORMAL_CHECK,
    PUBLISHED_FOR_COMMENT,
    REJECTED,
    REJECTED_FORMALLY,
    RESERVED,
    RESUBMITTED,
    SUBMISSIONS_CLOSED,
    SUBMITTED,
    WITHDRAWN,
)
from .evaluation import REVIEW_DECLARED, REVIEW_DECLINED, REVIEW_SUBMITTED

__all__ = [
    "AGREEMENT_CLOSED",
    "AGREEMENT_COMPLETED",
    "AGREEMENT_GENERATED",
    "AGREEMENT_SENT",
    "AGREEMENT_SETTLED",
    "AGREEMENT_SIGNED",
    "APPROVED",
    "BUDGET_REVISED",
    "COMMENT_PERIOD_ENDED",
    "CORRECTIONS_MISSED",
    "CORRECTIONS_REQUESTED",
    "EVALUATED",
    "GROUP_INVOICE_APPROVED",
    "GROUP_INVOICE_REJECTED",
    "PASSED_FORMAL_CHECK",
    "PUBLISHED_FOR_COMMENT",
    "REJECTED",
    "REJECTED_FORMALLY",
    "REPORT_ACCEPTED",
    "REPORT_CORRECTIONS",
    "REPORT_SUBMITTED",
    "RESERVED",
    "RESUBMITTED",
    "REVIEW_DECLARED",
    "REVIEW_DECLINED",
    "REVIEW_SUBMITTED",
    "SUBMISSIONS_CLOSED",
    "SUBMITTED",
    "TERMINATED",
    "WITHDRAWN",
]
