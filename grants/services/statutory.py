"""The tables the law sets and the administrator keeps (interest on tax arrears, the
art. 19a limits): each new value is a new row from a date, never an edit of the past,
since returns and calls already computed with the old one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workflows.audit import audit_record, snapshot
from workflows.errors import InvalidInput

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


def _row_add(model, names, *, actor: User, action: str, fields: dict):
    row = model(**{name: fields[name] for name in names})
    row.full_clean()
    row.save()
    audit_record(obj=row, actor=actor, action=action, before={}, after=snapshot(row, names))
    return row


def interest_rate_date_check(valid_from) -> None:
    """``InvalidInput`` at ``valid_from`` when a new rate would start in the past."""
    today = timezone.localdate()
    if valid_from is not None and valid_from < today:
        raise InvalidInput(
            field_errors={
                "valid_from": [
                    _("A new rate takes effect today (%(today)s) or later, never in the past.")
                    % {"today": today.isoformat()}
                ]
            }
        )


@transaction.atomic
def interest_rate_add(*, actor: User, **fields) -> InterestRate:
    """A new rate from ``valid_from``, today or later: interest already computed with
    the rate in force stays as it was."""
    interest_rate_date_check(fields.get("valid_from"))
    return _row_add(
        InterestRate, INTEREST_RATE_FIELDS, actor=actor, action="interest_rate_add", fields=fields
    )


@transaction.atomic
def small_grant_limits_add(*, actor: User, **fields) -> SmallGrantLimits:
    return _row_add(
        SmallGrantLimits,
        SMALL_GRANT_LIMIT_FIELDS,
        actor=actor,
        action="small_grant_limits_add",
        fields=fields,
    )
