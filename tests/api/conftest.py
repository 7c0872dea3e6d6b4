"""An API world: municipality A with an object of every kind (calls, applications,
reviews, an agreement and its report, purchases with offers, payment orders, a batch,
a plan line), municipality B with its own staff and objects, an operator organisation
with an official, and residents. Everything is made through the real services."""

import datetime
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Organisation, Role
from grants import services as grant_services
from grants.models import Call, InterestRate
from tests.factories import OrganisationFactory, UserFactory
from tests.finance.batches_support import World as FinanceWorld
from tests.finance.budget_support import classification, plan
from tests.grants.conftest import GrantWorld
from tests.purchases.factories import (
    GroupFactory,
    SupplierFactory,
    Team,
    bands_create,
    drive,
    purchase_draft,
    user_with,
)
from workflows.engine import transition_apply


class ApiWorld:
    def __init__(self):
        grants = self.grants = GrantWorld()
        a = self.organisation = grants.organisation
        self.official = grants.official
        self.evaluator = grants.evaluators[0]
        self.finance = grants.finance
        self.resident = grants.resident
        self.unit_head = grants.member(Role.UNIT_HEAD)

        # Grants of A: an agreement running (with a draft report), an application being
        # evaluated (its first review declared), a submitted one and a draft.
        self.agreement = grants.agreement_in_implementation()
        self.report = grant_services.report_save(
            agreement=self.agreement,
            actor=self.resident,
            narrative="Ogród rośnie.",
            expenses=[
                {
                    "document_number": "FV 1/2026",
                    "document_date": datetime.date(2026, 11, 20),
                    "issuer": "Sklep Ogrodniczy",
                    "purpose": "Sadzonki",
                    "budget_line_id": self.agreement.application.budget_lines.first().pk,
                    "amount": Decimal("100.00"),
                    "from_grant": Decimal("100.00"),
                }
            ],
        )
        self.in_evaluation = grants.formally_accepted()
        self.reviews = grant_services.reviews_assign(
            application=self.in_evaluation, evaluators=grants.evaluators, actor=self.official
        )
        self.reviews[0] = transition_apply(
            obj=self.reviews[0], name="declare", actor=self.evaluator
        )
        self.submitted = grants.submitted()
        self.draft = grants.draft()
        self.draft_call = self._draft_call(a, self.official, "FS-DRAFT")

        # Purchases of A: a draft and one being evaluated with three offers.
        bands_create(a)
        self.group = GroupFactory(organisation=a)
        self.team = Team(a)
        self.purchase_draft = purchase_draft(
            organisation=a, official=self.official, group=self.group
        )
        self.purchase_evaluating = drive(
            purchase_draft(organisation=a, official=self.official, group=self.group),
            self.team,
            "close_quoting",
        )

        # Finance of A: two unpaid orders, one of them in a batch, and a plan line.
        self.finance_world = FinanceWorld(organisation=a)
        self.orders = self.finance_world.orders(2)
        self.batch = self.finance_world.batch([self.orders[0]], by=self.finance)
        self.classification = classification("921-92105-2360")
        self.plan_line = plan(a, self.classification, "50000.00", self.finance)

        # Municipality B: its staff, a draft call, a purchase and a payment order.
        b = self.organisation_b = OrganisationFactory(name="Gmina Druga")
        self.official_b = user_with(b, Role.OFFICIAL)
        self.finance_b = user_with(b, Role.FINANCE)
        self.evaluator_b = user_with(b, Role.EVALUATOR)
        self.call_b = self._draft_call(b, self.official_b, "B1")
        bands_create(b, valid_from=datetime.date(2021, 1, 1))
        self.purchase_b = purchase_draft(
            organisation=b, official=self.official_b, group=GroupFactory(organisation=b)
        )
        self.supplier_b = SupplierFactory(organisation=b)
        self.order_b = FinanceWorld(organisation=b).order()

        # An operator organisation's official and a second resident.
        operator = OrganisationFactory(kind=Organisation.Kind.OPERATOR, name="Operator")
        self.operator = user_with(operator, Role.OFFICIAL)
        self.resident_b = UserFactory(email="sasiad@example.org")

    @staticmethod
    def _draft_call(organisation, official, code) -> Call:
        now = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
        return grant_services.call_create(
            organisation=organisation,
            actor=official,
            procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
            code=code,
            title=f"Nabór {code}",
            year=2026,
            pool=Decimal("10000.00"),
            max_grant=Decimal("5000.00"),
            max_duration_days=60,
            opens_at=now + datetime.timedelta(days=5),
            closes_at=now + datetime.timedelta(days=20),
            criteria=[{"name": "Wartość", "max_points": 10}],
        )

    def users(self) -> dict:
        return {
            "resident": self.resident,
            "resident_b": self.resident_b,
            "official": self.official,
            "evaluator": self.evaluator,
            "finance": self.finance,
            "unit_head": self.unit_head,
            "official_b": self.official_b,
            "finance_b": self.finance_b,
            "operator": self.operator,
        }


@pytest.fixture
def api_world(db, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00"))
    return ApiWorld()


@pytest.fixture
def grant_world(db, clock):
    """Only municipality A's grants (``tests/grants``' world): cheaper than the API world."""
    return GrantWorld()


def openapi_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)
