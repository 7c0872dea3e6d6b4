"""The tables the law sets and the administrator keeps (interest on tax arrears, the
art. 19a limits): each new value is a new row from a date, never an edit of the past,
since returns and calls already computed with the old one."""

from django.db import transaction

from accounts.models import User
from workflows.audit import audit_record, snapshot

from ..models import InterestRate, SmallGrantLimits

INTEREST_RATE_FIELDS = ("valid_from", "annual_rate")
SMALL_GRANT_LIMIT_FIELDS = (
    "valid_from",
    "max_grant",
    "max_duration_days",
    "yearly_cap",
    "comment_period_days",
    "ngo_only",
    "legal_basis",
)


@transaction.atomic
def interest_rate_add(*, actor: User, **fields) -> InterestRate:
    rate = InterestRate(**{name: fields[name] for name in INTEREST_RATE_FIELDS})
    rate.full_clean()
    rate.save()
    audit_record(
        obj=rate,
        actor=actor,
        action="interest_rate_add",
        before={},
        after=snapshot(rate, INTEREST_RATE_FIELDS),
    )
    return rate


@transaction.atomic
def small_grant_limits_add(*, actor: User, **fields) -> SmallGrantLimits:
    limits = SmallGrantLimits(**{name: fields[name] for name in SMALL_GRANT_LIMIT_FIELDS})
    limits.full_clean()
    limits.save()
    audit_record(
        obj=limits,
        actor=actor,
        action="small_grant_limits_add",
        before={},
        after=snapshot(limits, SMALL_GRANT_LIMIT_FIELDS),
    )
    return limits
