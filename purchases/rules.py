"""The checks the purchase process's guards ask (``workflow.py`` declares the guards
with their labels; the checks live here). Each returns why a transition may not run
now, as a sentence the user can act on, or ``None`` when it may."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.formatting import format_amount


def _aggregate(purchase, *, own=None):
    """The group's aggregate; inside a transaction (a transition), under the group's
    aggregation lock, so that two admissions in one group are decided one after the
    other. Outside one (a page listing the actions) it only reads."""
    from .selectors import aggregate_for
    from .services import aggregation_lock

    if transaction.get_connection().in_atomic_block:
        aggregation_lock(purchase)
    return aggregate_for(purchase, own=own)


def under_threshold(purchase) -> str | None:
    if purchase.threshold_overridden:
        return None
    result = _aggregate(purchase)
    return None if result.admitted else result.refusal_message()


def band_exists(purchase) -> str | None:
    if purchase.threshold_overridden:
        return None
    result = _aggregate(purchase)
    if result.admitted and result.band is None:
        return str(
            _(
                "No value band of the organisation's regulation covers %(value)s on "
                "%(date)s. Ask the organisation administrator to configure the bands."
            )
            % {"value": format_amount(result.total), "date": result.on}
        )
    return None


def criteria_complete(purchase) -> str | None:
    criteria = list(purchase.criteria.all())
    if not any(c.is_price for c in criteria):
        return str(_("Add the price criterion with its weight before submitting."))
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != 100:
        return str(
            _("The weights of the award criteria add up to %(total)s; they must add up to 100.")
            % {"total": total}
        )
    return None


def funds_confirmed(purchase) -> str | None:
    if purchase.funds_confirmed_at is None:
        return str(_("Finance has not yet confirmed that the funds are planned."))
    return None


def funds_not_confirmed(purchase) -> str | None:
    if purchase.funds_confirmed_at is not None:
        return str(_("Finance has already confirmed the funds."))
    return None


def enough_invitations(purchase) -> str | None:
    band = purchase.band
    needed = band.suppliers_to_ask if band else 1
    if band is not None and band.procedure == band.Procedure.PUBLIC_INQUIRY:
        return None  # anyone may quote on the public page
    invited = purchase.invitations.count()
    if invited < needed:
        return str(
            _(
                "The %(procedure)s procedure requires inviting at least %(needed)d "
                "suppliers; %(invited)d invited."
            )
            % {"procedure": band.get_procedure_display(), "needed": needed, "invited": invited}
        )
    return None


def deadline_passed(purchase) -> str | None:
    if not purchase.offers_open:
        local = timezone.localtime(purchase.quote_deadline) if purchase.quote_deadline else None
        return str(
            _("Offers stay sealed until the deadline (%(deadline)s); evaluation starts after it.")
            % {"deadline": local.strftime("%Y-%m-%d %H:%M") if local else "-"}
        )
    return None


def has_valid_offer(purchase) -> str | None:
    if not purchase.offers.filter(rejected=False).exists():
        return str(_("There is no valid offer to award."))
    return None


def award_under_threshold(purchase) -> str | None:
    """The threshold again at the award, with the value actually ordered. Before an offer
    is chosen, the cheapest valid offer must fit (else nothing can be awarded); the award
    itself checks the chosen offer once its value is set."""
    if purchase.threshold_overridden:
        return None
    own = None
    if purchase.awarded_net is None:
        prices = [o.price_net for o in purchase.offers.filter(rejected=False)]
        if not prices:
            return None  # has_valid_offer says so
        own = min(prices) + purchase.annexes_net
    result = _aggregate(purchase, own=own)
    return None if result.admitted else result.refusal_message()


def enough_offers(purchase) -> str | None:
    band = purchase.band
    needed = band.min_offers if band else 1
    valid = purchase.offers.filter(rejected=False).count()
    if valid < needed:
        return str(
            _("The procedure requires at least %(needed)d valid offers; there are %(valid)d.")
            % {"needed": needed, "valid": valid}
        )
    return None
