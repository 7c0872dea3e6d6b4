"""An operator organisation's work (calls, grants, payments) is visible, read-only, to
its parent municipality's staff (``organisation_ids_readable``); an unrelated
municipality sees nothing, and the parent's staff cannot write or transition."""

import datetime
from decimal import Decimal

import pytest

import tests.grants.conftest as grant_world
from accounts.models import Organisation, Role
from accounts.permissions import organisation_ids_readable, organisation_ids_with
from accounts.services import membership_grant, organisation_create
from finance.models import PaymentOrder
from grants.models import InterestRate
from grants.workflow import AgreementState, CallState
from tests.clients import api
from tests.clients import web as browser
from tests.factories import UserFactory, _nip
from workflows.engine import transition_apply
from workflows.errors import NotPermitted

pytestmark = pytest.mark.django_db


def municipality(name: str, n: int) -> Organisation:
    return organisation_create(
        kind="municipality",
        name=name,
        short_name=name[:3].upper(),
        street="ul. Główna 1",
        postal_code="00-001",
        city="Gdzieś",
        nip=_nip(9000 + n),
    )


def staff(organisation: Organisation, *roles: str):
    user = UserFactory()
    for role in roles:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def setup(db, clock, monkeypatch):
    grant_world.small_grant_limits_ensure()
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00"))
    operator = grant_world.GrantWorld()
    parent = municipality("Gmina Nadrzędna", 1)
    Organisation.objects.filter(pk=operator.organisation.pk).update(
        kind=Organisation.Kind.OPERATOR, parent=parent
    )
    agreement = operator.agreement_in_implementation()
    with monkeypatch.context() as patch:  # a call left in draft: not public
        patch.setattr(grant_world, "transition_apply", lambda obj, **kwargs: obj)
        draft = operator.make_call(code="FS2", title="Szkic operatora")
    other = municipality("Gmina Obca", 2)
    return {
        "operator": operator,
        "parent": parent,
        "agreement": agreement,
        "draft": draft,
        "parent_official": staff(parent, Role.OFFICIAL),
        "parent_finance": staff(parent, Role.FINANCE),
        "other_official": staff(other, Role.OFFICIAL, Role.FINANCE),
    }


def ids(response) -> list[int]:
    body = response.json()
    return sorted(row["id"] for row in body.get("results", body))


def test_readable_organisations_add_the_operators_of_the_users_municipalities(setup):
    operator_id, parent_id = setup["operator"].organisation.pk, setup["parent"].pk
    official = setup["parent_official"]

    assert organisation_ids_with(official, Role.OFFICIAL) == [parent_id]
    assert organisation_ids_readable(official, Role.OFFICIAL) == sorted([parent_id, operator_id])
    assert organisation_ids_readable(official, Role.FINANCE) == []
    assert operator_id not in organisation_ids_readable(setup["other_official"], Role.OFFICIAL)
    # The operator's own staff see their own organisation only, not their parent.
    assert organisation_ids_readable(setup["operator"].official, Role.OFFICIAL) == [operator_id]


def test_the_parent_official_sees_the_operators_call_and_agreement(setup):
    official = browser(setup["parent_official"])
    draft, agreement = setup["draft"], setup["agreement"]

    assert official.get(f"/granty/nabory/{draft.pk}/").status_code == 200
    assert official.get(f"/granty/umowy/{agreement.pk}/").status_code == 200
    assert official.get(f"/granty/wnioski/{agreement.application_id}/").status_code == 200
    assert draft.pk in ids(api(setup["parent_official"]).get("/api/v1/grant-calls/"))
    assert ids(api(setup["parent_official"]).get("/api/v1/grant-agreements/")) == [agreement.pk]


def test_an_unrelated_municipality_sees_nothing_of_the_operator(setup):
    other = browser(setup["other_official"])
    draft, agreement = setup["draft"], setup["agreement"]

    assert other.get(f"/granty/nabory/{draft.pk}/").status_code == 404
    assert other.get(f"/granty/umowy/{agreement.pk}/").status_code == 404
    assert other.get(f"/granty/wnioski/{agreement.application_id}/").status_code == 404
    assert draft.pk not in ids(api(setup["other_official"]).get("/api/v1/grant-calls/"))
    assert ids(api(setup["other_official"]).get("/api/v1/grant-agreements/")) == []
    assert ids(api(setup["other_official"]).get("/api/v1/payment-orders/")) == []


def test_the_parent_official_cannot_transition_the_operators_call_or_agreement(setup):
    parent_official = setup["parent_official"]
    draft, agreement = setup["draft"], setup["agreement"]

    with pytest.raises(NotPermitted):
        transition_apply(obj=draft, name="publish", actor=parent_official)
    page = browser(parent_official).post(f"/granty/nabory/{draft.pk}/czynnosc/publish/")
    assert page.status_code == 403
    response = api(parent_official).post(
        f"/api/v1/grant-agreements/{agreement.pk}/transitions/complete/", {}, format="json"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    agreement.refresh_from_db()
    assert (draft.state, agreement.state) == (CallState.DRAFT, AgreementState.IN_IMPLEMENTATION)
    # The operator's own official may do it.
    transition_apply(obj=draft, name="publish", actor=setup["operator"].official)


def test_the_parent_finance_sees_the_operators_payment_orders_read_only(setup):
    orders = PaymentOrder.objects.filter(organisation=setup["operator"].organisation)
    expected = sorted(orders.values_list("pk", flat=True))
    assert expected  # the agreement's tranche

    assert ids(api(setup["parent_finance"]).get("/api/v1/payment-orders/")) == expected
    assert ids(api(setup["parent_official"]).get("/api/v1/payment-orders/")) == expected
