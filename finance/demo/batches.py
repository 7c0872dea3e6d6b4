"""Demo data of payment batches for ``make run``: the demo municipality's debit account
and a batch in each state, made through the real services and engine so that each
carries its history. Running it again changes nothing.

The grants and purchases demos leave one unpaid order (the invoice of the purchase in
"invoiced"), too few for five batches, so this loader orders eight more transfers with
``payment_order_create``: invoices of firms that are no applicant of the grants demo
(a grant tranche would have to come from an agreement, and the demo's applicants whose
applications are only submitted must not be paid). Their *source* is the municipality
itself (a neutral demo source: no agreement or purchase is touched, so the other
processes' demo data and their settlement stay as they are). Whatever is paid is paid
on the loader's today, never later.

- P/…/0001 paid: three transfers, two paid and one rejected by the bank;
- P/…/0002 cancelled: its two orders went back to the queue;
- P/…/0003 approved: one of those orders and the transfer rejected in 0001;
- P/…/0004 exported: the purchase's invoice and the other cancelled order, waiting
  for the bank (so the purchase stays "invoiced" until its result is recorded);
- P/…/0005 draft: two orders; one more waits in the queue.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from workflows.engine import transition_apply

from ..models import PaymentBatch, PaymentOrder
from ..services import batches, payment_order_create
from ..workflow import PaymentState

ACCOUNT = ("Rachunek bieżący wydatków", "57102010260000150201234567")
# beneficiary, address, account, title, amount
ORDERS = [
    (
        "Drukarnia Przykładowo s.c.",
        "ul. Zielona 4, 00-950 Przykładowo",
        "61109010140000071219812874",
        "Faktura (demo) FV 101: druk plakatów",
        "1800.00",
    ),
    (
        "Szkółka Roślin Zieleń sp. z o.o.",
        "ul. Parkowa 2, 00-951 Przykładowo",
        "40109010140000300201355387",
        "Faktura (demo) FV 102: sadzonki do parku",
        "2400.00",
    ),
    (
        "Pracownia Placów Zabaw sp. z o.o.",
        "ul. Szkolna 9, 00-952 Przykładowo",
        "59109010140000261395100000",
        "Faktura (demo) FV 103: naprawa placu zabaw",
        "3100.50",
    ),
    (
        "Usługi Porządkowe Czysto s.c.",
        "ul. Rzeczna 1, 00-953 Przykładowo",
        "67109010140003123456789123",
        "Faktura (demo) FV 104: sprzątanie brzegów",
        "950.00",
    ),
    (
        "Ośrodek Edukacji Leśnej sp. z o.o.",
        "ul. Leśna 7, 00-954 Przykładowo",
        "61109010140000071219812874",
        "Faktura (demo) FV 105: zajęcia przyrodnicze",
        "1200.00",
    ),
    (
        "Pracownia Rękodzieła Polna s.c.",
        "ul. Polna 8, 00-955 Przykładowo",
        "40109010140000300201355387",
        "Faktura (demo) FV 106: materiały na warsztaty",
        "1650.00",
    ),
    (
        "Kino Objazdowe sp. z o.o.",
        "ul. Młyńska 3, 00-956 Przykładowo",
        "59109010140000261395100000",
        "Faktura (demo) FV 107: kino plenerowe",
        "2750.00",
    ),
    (
        "Ogrody Społeczne s.c.",
        "ul. Ogrodowa 1/2, 00-957 Przykładowo",
        "67109010140003123456789123",
        "Faktura (demo) FV 108: ogród społeczny",
        "800.00",
    ),
]


@transaction.atomic
def load() -> None:
    municipality = Organisation.objects.get(nip="5260250274")
    if PaymentBatch.objects.filter(organisation=municipality).exists():
        return
    preparer = User.objects.get(email="ksiegowosc@example.org")
    approver = User.objects.get(email="skarbnik@example.org")
    official = User.objects.get(email="urzednik@example.org")
    today = timezone.localdate()
    account = municipality.bank_accounts.filter(number=ACCOUNT[1]).first()
    account = account or batches.bank_account_create(
        organisation=municipality, name=ACCOUNT[0], number=ACCOUNT[1]
    )
    orders = [
        payment_order_create(
            organisation=municipality,
            kind=PaymentOrder.Kind.INVOICE,
            source=municipality,
            beneficiary_name=name,
            beneficiary_address=address,
            account_number=number,
            title=title,
            amount=Decimal(amount),
            due_date=today + datetime.timedelta(days=7 + i),
            actor=official,
        )
        for i, (name, address, number, title, amount) in enumerate(ORDERS)
    ]
    invoice = (  # the purchases demo's invoice
        PaymentOrder.objects.filter(
            organisation=municipality, kind=PaymentOrder.Kind.INVOICE, state=PaymentState.ORDERED
        )
        .exclude(pk__in=[order.pk for order in orders])
        .first()
    )

    def create(batch_orders, days=1):
        return batches.batch_create(
            organisation=municipality,
            actor=preparer,
            account=account,
            execution_date=today + datetime.timedelta(days=days),
            orders=batch_orders,
        )

    def run(batch, name, actor, **payload):
        return transition_apply(obj=batch, name=name, actor=actor, payload=payload)

    # 0001: paid, with one transfer rejected by the bank.
    paid = create(orders[0:3], days=0)
    paid = run(run(paid, "approve", approver), "export", preparer)
    items = list(paid.items.order_by("pk"))
    batches.batch_results_record(
        batch=paid,
        actor=approver,
        results=[
            batches.ItemResult(items[0].pk, "paid", paid_on=today),
            batches.ItemResult(
                items[1].pk, "rejected", reason="Rachunek odbiorcy nie istnieje (kod AC01)."
            ),
            batches.ItemResult(items[2].pk, "paid", paid_on=today),
        ],
    )
    # 0002: cancelled before the bank saw it.
    cancelled = create(orders[3:5])
    run(cancelled, "cancel", preparer, reason="Zła data wykonania; paczka przygotowana od nowa.")
    # 0003: approved, with the transfer the bank rejected in 0001.
    run(create([orders[3], orders[1]], days=2), "approve", approver)
    # 0004: exported, waiting for the bank's results.
    waiting = [orders[4], *([invoice] if invoice else [])]
    run(run(create(waiting, days=2), "approve", approver), "export", preparer)
    # 0005: a draft; the last order waits in the queue.
    create(orders[5:7], days=3)
