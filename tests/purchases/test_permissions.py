"""Acceptance 4: for every transition the permitted role succeeds and another role gets
403; an official of another organisation gets 404."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from purchases.models import Purchase
from tests.factories import OrganisationFactory

from .factories import INVOICE, Team, deadline_in, drive, expire_deadline, purchase_draft, user_with

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Warsztaty dla innej grupy odbiorców, zaplanowane w odrębnym programie."

# transition, the transition before it on the happy path (None: a draft), who may,
# who may not, payload
CASES = [
    ("submit", None, Role.OFFICIAL, Role.UNIT_HEAD, {}),
    ("submit_with_override", None, Role.UNIT_HEAD, Role.OFFICIAL, {"justification": JUSTIFICATION}),
    ("return_for_changes", "submit", Role.UNIT_HEAD, Role.OFFICIAL, {"reason": "Popraw opis."}),
    ("confirm_funds", "submit", Role.FINANCE, Role.OFFICIAL, {}),
    ("approve", "confirm_funds", Role.UNIT_HEAD, Role.FINANCE, {}),
    ("start_quoting", "approve", Role.OFFICIAL, Role.UNIT_HEAD, "quoting"),
    ("close_quoting", "start_quoting", Role.OFFICIAL, Role.EVALUATOR, "expired"),
    ("requote", "close_quoting", Role.OFFICIAL, Role.FINANCE, "quoting"),
    ("award", "close_quoting", Role.OFFICIAL, Role.UNIT_HEAD, {"contract_form": "contract"}),
    ("start_execution", "award", Role.OFFICIAL, Role.FINANCE, {"on": "2026-03-20"}),
    ("report_delivery", "start_execution", Role.OFFICIAL, Role.EVALUATOR, {"on": "2026-06-30"}),
    (
        "accept",
        "report_delivery",
        Role.OFFICIAL,
        Role.FINANCE,
        {
            "accepted_on": "2026-07-01",
            "delivered": "9 z 10 warsztatów",
            "partial": True,
            "accepted_net": "25200.00",
            "defects": "jeden warsztat odwołany",
        },
    ),
    ("record_invoice", "accept", Role.OFFICIAL, Role.FINANCE, INVOICE),
    ("mark_paid", "record_invoice", Role.FINANCE, Role.OFFICIAL, {"on": "2026-07-10"}),
    ("close", "mark_paid", Role.OFFICIAL, Role.FINANCE, {}),
    ("cancel", "approve", Role.OFFICIAL, Role.FINANCE, {"reason": "Zmiana planów."}),
    ("cancel", "award", Role.UNIT_HEAD, Role.EVALUATOR, {"reason": "Wykonawca odmówił."}),
]
TARGETS = {
    "submit": "submitted",
    "submit_with_override": "submitted",
    "return_for_changes": "draft",
    "confirm_funds": "submitted",
    "approve": "approved",
    "start_quoting": "quoting",
    "close_quoting": "evaluating",
    "requote": "quoting",
    "award": "awarded",
    "start_execution": "in_execution",
    "report_delivery": "delivered",
    "accept": "accepted",
    "record_invoice": "invoiced",
    "mark_paid": "paid",
    "close": "closed",
    "cancel": "cancelled",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def prepared(team, group, before, payload):
    purchase = purchase_draft(
        organisation=team.organisation, official=team[Role.OFFICIAL], group=group
    )
    if before:
        purchase = drive(purchase, team, before)
    if payload == "quoting":
        payload = {
            "deadline": deadline_in(days=3).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        }
    if payload == "expired":
        expire_deadline(purchase)
        payload = {}
    return purchase, payload


@pytest.mark.parametrize(("name", "before", "allowed", "refused", "payload"), CASES)
def test_the_permitted_role_runs_the_transition(
    team, group, name, before, allowed, refused, payload
):
    purchase, payload = prepared(team, group, before, payload)

    response = client_for(team[allowed]).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/{name}/", payload, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == TARGETS[name]


@pytest.mark.parametrize(("name", "before", "allowed", "refused", "payload"), CASES)
def test_another_role_gets_403_and_nothing_changes(
    team, group, name, before, allowed, refused, payload
):
    purchase, payload = prepared(team, group, before, payload)
    state = purchase.state

    response = client_for(team[refused]).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/{name}/", payload, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Tylko ")
    assert Purchase.objects.get(pk=purchase.pk).state == state


@pytest.mark.parametrize(("name", "before", "allowed", "refused", "payload"), CASES[:6])
def test_an_official_of_another_organisation_gets_404(
    team, group, name, before, allowed, refused, payload
):
    purchase, payload = prepared(team, group, before, payload)
    stranger = user_with(OrganisationFactory(), allowed)

    response = client_for(stranger).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/{name}/", payload, format="json"
    )

    assert response.status_code == 404
