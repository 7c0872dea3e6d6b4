"""Every write operation of the published schema, sent a JSON body that is not an
object, answers 400 with the message (or 403/404 where the role or the object stops the
request first), never a server error. The operations come from the schema, so a new
one is covered without touching this test."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.services import membership_grant
from tests.factories import UserFactory

from .conftest import openapi_schema

NOT_OBJECTS = [[], ["a"], "text", 7, None, True]
MESSAGE = 'Treść żądania musi być obiektem JSON ({"pole": wartość}).'

# Operations whose body is read only once an object this world does not hold is found
# (a recorded return); they must still answer without a server error.
BODY_NOT_REACHED = {
    ("post", "/api/v1/grant-agreements/{id}/returns/{return_id}/record/"),
}


def _targets(world) -> dict:
    """Per resource: who acts on which object (the path's ``{id}`` and its siblings)."""
    w = world
    item = w.batch.items.first()
    admin, member = UserFactory(), UserFactory()
    membership_grant(user=admin, organisation=w.organisation, role=Role.ORG_ADMIN)
    membership_grant(user=member, organisation=w.organisation, role=Role.EVALUATOR)
    return {
        "grant-calls": [(w.official, {"id": w.grants.call.pk, "name": "close"})],
        "grant-applications": [
            (w.resident, {"id": w.draft.pk, "name": "submit"}),
            (w.official, {"id": w.submitted.pk, "name": "pass_formal_check"}),
        ],
        "grant-reviews": [(w.evaluator, {"id": w.reviews[0].pk, "name": "submit"})],
        "grant-agreements": [
            (w.resident, {"id": w.agreement.pk, "name": "complete", "change_id": 1}),
            (w.official, {"id": w.agreement.pk, "name": "terminate", "return_id": 999999}),
        ],
        "grant-reports": [
            (w.resident, {"id": w.report.pk, "name": "submit", "agreement_id": w.agreement.pk}),
            (w.official, {"id": w.report.pk, "expense_id": w.report.expenses.first().pk}),
        ],
        "purchases": [(w.official, {"id": w.purchase_draft.pk, "name": "submit"})],
        "purchase-offers": [(w.official, {"id": w.purchase_evaluating.offers.first().pk})],
        "suppliers": [(w.official, {"id": w.team.suppliers[0].pk})],
        "payment-orders": [(w.finance, {"id": w.orders[1].pk, "name": "cancel"})],
        "payment-batches": [
            (w.finance, {"id": w.batch.pk, "name": "approve", "item_id": item.pk}),
        ],
        "budget-plan-lines": [(w.finance, {"id": w.plan_line.pk})],
        "budget-overrides": [(w.finance, {})],
        "exports": [(w.finance, {})],
        "organisations": [(admin, {"id": w.organisation.pk, "user_pk": member.pk})],
        "attachments": [(w.resident, {})],
    }


def _write_operations():
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                yield method, path, "requestBody" in operation


def test_every_write_operation_answers_a_non_object_body_with_400(api_world):
    targets = _targets(api_world)
    operations = list(_write_operations())
    assert len(operations) >= 40  # the schema was read
    unreached = []  # operations where no one got as far as reading the body
    for method, path, takes_body in operations:
        resource = path.split("/")[3]
        assert resource in targets, f"no target for {path}: add one to _targets"
        statuses = set()
        for user, params in targets[resource]:
            client = APIClient()
            client.force_authenticate(user)
            url = path.format(**{k: params.get(k, 999999) for k in _names(path)})
            for body in NOT_OBJECTS:
                response = getattr(client, method)(
                    url, data=json.dumps(body), content_type="application/json"
                )
                statuses.add(response.status_code)
                if takes_body:
                    assert response.status_code in (400, 403, 404), (method, url, body)
                    if response.status_code == 400:
                        assert response.json() == {"detail": MESSAGE}, (method, url, body)
                else:  # an operation without a body (an action) may ignore it
                    assert response.status_code < 500, (method, url, body)
        if takes_body and 400 not in statuses:
            unreached.append((method, path))
    assert set(unreached) == BODY_NOT_REACHED


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


@pytest.mark.parametrize(
    "body", [{"answers": [1]}, {"answers": {"x": True}}, {"answers": "yes"}], ids=str
)
def test_the_formal_check_refuses_answers_of_a_wrong_shape(grant_world, body):
    client = APIClient()
    client.force_authenticate(grant_world.official)
    submitted = grant_world.submitted()

    response = client.post(
        f"/api/v1/grant-applications/{submitted.pk}/formal-check/", body, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["answers"]
