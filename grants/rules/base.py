"""Shared helpers of the grant rules: amounts, shares, the art. 19a limits in force and
the yearly cap."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import format_amount, polish_date
from workflows.errors import GuardRefused, InvalidInput

from ..models import (
    ZERO,
    Application,
    Call,
    SmallGrantLimits,
)
from ..workflow import (
    APPROVED_STATES,
)

CENT = Decimal("0.01")


def percent(share: Decimal) -> str:
    """0.1000 -> "10", 0.0750 -> "7.5"."""
    return format(share * 100, "f").rstrip("0").rstrip(".")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Once an application is submitted, these rules decided who could apply and for how
# much; changing them would be unfair to those who applied (and to those who did not).
# The pool may grow and the submission period may lengthen; nothing else of them moves.
LOCKED_RULES = (
    "procedure",
    "min_grant",
    "max_grant",
    "min_own_share",
    "min_own_money_share",
    "allows_informal_group",
    "allows_ngo",
    "allows_resident",
    "min_group_size",
    "max_duration_days",
    "yearly_cap",
    "min_average_score",
    "tie_break",
    "metropolis_wide",
)


def locked_rule_errors(before: dict, after: dict) -> dict[str, list[str]]:
    """The refusals for changed rules (``before``/``after``: the changed fields' values)."""
    errors = {}
    refusal = _(
        "Applications have already been submitted to this call: this rule can no longer change."
    )
    for name in after:
        if name in LOCKED_RULES or name == "opens_at":
            errors[name] = [refusal]
    if "pool" in after and after["pool"] < before["pool"]:
        errors["pool"] = [
            _("Applications have already been submitted to this call: the pool may only grow.")
        ]
    if "closes_at" in after and after["closes_at"] < before["closes_at"]:
        errors["closes_at"] = [
            _(
                "Applications have already been submitted to this call: the submission "
                "period may only be extended."
            )
        ]
    return errors


def small_grant_limits_in_force(on: datetime.date) -> SmallGrantLimits:
    limits = SmallGrantLimits.in_force(on)
    if limits is None:
        raise GuardRefused(
            _(
                "No art. 19a statutory limits are recorded for %(day)s; ask the "
                "administrator to enter them."
            )
            % {"day": polish_date(on)}
        )
    return limits


def small_grant_limits_check(call: Call) -> None:
    """An art. 19a call obeys the statutory limits in force on its opening day: it may be
    stricter, never looser (refused with an error at each field that is looser)."""
    if not call.is_19a:
        return
    limits = small_grant_limits_in_force(timezone.localdate(call.opens_at))
    errors = {}
    if call.max_grant is not None and call.max_grant > limits.max_grant:
        errors["max_grant"] = [
            _("Art. 19a allows a grant of at most %(limit)s; a call may set less, never more.")
            % {"limit": format_amount(limits.max_grant)}
        ]
    if call.max_duration_days is not None and call.max_duration_days > limits.max_duration_days:
        errors["max_duration_days"] = [
            _("Art. 19a allows a task of at most %(n)d days; a call may set fewer, never more.")
            % {"n": limits.max_duration_days}
        ]
    if call.yearly_cap is not None and call.yearly_cap > limits.yearly_cap:
        errors["yearly_cap"] = [
            _(
                "Art. 19a allows at most %(limit)s to one organisation in a calendar year; a "
                "call may set less, never more."
            )
            % {"limit": format_amount(limits.yearly_cap)}
        ]
    if call.comment_period_days != limits.comment_period_days:
        errors["comment_period_days"] = [
            _("Art. 19a publishes an offer for comments for %(n)d days.")
            % {"n": limits.comment_period_days}
        ]
    if limits.ngo_only:
        not_ngo = _(
            "Art. 19a grants go only to non-governmental organisations and the entities of "
            "art. 3 ust. 3 of the act."
        )
        if call.allows_informal_group:
            errors["allows_informal_group"] = [not_ngo]
        if call.allows_resident:
            errors["allows_resident"] = [not_ngo]
    if errors:
        raise InvalidInput(field_errors=errors)


def yearly_cap_problem(application: Application, amount: Decimal) -> str | None:
    """Art. 19a ust. 4: one organisation gets at most the yearly cap a calendar year in
    this mode, across all of the grantor's calls: the call's, or the statutory one in
    force today when that is lower or the call sets none."""
    call = application.call
    cap = call.yearly_cap
    if call.is_19a:
        statutory = small_grant_limits_in_force(timezone.localdate()).yearly_cap
        cap = statutory if cap is None else min(cap, statutory)
    if cap is None or not application.nip:
        return None
    granted = (
        Application.objects.filter(
            call__organisation_id=call.organisation_id,
            call__year=call.year,
            call__procedure=call.procedure,
            nip=application.nip,
            state__in=APPROVED_STATES,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount"))["total"]
        or ZERO
    )
    if granted + amount > cap:
        return _(
            "This organisation has already been granted %(granted)s this year; with "
            "%(amount)s it would pass the yearly cap of %(cap)s."
        ) % {
            "granted": format_amount(granted),
            "amount": format_amount(amount),
            "cap": format_amount(cap),
        }
    return None
