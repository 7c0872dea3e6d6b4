"""After the award: the invoice and its payment order, payment, annexes."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from finance.models import BatchItem, PaymentOrder
from finance.services import budget_check, payment_order_create
from finance.workflow import PaymentState
from workflows.engine import transition_apply
from workflows.errors import Conflict, GuardRefused, InvalidInput

from ..models import (
    Annex,
    Invoice,
    Purchase,
)
from ..workflow import PurchaseState
from .needs import aggregation_lock


def _check_not_in_a_batch(purchase: Purchase) -> None:
    """The invoice's order sits in a payment batch: the batch's bank result marks the
    purchase paid, so marking it paid by hand could pay it twice."""
    order_id = (
        Invoice.objects.filter(purchase=purchase).values_list("payment_order_id", flat=True).first()
    )
    item = (
        BatchItem.objects.filter(order_id=order_id, outcome="pending")
        .select_related("batch")
        .first()
        if order_id
        else None
    )
    if item is not None:
        raise Conflict(
            _(
                "The invoice's payment order is in payment batch %(batch)s: the purchase "
                "becomes paid when the bank's result for that batch is recorded, so it "
                "cannot be marked paid by hand."
            )
            % {"batch": item.batch.number}
        )


def invoice_order_paid(order: PaymentOrder, actor: User | None) -> None:
    """A payment batch paid the invoice's order: the purchase moves to paid with the
    bank's date (its ``order_paid`` hook, ``purchases.hooks``)."""
    if order.kind != PaymentOrder.Kind.INVOICE:
        return
    invoice = Invoice.objects.filter(payment_order=order).select_related("purchase").first()
    if invoice is None or invoice.purchase.state != PurchaseState.INVOICED:
        return
    transition_apply(
        obj=invoice.purchase, name="mark_paid", actor=actor, payload={"on": order.paid_on}
    )


def invoice_order_pay(*, purchase: Purchase, actor: User | None, paid_on: datetime.date) -> None:
    """The purchase is paid (its ``mark_paid``): so is its invoice's payment order, unless
    a payment batch holds it (the bank's result pays both) or it is paid already."""
    _check_not_in_a_batch(purchase)
    invoice = Invoice.objects.filter(purchase=purchase).select_related("payment_order").first()
    order = invoice.payment_order if invoice else None
    if order is not None and order.state == PaymentState.ORDERED:
        transition_apply(obj=order, name="mark_paid", actor=actor, payload={"paid_on": paid_on})


def _check_payable(purchase: Purchase) -> None:
    supplier = purchase.awarded_offer.supplier if purchase.awarded_offer_id else None
    if supplier is None:
        return
    if not supplier.bank_account or not supplier.address:
        raise InvalidInput(
            _(
                "Add the bank account and address of %(supplier)s in the supplier registry "
                "before recording the invoice: the payment order needs them."
            )
            % {"supplier": supplier.name}
        )


def invoice_record(
    *,
    purchase: Purchase,
    actor: User,
    number: str,
    issued_on: datetime.date,
    sale_on: datetime.date,
    received_on: datetime.date,
    net: Decimal,
    vat: Decimal,
    gross: Decimal,
    due_on: datetime.date,
) -> Invoice:
    """The purchase's invoice and the payment order that pays it (its ``record_invoice``)."""
    _check_payable(purchase)
    supplier = purchase.awarded_offer.supplier
    order = payment_order_create(
        organisation=purchase.organisation,
        kind=PaymentOrder.Kind.INVOICE,
        source=purchase,
        beneficiary_name=supplier.name,
        beneficiary_address=supplier.address,
        account_number=supplier.bank_account,
        title=_("Invoice %(number)s, %(purchase)s")
        % {"number": number, "purchase": purchase.number},
        amount=gross,
        due_date=due_on,
        classification=purchase.classification,
        actor=actor,
    )
    return Invoice.objects.create(
        purchase=purchase,
        number=number,
        issued_on=issued_on,
        sale_on=sale_on,
        received_on=received_on,
        net=net,
        vat=vat,
        gross=gross,
        due_on=due_on,
        payment_order=order,
        recorded_by=actor,
    )


@transaction.atomic
def annex_add(
    *,
    purchase: Purchase,
    actor: User,
    number: str,
    signed_on: datetime.date,
    net_change: Decimal,
    gross_change: Decimal,
    reason: str,
) -> Annex:
    """An annex raising the awarded value; the group's aggregate stays under the
    threshold (unless overridden) and the budget plan line covers the raise."""
    from ..selectors import aggregate_for

    # The purchase's row first, then the group's lock: the order transitions take them in.
    purchase = (
        Purchase.objects.select_for_update(of=("self",)).select_related("group").get(pk=purchase.pk)
    )
    aggregation_lock(purchase)
    if purchase.state not in (
        PurchaseState.AWARDED,
        PurchaseState.IN_EXECUTION,
        PurchaseState.DELIVERED,
        PurchaseState.ACCEPTED,
    ):
        raise Conflict(_("An annex can be added between the award and the invoice."))
    if net_change <= 0 or gross_change < net_change:
        raise InvalidInput(
            field_errors={
                "net_change": [_("An annex raises the value: net above 0, gross not below net.")]
            }
        )
    purchase.annexes_net += net_change
    purchase.annexes_gross += gross_change
    if not purchase.threshold_overridden:
        result = aggregate_for(purchase)
        if not result.admitted:
            raise GuardRefused(result.refusal_message())
    budget_check(
        organisation_id=purchase.organisation_id,
        year=purchase.year,
        classification=purchase.classification,
        amount=gross_change,
    )
    purchase.save(update_fields=["annexes_net", "annexes_gross"])
    return Annex.objects.create(
        purchase=purchase,
        number=number,
        signed_on=signed_on,
        net_change=net_change,
        gross_change=gross_change,
        reason=reason,
        created_by=actor,
    )
