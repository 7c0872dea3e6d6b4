"""Property-based fuzzing of the published OpenAPI schema (schemathesis): a few
generated requests per operation, as an official, a resident and a finance user, with a
world of data present. No answer may be a server error, and every answer must be what
the schema says (a documented status code, its content type and its body's schema).

The world is made once for the module and each operation's test runs in a savepoint
inside it, so the whole run stays within a few minutes. Hypothesis is derandomized: the
same requests every run, so a failure is reproducible and CI is not flaky."""

import json

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from tests.conftest import NOW

from .conftest import ApiWorld, openapi_schema

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _loaded_schema():
    document = json.loads(OpenApiJsonRenderer().render(openapi_schema()))
    # Generated fuzzing only: the coverage phase would send every boundary case of every
    # field, whatever max-examples says, far beyond this test's budget.
    config = SchemathesisConfig.from_dict(
        {
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "generation": {"max-examples": 3},
            "seed": 11,
        }
    )
    loaded = schemathesis.openapi.from_dict(document, config=config)
    loaded.app = get_wsgi_application()
    return loaded


schema = _loaded_schema()


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The API world and the three callers' tokens, made once and rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    # Requests go through the WSGI handler in this thread and transaction, so the
    # handler must not close the connection after each (Django's test client does this).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(NOW):
                from grants.models import InterestRate

                InterestRate.objects.create(
                    valid_from=NOW.date().replace(month=1, day=1), annual_rate="10.00"
                )
                world = ApiWorld()
                tokens = {
                    who: Token.objects.create(user=getattr(world, who)).key
                    for who in ("official", "resident", "finance")
                }
            yield world, tokens
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _ids(world) -> dict[str, int]:
    """A real object per resource, so that detail operations reach the code, not a 404."""
    return {
        "grant-calls": world.grants.call.pk,
        "grant-applications": world.submitted.pk,
        "grant-reviews": world.reviews[0].pk,
        "grant-agreements": world.agreement.pk,
        "grant-reports": world.report.pk,
        "purchases": world.purchase_evaluating.pk,
        "purchase-offers": world.purchase_evaluating.offers.first().pk,
        "suppliers": world.team.suppliers[0].pk,
        "purchase-groups": world.group.pk,
        "value-bands": world.group.organisation.value_bands.first().pk,
        "payment-orders": world.orders[0].pk,
        "payment-batches": world.batch.pk,
        "budget-classifications": world.classification.pk,
        "budget-plan-lines": world.plan_line.pk,
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, fuzz_world):
    world, tokens = fuzz_world
    resource = case.path.split("/")[3]
    real = _ids(world).get(resource)
    for token in tokens.values():
        if real is not None and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = real
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
