"""Helpers of the payment batch tests: a municipality with two finance users, a debit
account, unpaid payment orders, and a batch driven to the state a test needs."""

import datetime
import zoneinfo
from decimal import Decimal

from accounts.models import Role
from accounts.services import membership_grant
from finance.models import PaymentBatch, PaymentOrder
from finance.services import batches, payment_order_create
from tests.factories import OrganisationFactory, UserFactory
from tests.purchases.factories import nrb
from workflows.engine import transition_apply

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)
TODAY = NOW.date()
EXECUTION = datetime.date(2026, 11, 25)
DEBIT = nrb(990001)  # an account at sort code 10901014


def user_with(organisation, *roles):
    user = UserFactory()
    for role in roles:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


def fresh(user):
    """The same user without the cached roles, so that a request counts its queries."""
    user.__dict__.pop("_roles_by_organisation", None)
    return user


class World:
    """A municipality with two finance users, an official, a debit account and orders."""

    def __init__(self, organisation=None):
        self.organisation = organisation or OrganisationFactory(
            name="Gmina Miasto Łódka", street="ul. Ratuszowa 1", postal_code="00-950"
        )
        self.preparer = user_with(self.organisation, Role.FINANCE)
        self.approver = user_with(self.organisation, Role.FINANCE)
        self.official = user_with(self.organisation, Role.OFFICIAL)
        self.account = batches.bank_account_create(
            organisation=self.organisation, name="Rachunek wydatków", number=DEBIT
        )
        self._n = 0

    def order(self, amount="1500.00", **overrides) -> PaymentOrder:
        self._n += 1
        n = self._n
        fields = {
            "organisation": self.organisation,
            "kind": PaymentOrder.Kind.GRANT_TRANCHE,
            "source": self.official,
            "beneficiary_name": f"Stowarzyszenie Łączy Nas {n}",
            "beneficiary_address": f"ul. Żółta {n}, 00-00{n % 10} Łódka",
            "account_number": nrb(n),
            "title": f"Mikrogrant GMŁ/2026/{n} transza 1",
            "amount": Decimal(amount),
            "due_date": datetime.date(2026, 12, 1),
        }
        fields.update(overrides)
        return payment_order_create(**fields)

    def orders(self, count: int, **overrides) -> list[PaymentOrder]:
        return [self.order(**overrides) for _ in range(count)]

    def batch(self, orders, *, by=None, execution_date=EXECUTION) -> PaymentBatch:
        return batches.batch_create(
            organisation=self.organisation,
            actor=by or self.preparer,
            account=self.account,
            execution_date=execution_date,
            orders=orders,
        )

    def approved(self, orders) -> PaymentBatch:
        batch = self.batch(orders)
        return transition_apply(obj=batch, name="approve", actor=self.approver)

    def exported(self, orders) -> PaymentBatch:
        batch = self.approved(orders)
        return transition_apply(obj=batch, name="export", actor=self.preparer)
