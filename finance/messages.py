"""What the finance process tells people: what happened to a payment or a batch, what
the reader must do and by when, with the amounts, the beneficiary and the account
(``notifications.messages``: rendered in the reader's language when read).
``finance.workflow`` names them in ``notify(...)``; a reason typed into a transition's
form comes from its logged payload (``Message.payload``)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from notifications.messages import Message, Money


def _order(order) -> dict:
    return {
        "title": order.title,
        "beneficiary": order.beneficiary_name,
        "amount": Money(order.amount),
        "account": order.account_number,
        "due": order.due_date,
    }


def _paid_order(order) -> dict:
    return {**_order(order), "paid_on": order.paid_on}


def _batch(batch) -> dict:
    from .models import BatchItem

    figures = batch.items.exclude(outcome=BatchItem.Outcome.REMOVED).aggregate(
        count=Count("pk"),
        total=Sum("amount"),
        paid=Count("pk", filter=Q(outcome=BatchItem.Outcome.PAID)),
        rejected=Count("pk", filter=Q(outcome=BatchItem.Outcome.REJECTED)),
    )
    return {
        "object": batch.number,
        "count": figures["count"],
        "total": Money(figures["total"] or Decimal("0.00")),
        "paid": figures["paid"],
        "rejected": figures["rejected"],
        "execution_date": batch.execution_date,
    }


ORDER_PAID = Message(
    key="finance.paymentorder.paid",
    subject=_("Paid: %(amount)s to %(beneficiary)s"),
    body=_(
        'The payment "%(title)s" of %(amount)s to %(beneficiary)s (account %(account)s) '
        "was paid on %(paid_on)s. You need do nothing more about this payment."
    ),
    values=_paid_order,
)

ORDER_CANCELLED = Message(
    key="finance.paymentorder.cancelled",
    subject=_("Payment cancelled: %(amount)s to %(beneficiary)s"),
    body=_(
        'The payment order "%(title)s" of %(amount)s to %(beneficiary)s, due on %(due)s, '
        "was cancelled.\n\nReason:\n%(reason)s\n\nIf the money is still owed, issue a new "
        "payment order from the case before %(due)s."
    ),
    values=_order,
    payload=("reason",),
)

ORDER_REJECTED = Message(
    key="finance.paymentorder.rejected",
    subject=_("Transfer rejected by the bank: %(amount)s to %(beneficiary)s"),
    body=_(
        'The bank rejected the transfer "%(title)s" of %(amount)s to %(beneficiary)s '
        "(account %(account)s).\n\nReason:\n%(reason)s\n\nThe order is back among the "
        "unpaid ones: correct the account or the beneficiary's data with the case's "
        "official and include it in a new batch; it is due on %(due)s."
    ),
    values=_order,
    payload=("reason",),
)

BATCH_APPROVED = Message(
    key="finance.paymentbatch.approved",
    subject=_("Batch %(object)s approved: %(total)s"),
    body=_(
        "The payment batch %(object)s was approved: %(count)d transfers, %(total)s in "
        "all. Export its bank file (Elixir-O) and send it to the bank before the "
        "execution date, %(execution_date)s."
    ),
    values=_batch,
)

BATCH_RETURNED = Message(
    key="finance.paymentbatch.returned",
    subject=_("Batch %(object)s returned to draft"),
    body=_(
        "The payment batch %(object)s (%(count)d transfers, %(total)s) was returned to "
        "draft.\n\nReason:\n%(reason)s\n\nCorrect it and have it approved again before "
        "the execution date, %(execution_date)s."
    ),
    values=_batch,
    payload=("reason",),
)

BATCH_PAID = Message(
    key="finance.paymentbatch.paid",
    subject=_("Batch %(object)s paid: %(total)s"),
    body=_(
        "The payment batch %(object)s is closed: %(paid)d of %(count)d transfers paid, "
        "%(rejected)d rejected by the bank, %(total)s in all. Rejected transfers are back "
        "among the unpaid orders. You need do nothing more about this batch."
    ),
    values=_batch,
)

BATCH_CANCELLED = Message(
    key="finance.paymentbatch.cancelled",
    subject=_("Batch %(object)s cancelled"),
    body=_(
        "The payment batch %(object)s was cancelled.\n\nReason:\n%(reason)s\n\nIts "
        "orders are back among the unpaid ones: put them in a new batch before their due "
        "dates."
    ),
    values=_batch,
    payload=("reason",),
)
