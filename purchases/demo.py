"""Demo data of this process for ``make run``: the demo municipality's value bands and
same-kind groups, four suppliers, and purchases in every state of the process,
including a draft the threshold guard refuses.

Everything goes through the services and the engine, as users would do it. The
purchases that are past their quoting asked for offers ``DAYS_AGO`` days ago: the loader
plays that part of their story at that moment (``_days_ago``), so their deadlines have
passed when it is back at today, where the system opens the offers as its timer does
(``close_quoting`` run by the system) and the rest follows, dated today at the latest.
Nothing waits on the clock.
"""

import contextlib
import datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from accounts.demo import demo_load as accounts_demo_load
from accounts.models import User
from finance.services import classification_load_sample
from workflows.engine import transition_apply
from workflows.errors import GuardRefused

from . import services
from .models import Purchase, SameKindGroup, Supplier, ValueBand
from .workflow import PurchaseState

# Pozostałe zadania w zakresie kultury, zakup usług pozostałych.
CLASSIFICATION = "921-92105-4300"
BANDS = [
    # lower, upper, procedure, suppliers to ask, minimum offers, documents
    (
        "0.00",
        "20000.00",
        ValueBand.Procedure.DIRECT,
        1,
        1,
        ["estimate_note", "order", "acceptance_protocol"],
    ),
    (
        "20000.00",
        "50000.00",
        ValueBand.Procedure.PRICE_SURVEY,
        3,
        1,
        [
            "estimate_note",
            "request_for_quotation",
            "selection_note",
            "order",
            "acceptance_protocol",
        ],
    ),
    (
        "50000.00",
        "130000.00",
        ValueBand.Procedure.PUBLIC_INQUIRY,
        0,
        1,
        [
            "estimate_note",
            "request_for_quotation",
            "selection_note",
            "order",
            "acceptance_protocol",
        ],
    ),
]
SUPPLIERS = [
    {
        "kind": Supplier.Kind.NGO,
        "name": "Stowarzyszenie Aktywni Sąsiedzi",
        "nip": "7010000005",
        "krs": "0000123456",
        "bank_account": "61109010140000071219812874",
        "address": "ul. Lipowa 3, 00-950 Przykładowo",
        "email": "aktywni@example.org",
        "reserved_art361": True,
    },
    {
        "kind": Supplier.Kind.SOCIAL_ECONOMY,
        "name": "Spółdzielnia Socjalna Razem",
        "nip": "1234563218",
        "bank_account": "40109010140000300201355387",
        "address": "ul. Polna 8, 00-951 Przykładowo",
        "email": "razem@example.org",
        "reserved_art94": True,
    },
    {
        "kind": Supplier.Kind.COMPANY,
        "name": "Pracownia Warsztatowa sp. z o.o.",
        "nip": "5252248481",
        "bank_account": "59109010140000261395100000",
        "address": "ul. Rzemieślnicza 12, 00-952 Przykładowo",
        "email": "pracownia@example.org",
    },
    {
        "kind": Supplier.Kind.INFORMAL_GROUP,
        "name": "Grupa nieformalna Podwórko",
        "bank_account": "67109010140003123456789123",
        "address": "ul. Ogrodowa 1/2, 00-953 Przykładowo",
        "email": "podworko@example.org",
    },
]
# title, group key, net estimate, the state it should reach
PURCHASES = [
    ("Cykl warsztatów ceramicznych", "workshops", "9000.00", PurchaseState.CLOSED),
    ("Warsztaty teatralne dla młodzieży", "workshops", "7000.00", PurchaseState.PAID),
    ("Warsztaty kulinarne dla seniorów", "workshops", "6000.00", PurchaseState.INVOICED),
    ("Zajęcia plastyczne w świetlicy", "workshops", "5000.00", PurchaseState.ACCEPTED),
    ("Warsztaty fotograficzne", "workshops", "5000.00", PurchaseState.DELIVERED),
    ("Warsztaty cyfrowe dla seniorów", "workshops", "4000.00", PurchaseState.IN_EXECUTION),
    ("Zajęcia muzyczne dla dzieci", "workshops", "4000.00", PurchaseState.AWARDED),
    ("Warsztaty rękodzieła", "workshops", "3000.00", PurchaseState.EVALUATING),
    ("Warsztaty ogrodnicze", "workshops", "5000.00", PurchaseState.QUOTING),
    ("Warsztaty taneczne", "workshops", "6000.00", PurchaseState.APPROVED),
    ("Warsztaty historyczne", "workshops", "8000.00", PurchaseState.SUBMITTED),
    ("Warsztaty literackie", "workshops", "10000.00", PurchaseState.DRAFT),
    ("Całoroczny program warsztatów", "workshops", "80000.00", "refused"),
    ("Festyn sąsiedzki na osiedlu", "events", "15000.00", PurchaseState.CANCELLED),
]


def _rules(municipality, year: int) -> dict:
    if not ValueBand.objects.filter(organisation=municipality).exists():
        for lower, upper, procedure, ask, minimum, documents in BANDS:
            ValueBand.objects.create(
                organisation=municipality,
                # In force since the previous year: the demo's quoting, played ten days
                # back, may fall in it (a demo loaded in early January).
                valid_from=datetime.date(year - 1, 1, 1),
                lower_net=Decimal(lower),
                upper_net=Decimal(upper),
                procedure=procedure,
                suppliers_to_ask=ask,
                min_offers=minimum,
                publication_days=7,
                required_documents=documents,
                regulation="Zarządzenie nr 12/2026 Prezydenta Miasta Przykładowo",
            )
    workshops, _ = SameKindGroup.objects.get_or_create(
        organisation=municipality,
        name="Warsztaty edukacyjne i kulturalne",
        defaults={"cpv_codes": ["80500000-9", "92300000-4"]},
    )
    events, _ = SameKindGroup.objects.get_or_create(
        organisation=municipality,
        name="Wydarzenia sąsiedzkie",
        defaults={"cpv_codes": ["79952000-2"]},
    )
    return {"workshops": workshops, "events": events}


def _suppliers(municipality) -> list[Supplier]:
    suppliers = []
    for fields in SUPPLIERS:
        existing = Supplier.objects.filter(organisation=municipality, email=fields["email"]).first()
        suppliers.append(existing or services.supplier_create(organisation=municipality, **fields))
    return suppliers


DAYS_AGO = 10  # when the purchases past their quoting asked for offers
QUOTING_DAYS = 7  # their deadline, days after that
AFTER_QUOTING = {
    PurchaseState.EVALUATING,
    PurchaseState.AWARDED,
    PurchaseState.IN_EXECUTION,
    PurchaseState.DELIVERED,
    PurchaseState.ACCEPTED,
    PurchaseState.INVOICED,
    PurchaseState.PAID,
    PurchaseState.CLOSED,
}


@contextlib.contextmanager
def _days_ago(days: int):
    """Play part of the story as it happened ``days`` ago: ``timezone.now`` answers that
    moment (and ticks on), so deadlines set then have passed once the loader is back."""
    real_now = timezone.now
    shift = datetime.timedelta(days=days)
    with mock.patch.object(timezone, "now", lambda: real_now() - shift):
        yield


def run(*, purchase, name, actor, payload=None):
    return transition_apply(obj=purchase, name=name, actor=actor, payload=payload)


def demo_load() -> None:
    """Load this process's demo data; running it again changes nothing."""
    municipality = accounts_demo_load()["municipality"]
    if Purchase.objects.filter(organisation=municipality, title=PURCHASES[0][0]).exists():
        return
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@example.org")}
    official, head, finance = users["urzednik"], users["kierownik"], users["ksiegowosc"]
    today = timezone.localdate()
    year = today.year
    groups = _rules(municipality, year)
    suppliers = _suppliers(municipality)
    classification = classification_load_sample(year=year)[CLASSIFICATION]

    def create(title, group, net, extra_criterion=False):
        return _purchase_create(
            municipality, official, classification, year, title, group, net, extra_criterion
        )

    def reach(purchase, target):
        return _purchase_reach(purchase, target, official=official, finance=finance, head=head)

    quoted = []  # purchases whose deadline for offers has passed
    refused = []
    for title, group_key, net, target in PURCHASES:
        past = target in AFTER_QUOTING
        with _days_ago(DAYS_AGO) if past else contextlib.nullcontext():
            purchase = create(title, groups[group_key], net, extra_criterion=target == "evaluating")
            if target == PurchaseState.DRAFT:
                continue
            if target == "refused":
                refused.append(purchase)  # submitted last, when the awards are known
                continue
            if target == PurchaseState.CANCELLED:
                purchase = run(purchase=purchase, name="submit", actor=official)
                run(
                    purchase=purchase,
                    name="cancel",
                    actor=head,
                    payload={"reason": "Wydarzenie przeniesione do budżetu obywatelskiego."},
                )
                continue
            purchase = reach(purchase, target)
            if target in (PurchaseState.SUBMITTED, PurchaseState.APPROVED):
                continue
            days = QUOTING_DAYS if past else 14
            purchase = run(
                purchase=purchase,
                name="start_quoting",
                actor=official,
                payload={
                    "deadline": (timezone.now() + datetime.timedelta(days=days)).isoformat(),
                    "suppliers": [s.pk for s in suppliers[:3]],
                },
            )
            if past:
                _offers_submit(purchase, net)
                quoted.append((purchase, target))

    for purchase, target in quoted:
        # The deadline has passed: the system opens and scores the offers, as its timer does.
        purchase = transition_apply(obj=purchase, name="close_quoting", actor=None)
        _after_quoting(purchase, target, official=official, finance=finance, today=today)
    for purchase in refused:
        with contextlib.suppress(GuardRefused):  # the draft's page shows the refusal
            run(purchase=purchase, name="submit", actor=official)


def _purchase_create(
    municipality, official, classification, year, title, group, net, extra_criterion
):
    """A draft of the demo: one price criterion, or price and experience."""
    criteria = [{"name": "cena", "weight": 100, "is_price": True}]
    if extra_criterion:
        criteria = [
            {"name": "cena", "weight": 70, "is_price": True},
            {
                "name": "doświadczenie",
                "weight": 30,
                "description": "liczba przeprowadzonych warsztatów",
            },
        ]
    return services.purchase_create(
        organisation=municipality,
        actor=official,
        requesting_unit="Wydział Spraw Społecznych",
        title=title,
        expected_result=f"{title}: 8 spotkań dla co najmniej 12 uczestników, "
        "z listą obecności i krótkim raportem",
        group=group,
        cpv_code=group.cpv_codes[0],
        estimated_net=Decimal(net),
        vat_rate="zw",
        estimation_method="Ceny z ofert trzech organizacji z poprzedniego roku",
        estimated_on=timezone.localdate() - datetime.timedelta(days=7),
        estimated_by="Urzędnik Demo",
        classification=classification,
        legal_basis=Purchase.LegalBasis.SOCIAL_SERVICE,
        planned_start=datetime.date(year, 3, 1),
        planned_end=datetime.date(year, 11, 30),
        criteria=criteria,
    )


def _purchase_reach(purchase, target, *, official, finance, head):
    """Submit; unless only submitted is wanted, finance confirms and the head approves."""
    purchase = run(purchase=purchase, name="submit", actor=official)
    if target == PurchaseState.SUBMITTED:
        return purchase
    purchase = run(purchase=purchase, name="confirm_funds", actor=finance)
    return run(purchase=purchase, name="approve", actor=head)


def _offers_submit(purchase: Purchase, net: str) -> None:
    """Each invited supplier offers a little more than the last (and scores higher on the
    other criteria), so the demo's evaluation has something to weigh."""
    for i, invitation in enumerate(purchase.invitations.select_related("supplier")):
        price = (Decimal(net) * (Decimal("0.90") + Decimal(i) / 20)).quantize(Decimal("0.01"))
        answers = {str(c.pk): str(10 + 5 * i) for c in purchase.criteria.all() if not c.is_price}
        services.offer_submit(
            invitation=invitation, price_net=price, price_gross=price, answers=answers
        )


def _after_quoting(purchase, target, *, official, finance, today) -> None:
    """From the opened offers to ``target``: every date today (the demo's own today), the
    invoice due in 14 days and paid today."""
    steps = [
        (PurchaseState.AWARDED, official, "award", {"contract_form": "order"}),
        (PurchaseState.IN_EXECUTION, official, "start_execution", {"on": today}),
        (PurchaseState.DELIVERED, official, "report_delivery", {"on": today}),
        (
            PurchaseState.ACCEPTED,
            official,
            "accept",
            {
                "accepted_on": today,
                "delivered": "8 spotkań, 14 uczestników, raport z listą obecności",
                "partial": False,
                "defects": "",
            },
        ),
        (PurchaseState.INVOICED, official, "record_invoice", None),
        (PurchaseState.PAID, finance, "mark_paid", {"on": today}),
        (PurchaseState.CLOSED, official, "close", {}),
    ]
    if target == PurchaseState.EVALUATING:
        return
    for state, actor, name, payload in steps:
        if name == "record_invoice":
            purchase.refresh_from_db()
            payload = {
                "number": f"FV {purchase.pk}/{today.year}",
                "issued_on": today,
                "sale_on": today,
                "received_on": today,
                "net": purchase.awarded_net,
                "vat": Decimal("0.00"),
                "gross": purchase.awarded_gross,
                "due_on": today + datetime.timedelta(days=14),
            }
        purchase = run(purchase=purchase, name=name, actor=actor, payload=payload)
        if state == target:
            return
