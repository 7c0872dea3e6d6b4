"""Reads of a call's ranking and its pool: the ranking, what the pool (and, for a
metropolis-wide call split by municipality, each municipality's share) is committed to,
and the award proposals down the ranking within them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet, Sum

from accounts.models import Organisation

from ..models import (
    ZERO,
    Application,
    Call,
    PoolShare,
    Return,
)
from ..workflow import (
    APPROVED_STATES,
    ApplicationState,
)


def _tie_break(call: Call, application: Application):
    if call.tie_break == Call.TieBreak.LOWER_AMOUNT:
        return application.requested_amount
    if call.tie_break == Call.TieBreak.HIGHER_OWN_SHARE:
        total = application.total_cost + application.volunteer_value
        return -(application.own_contribution / total) if total else 0
    return application.submitted_at


def ranking(call: Call) -> list[Application]:
    """Evaluated and decided applications, best average first, then the call's
    tie-break, then the number."""
    applications = [
        a
        for a in call.applications.exclude(average_score=None).select_related("applicant")
        if a.state
        in (
            ApplicationState.EVALUATED,
            ApplicationState.APPROVED,
            ApplicationState.BUDGET_REVISION,
            ApplicationState.RESERVE,
            ApplicationState.REJECTED,
        )
    ]
    return sorted(
        applications, key=lambda a: (-a.average_score, _tie_break(call, a), a.sequence or 0)
    )


def _returned(call: Call):
    return Return.objects.filter(agreement__application__call=call, returned_on__isnull=False)


def pool_committed(call: Call) -> Decimal:
    """What the call's pool is committed to: the approved amounts, less what came back
    after settlement (unused or misused money returned), so that a freed amount can go
    to the reserve list."""
    approved = (
        call.applications.filter(state__in=APPROVED_STATES).aggregate(total=Sum("approved_amount"))[
            "total"
        ]
        or ZERO
    )
    returned = _returned(call).aggregate(total=Sum("amount"))["total"] or ZERO
    return approved - returned


def member_municipalities_of(organisation_ids) -> QuerySet[Organisation]:
    """The member municipalities of the metropolises among ``organisation_ids`` (where
    a metropolis-wide call's pool may be split), by name."""
    return Organisation.objects.filter(
        metropolis_id__in=organisation_ids, kind=Organisation.Kind.MUNICIPALITY
    ).order_by("name")


def pool_shares(call: Call) -> list[PoolShare]:
    """The split of a metropolis-wide call's pool by member municipality (none: the
    call's pool is not split)."""
    return list(PoolShare.objects.filter(call=call).select_related("municipality"))


def pool_committed_by_municipality(call: Call) -> dict[int | None, Decimal]:
    """``pool_committed`` of each municipality of the initiatives (two queries)."""
    committed: dict[int | None, Decimal] = {}
    approved = (
        call.applications.filter(state__in=APPROVED_STATES)
        .values("municipality_id")
        .annotate(total=Sum("approved_amount"))
    )
    for row in approved:
        committed[row["municipality_id"]] = row["total"] or ZERO
    returned = (
        _returned(call)
        .values(municipality_id=F("agreement__application__municipality_id"))
        .annotate(total=Sum("amount"))
    )
    for row in returned:
        key = row["municipality_id"]
        committed[key] = committed.get(key, ZERO) - (row["total"] or ZERO)
    return committed


@dataclass(frozen=True)
class ShareLeft:
    share: PoolShare
    committed: Decimal

    @property
    def left(self) -> Decimal:
        return self.share.amount - self.committed


def pool_share_left(call: Call) -> dict[int, ShareLeft]:
    """For a call whose pool is split: each municipality's share and what of it is
    committed, by municipality id (empty when the pool is not split)."""
    shares = pool_shares(call)
    if not shares:
        return {}
    committed = pool_committed_by_municipality(call)
    return {
        s.municipality_id: ShareLeft(share=s, committed=committed.get(s.municipality_id, ZERO))
        for s in shares
    }


def award_proposals(call: Call) -> list[tuple[Application, Decimal]]:
    """Down the ranking until the pool runs out; the last may get a reduced amount.
    When the pool is split by municipality, each application also fits within what is
    left of its municipality's share (a spent share skips the application, and those
    below it from other municipalities may still be proposed)."""
    left = call.pool - pool_committed(call)
    shares = {m: entry.left for m, entry in pool_share_left(call).items()}
    proposals = []
    for application in ranking(call):
        if application.state != ApplicationState.EVALUATED:
            continue
        if (
            application.average_score is not None
            and application.average_score < call.min_average_score
        ):
            continue
        if left <= ZERO:
            break
        amount = min(application.requested_amount, left)
        if shares:
            share_left = shares.get(application.municipality_id, ZERO)
            if share_left <= ZERO:
                continue
            amount = min(amount, share_left)
            shares[application.municipality_id] = share_left - amount
        proposals.append((application, amount))
        left -= amount
    return proposals
