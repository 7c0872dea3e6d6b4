"""Rows of the settlement register (rejestr rozliczeń) for purchases: one per purchase
that reached the award (zamówienie udzielone), whatever happened to it since.

``purchase_settlement_rows`` returns purchases annotated with the register's columns
(``finance.settlements.COLUMNS`` names them and joins these rows with those of
grants). A purchase has at most one invoice and the invoice one payment order, so its
row is plain joins: the ordered amount is the awarded gross value with its annexes,
the payment is the invoice's payment order once paid, and the acceptance date is the
day of the acceptance protocol.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    F,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat

from finance.settlements import budget_code
from finance.workflow import PaymentState

from .models import Purchase
from .models.purchases import register_date

MONEY = DecimalField(max_digits=14, decimal_places=2)


def purchase_settlement_rows(*, organisation_ids) -> QuerySet[Purchase]:
    """Awarded purchases of these organisations with the register's columns annotated,
    and ``group_ref`` and ``classification_ref`` to filter on."""
    paid = {"invoice__payment_order__state": PaymentState.PAID}
    return (
        Purchase.objects.filter(organisation_id__in=organisation_ids, awarded_at__isnull=False)
        .alias(group_ref=F("group_id"), classification_ref=F("classification_id"))
        .annotate(
            process=Value("purchase", output_field=CharField()),
            source_id=F("pk"),
            organisation_name=F("organisation__short_name"),
            ref_no=F("number"),
            ref_date=register_date(),
            subject=F("title"),
            programme=F("group__name"),
            beneficiary=F("awarded_offer__supplier__name"),
            nip=F("awarded_offer__supplier__nip"),
            regon=F("awarded_offer__supplier__regon"),
            krs=F("awarded_offer__supplier__krs"),
            account=F("awarded_offer__supplier__bank_account"),
            budget_code=budget_code("classification__"),
            granted=F("awarded_gross") + F("annexes_gross"),
            paid=Case(
                When(**paid, then=F("invoice__payment_order__amount")),
                default=Value(Decimal("0.00")),
                output_field=MONEY,
            ),
            paid_first=Case(
                When(**paid, then=F("invoice__payment_order__paid_on")),
                default=None,
                output_field=DateField(),
            ),
            paid_last=Case(
                When(**paid, then=F("invoice__payment_order__paid_on")),
                default=None,
                output_field=DateField(),
            ),
            status=Concat(Value("purchase:"), F("state"), output_field=CharField()),
            invoice_no=F("invoice__number"),
            invoice_net=F("invoice__net"),
            invoice_vat=F("invoice__vat"),
            invoice_gross=F("invoice__gross"),
            acceptance_date=F("accepted_on"),
        )
    )
