"""Payments: each tranche of a signed agreement becomes a payment order."""

from django.utils.translation import gettext as _

from accounts.models import User
from finance.models import PaymentOrder
from finance.services import payment_order_create

from ..models import (
    Agreement,
)


def tranches_order_payment(agreement: Agreement, *, actor: User) -> None:
    """Inside the sign transition: each tranche becomes a payment order."""
    application = agreement.application
    for number, tranche in enumerate(agreement.tranches.all(), start=1):
        tranche.payment_order = payment_order_create(
            organisation=agreement.organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE,
            source=tranche,
            beneficiary_name=application.applicant_name,
            beneficiary_address=application.address,
            account_number=application.account_number,
            title=_("Grant %(number)s, tranche %(n)d") % {"number": agreement.number, "n": number},
            amount=tranche.amount,
            due_date=tranche.due_date,
            classification=application.call.classification,
            actor=actor,
        )
        tranche.save(update_fields=["payment_order"])
