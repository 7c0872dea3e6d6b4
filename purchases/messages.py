"""What the purchase process tells people: what happened, what the reader must do and
by when, with the values (``notifications.messages``: rendered in the reader's
language when read). ``purchases.workflow`` names them in ``notify(...)``."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import Line, Message, Money, Number


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


def _approved(purchase) -> dict:
    band = purchase.band
    if band is not None:
        offers = Line(
            _(
                "Requesting official: ask for offers on the purchase's page (%(procedure)s; "
                "suppliers to invite: at least %(suppliers)d)."
            ),
            {
                # The label's msgid, translated when read (not the writer's language).
                "procedure": band.Procedure(band.procedure).label,
                "suppliers": band.suppliers_to_ask,
            },
        )
    else:
        offers = Line(_("Requesting official: ask for offers on the purchase's page."), {})
    return {**_need(purchase), "offers": offers}


def _offers_opened(purchase) -> dict:
    offers = list(purchase.offers.select_related("supplier"))
    best = purchase.best_offer()
    if best is not None:
        line = Line(
            _("The best scored: %(supplier)s, %(net)s net, %(gross)s gross, %(score)s points."),
            {
                "supplier": best.supplier.name,
                "net": Money(best.price_net),
                "gross": Money(best.price_gross),
                "score": Number(best.score),
            },
        )
    else:
        line = Line(_("No offer is valid."), {})
    return {
        "object": purchase.number,
        "title": purchase.title,
        "deadline": purchase.quote_deadline,
        "offers": len(offers),
        "valid": sum(1 for offer in offers if not offer.rejected),
        "best": line,
    }


def _accepted(purchase) -> dict:
    if purchase.acceptance_partial:
        extent = Line(_("Accepted in part."), {})
    else:
        extent = Line(_("Accepted in full."), {})
    if purchase.acceptance_defects:
        defects = Line(_("Defects found: %(defects)s"), {"defects": purchase.acceptance_defects})
    else:
        defects = Line(_("No defects were found."), {})
    return {
        **_award(purchase),
        "accepted_on": purchase.accepted_on,
        "accepted": Money(purchase.accepted_net),
        "awarded": Money(purchase.contract_net),
        "extent": extent,
        "defects": defects,
    }


def _invoice(purchase) -> dict:
    invoice = purchase.invoice
    order = invoice.payment_order
    return {
        "object": purchase.number,
        "title": purchase.title,
        "supplier": order.beneficiary_name if order else "",
        "account": order.account_number if order else "",
        "invoice": invoice.number,
        "issued_on": invoice.issued_on,
        "net": Money(invoice.net),
        "vat": Money(invoice.vat),
        "gross": Money(invoice.gross),
        "due": invoice.due_on,
    }


def _paid(purchase) -> dict:
    return {**_invoice(purchase), "paid_on": purchase.paid_on}


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

FUNDS_CONFIRMED = _message(
    "purchases.purchase.funds_confirmed",
    _("Purchase %(object)s: funds confirmed, approve it"),
    _(
        'Finance confirmed that the funds for the need %(object)s "%(title)s" (%(unit)s) '
        "are planned: %(net)s net, %(gross)s gross estimated. Approve the purchase or "
        "return it for changes."
    ),
    _need,
)

APPROVED = _message(
    "purchases.purchase.approved",
    _("Purchase %(object)s approved: %(net)s net"),
    _(
        'The unit head approved the purchase %(object)s "%(title)s": %(net)s net, '
        "%(gross)s gross estimated, planned from %(start)s to %(end)s.\n\n%(offers)s\n"
        "Finance: you need do nothing now; you will get a message when the order is "
        "awarded."
    ),
    _approved,
)

OFFERS_OPENED = _message(
    "purchases.purchase.offers_opened",
    _("Purchase %(object)s: offers opened, received: %(offers)d"),
    _(
        'The deadline for offers on the purchase %(object)s "%(title)s" passed on '
        "%(deadline)s. Offers received: %(offers)d, of them valid: %(valid)d. %(best)s\n\n"
        "Check the scores and award the order on the purchase's page or, if no offer is "
        "valid, ask for offers again."
    ),
    _offers_opened,
)

ACCEPTED = _message(
    "purchases.purchase.accepted",
    _("Purchase %(object)s: delivery accepted, %(accepted)s net"),
    _(
        'The delivery of the purchase %(object)s "%(title)s" by %(supplier)s was accepted '
        "on %(accepted_on)s: %(accepted)s net of the %(awarded)s net awarded. %(extent)s "
        "%(defects)s\n\nThe supplier may now invoice it. You need do nothing yet: when the "
        "invoice is recorded, you will get a message with the amount to pay and by when."
    ),
    _accepted,
)

INVOICED = _message(
    "purchases.purchase.invoiced",
    _("Invoice %(invoice)s to pay: %(gross)s by %(due)s"),
    _(
        "The invoice %(invoice)s of %(supplier)s, issued on %(issued_on)s, for the "
        'purchase %(object)s "%(title)s" was recorded: %(net)s net, %(vat)s VAT, %(gross)s '
        "gross, due by %(due)s. A payment order of %(gross)s to %(supplier)s (account "
        "%(account)s) was made.\n\nPay it by %(due)s: include the order in a payment "
        "batch (the bank's result then marks the purchase paid) or, if it is paid "
        "otherwise, mark the purchase paid."
    ),
    _invoice,
)

PAID = _message(
    "purchases.purchase.paid",
    _("Purchase %(object)s paid: %(gross)s"),
    _(
        'The invoice %(invoice)s of %(supplier)s for the purchase %(object)s "%(title)s", '
        "%(gross)s gross, was paid on %(paid_on)s. Close the file on the purchase's page; "
        "nothing else is left to do."
    ),
    _paid,
)
