"""Factories of the purchase process: rules (bands, groups), suppliers and purchases
driven through the services to the state a test needs."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from stdnum import iban

from accounts.models import Role
from accounts.services import membership_grant
from purchases import services
from purchases.models import SameKindGroup, Supplier, ThresholdSetting, ValueBand
from tests.factories import UserFactory, _nip
from workflows.engine import transition_apply


def nrb(n: int) -> str:
    bban = f"10901014{n:016d}"
    return iban.calc_check_digits("PL00" + bban) + bban


def user_with(organisation, *roles):
    user = UserFactory()
    for role in roles:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


DEMO_BANDS = [
    # lower, upper, procedure, suppliers to ask, minimum offers
    (Decimal("0.00"), Decimal("20000.00"), ValueBand.Procedure.DIRECT, 1, 1),
    (Decimal("20000.00"), Decimal("50000.00"), ValueBand.Procedure.PRICE_SURVEY, 3, 1),
    (Decimal("50000.00"), Decimal("130000.00"), ValueBand.Procedure.PUBLIC_INQUIRY, 0, 1),
]


def threshold_ensure() -> None:
    """The threshold row of migration 0002: transactional tests flush the database, and
    pytest-django runs them after the others, so later ones need it back."""
    ThresholdSetting.objects.get_or_create(
        valid_from=datetime.date(2021, 1, 1), defaults={"net_amount": Decimal("130000.00")}
    )


def bands_create(organisation, valid_from=datetime.date(2021, 1, 1)) -> list[ValueBand]:
    threshold_ensure()
    return [
        ValueBand.objects.create(
            organisation=organisation,
            valid_from=valid_from,
            lower_net=lower,
            upper_net=upper,
            procedure=procedure,
            suppliers_to_ask=ask,
            min_offers=minimum,
            publication_days=7,
            required_documents=["estimate_note", "order", "acceptance_protocol"],
            regulation="Zarządzenie nr 1/2026",
        )
        for lower, upper, procedure, ask, minimum in DEMO_BANDS
    ]


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SameKindGroup

    name = factory.Sequence(lambda n: f"Warsztaty edukacyjne i kulturalne {n}")
    cpv_codes = ["80500000-9", "92300000-4"]


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    kind = Supplier.Kind.NGO
    name = factory.Sequence(lambda n: f"Stowarzyszenie Sąsiedzkie {n}")
    nip = factory.Sequence(lambda n: _nip(n + 5000))
    bank_account = factory.Sequence(nrb)
    address = "ul. Lipowa 3, 00-002 Testowo"
    email = factory.Sequence(lambda n: f"dostawca{n}@example.org")


def need(**overrides) -> dict:
    """The fields of a need, as ``purchase_create`` takes them."""
    fields = {
        "requesting_unit": "Wydział Spraw Społecznych",
        "title": "Warsztaty dla seniorów",
        "expected_result": "10 warsztatów dla 15 seniorów z raportem frekwencji",
        "cpv_code": "80500000-9",
        "estimated_net": Decimal("30000.00"),
        "vat_rate": "23",
        "estimation_method": "Rozeznanie cen trzech organizacji z 2025 r.",
        "estimated_on": datetime.date(2026, 3, 1),
        "estimated_by": "Anna Nowak",
        "legal_basis": "social_service",
        "planned_start": datetime.date(2026, 4, 1),
        "planned_end": datetime.date(2026, 6, 30),
    }
    fields.update(overrides)
    return fields


def purchase_draft(*, organisation, official, group, **overrides):
    return services.purchase_create(
        organisation=organisation, actor=official, group=group, **need(**overrides)
    )


def deadline_in(**delta):
    return timezone.now() + datetime.timedelta(**delta)


ROLES = (Role.OFFICIAL, Role.UNIT_HEAD, Role.FINANCE, Role.EVALUATOR)


INVOICE = {
    "number": "FV 7/2026",
    "issued_on": "2026-07-02",
    "sale_on": "2026-06-30",
    "received_on": "2026-07-03",
    "net": "28000.00",
    "vat": "6440.00",
    "gross": "34440.00",
    "due_on": "2026-07-16",
}

# (state reached, who acts, transition, payload)
PATH = [
    ("submitted", Role.OFFICIAL, "submit", {}),
    ("submitted", Role.FINANCE, "confirm_funds", {}),
    ("approved", Role.UNIT_HEAD, "approve", {}),
    ("quoting", Role.OFFICIAL, "start_quoting", None),
    ("evaluating", Role.OFFICIAL, "close_quoting", {}),
    ("awarded", Role.OFFICIAL, "award", {"contract_form": "order"}),
    ("in_execution", Role.OFFICIAL, "start_execution", {"on": "2026-03-20"}),
    ("delivered", Role.OFFICIAL, "report_delivery", {"on": "2026-06-30"}),
    (
        "accepted",
        Role.OFFICIAL,
        "accept",
        {"accepted_on": "2026-07-01", "delivered": "10 warsztatów", "partial": False},
    ),
    ("invoiced", Role.OFFICIAL, "record_invoice", INVOICE),
    ("paid", Role.FINANCE, "mark_paid", {"on": "2026-07-10"}),
    ("closed", Role.OFFICIAL, "close", {}),
]


class Team:
    """One user per role in an organisation, and its suppliers."""

    def __init__(self, organisation, suppliers=None):
        self.organisation = organisation
        self.users = {role: user_with(organisation, role) for role in ROLES}
        self.suppliers = suppliers or SupplierFactory.create_batch(3, organisation=organisation)

    def __getitem__(self, role):
        return self.users[role]


def expire_deadline(purchase) -> None:
    """Test shortcut: move the deadline for offers into the past."""
    from purchases.models import Purchase

    Purchase.objects.filter(pk=purchase.pk).update(
        quote_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )


def drive(purchase, team: Team, last: str):
    """Run the happy path on a draft up to and including transition ``last``,
    submitting three offers (28 000, 29 000, 30 000 net) before the deadline passes."""
    from purchases.models import Purchase

    for _state, role, name, payload in PATH:
        if name == "start_quoting":
            payload = {
                "deadline": deadline_in(hours=1).isoformat(),
                "suppliers": [s.pk for s in team.suppliers],
            }
        if name == "close_quoting":
            for i, invitation in enumerate(purchase.invitations.select_related("supplier")):
                net = Decimal("28000.00") + i * 1000
                services.offer_submit(
                    invitation=invitation, price_net=net, price_gross=net * Decimal("1.23")
                )
            expire_deadline(purchase)
        purchase = transition_apply(
            obj=Purchase.objects.get(pk=purchase.pk),
            name=name,
            actor=team[role],
            payload=dict(payload),
        )
        if name == last:
            return purchase
    raise ValueError(last)
