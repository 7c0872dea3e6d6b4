"""Payments: each tranche of a signed agreement becomes a payment order."""

from django.utils.translation import gettext as _

from accounts.models import User
from finance.models import PaymentOrder
from finance.services import payment_order_create

from ..models import (
    Agreement,
    GroupModel,
)
from .groups import grant_beneficiary


def tranches_order_payment(agreement: Agreement, *, actor: User) -> None:
    """Inside the sign transition: each tranche becomes a payment order, to the patron
    under the patron model; under "the operator pays" no money goes to the group (its
    approved invoices become payment orders to the sellers instead)."""
    application = agreement.application
    if application.call.group_model == GroupModel.OPERATOR_PAYS:
        return
    name, address, account = grant_beneficiary(application)
    for number, tranche in enumerate(agreement.tranches.all(), start=1):
        tranche.payment_order = payment_order_create(
            organisation=agreement.organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE,
            source=tranche,
            beneficiary_name=name,
            beneficiary_address=address,
            account_number=account,
            title=_("Grant %(number)s, tranche %(n)d") % {"number": agreement.number, "n": number},
            amount=tranche.amount,
            due_date=tranche.due_date,
            classification=application.call.classification,
            actor=actor,
        )
        tranche.save(update_fields=["payment_order"])
