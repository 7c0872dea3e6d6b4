import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.services import membership_grant
from areas.models import Area
from contracting import services
from contracting.models import ContractingModel
from grants.models import InterestRate
from tests.factories import UserFactory

D = Decimal


@pytest.fixture
def finance_user(organisation):
    user = UserFactory()
    membership_grant(user=user, organisation=organisation, role=Role.FINANCE)
    return user


@pytest.fixture
def quality():
    return ContractingModel.objects.get(organisation=None, code="quality")


@pytest.fixture
def area():
    return Area.objects.get(code="social-assistance")


@pytest.fixture
def task(official, organisation, quality, area):
    return services.task_create(
        actor=official,
        organisation=organisation,
        title="Usługi opiekuńcze w miejscu zamieszkania",
        beneficiaries="osoby starsze i niesamodzielne",
        unit="godzina usługi",
        units_per_year=D("1000"),
        beneficiaries_per_year=100,
        years=3,
        area=area,
        model=quality,
        contractor_name="Stowarzyszenie Pomocna Dłoń",
    )


@pytest.fixture
def interest_rates(db):
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=D("10.00"))
    InterestRate.objects.create(valid_from=datetime.date(2029, 1, 1), annual_rate=D("12.00"))


def option(kind, yearly_cost, units, beneficiaries, hours, own, partners, participation, risk):
    return {
        "kind": kind,
        "yearly_cost": D(yearly_cost),
        "years": 3,
        "units_per_year": D(units),
        "beneficiaries_per_year": beneficiaries,
        "volunteer_hours": D(hours),
        "own_contribution": D(own),
        "local_partners": partners,
        "participation": D(participation),
        "risk_level": risk,
        "risks": "",
    }


#: The fixture of the hand computation in test_analysis.py.
THREE_OPTIONS = [
    option("own_unit", "120000.00", "1000", 100, "0", "0.00", 0, "10", 2),
    option("micro_purchase", "100000.00", "1000", 80, "100", "5000.00", 1, "20", 3),
    option("competition_multi", "90000.00", "900", 120, "400", "10000.00", 4, "50", 2),
]
WEIGHTS = {"weight_cost": D("50"), "weight_social": D("30"), "weight_risk": D("20")}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted as written in the code (English msgids); one test per
    refusal that the law names checks the Polish text (test_pilot_and_term.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield
