"""What the purchase process tells people: what happened, what the reader must do and
by when, with the values (``notifications.messages``: rendered in the reader's
language when read). ``purchases.workflow`` names them in ``notify(...)``."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import Message, Money


def _need(purchase) -> dict:
    return {
        "object": purchase.number,
        "title": purchase.title,
        "unit": purchase.requesting_unit,
        "net": Money(purchase.estimated_net),
        "gross": Money(purchase.estimated_gross),
        "start": purchase.planned_start,
        "end": purchase.planned_end,
    }


def _override(purchase) -> dict:
    return {
        **_need(purchase),
        "aggregated": Money(purchase.aggregated_net or purchase.estimated_net),
        "justification": purchase.threshold_override,
    }


def _award(purchase) -> dict:
    offer = purchase.awarded_offer
    return {
        "object": purchase.number,
        "title": purchase.title,
        "supplier": offer.supplier.name if offer else "",
        "net": Money(purchase.awarded_net),
        "gross": Money(purchase.awarded_gross),
        "end": purchase.planned_end,
    }


def _cancel(purchase) -> dict:
    return {"object": purchase.number, "title": purchase.title, "reason": purchase.cancel_reason}


def _message(key, subject, body, values) -> Message:
    return Message(key=key, subject=subject, body=body, values=values)


SUBMITTED = _message(
    "purchases.purchase.submitted",
    _("Purchase %(object)s submitted: %(net)s net"),
    _(
        'The need %(object)s "%(title)s" (%(unit)s) was submitted: estimated at %(net)s '
        "net, %(gross)s gross, planned from %(start)s to %(end)s. Finance: confirm the "
        "funds are planned. Unit head: then approve it or return it for changes."
    ),
    _need,
)

OVERRIDDEN = _message(
    "purchases.purchase.submitted_with_override",
    _("Purchase %(object)s submitted above the threshold"),
    _(
        'The unit head submitted the need %(object)s "%(title)s" although the aggregated '
        "value of its group reaches %(aggregated)s, at or above the procurement "
        "threshold.\n\nJustification:\n%(justification)s\n\nFinance: confirm the funds "
        "(%(net)s net). Keep the justification with the file."
    ),
    _override,
)

AWARDED = _message(
    "purchases.purchase.awarded",
    _("Purchase %(object)s awarded to %(supplier)s: %(gross)s"),
    _(
        'The order %(object)s "%(title)s" was awarded to %(supplier)s for %(net)s net, '
        "%(gross)s gross, to be delivered by %(end)s. Finance: commit %(gross)s; the "
        "invoice follows the acceptance."
    ),
    _award,
)

CANCELLED = _message(
    "purchases.purchase.cancelled",
    _("Purchase %(object)s cancelled"),
    _(
        'The purchase %(object)s "%(title)s" was cancelled.\n\nReason:\n%(reason)s\n\n'
        "Its value no longer counts towards its group; nothing more is to be done."
    ),
    _cancel,
)

RETURNED = Message(
    key="purchases.purchase.returned_for_changes",
    subject=_("Purchase %(object)s returned for changes"),
    body=_(
        'The unit head returned the need %(object)s "%(title)s" (%(net)s net) for '
        "changes.\n\nReason:\n%(reason)s\n\nChange the need as asked and submit it again; "
        "the funds are confirmed again after that."
    ),
    values=_need,
    payload=("reason",),
)
