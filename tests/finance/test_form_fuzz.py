"""The queue's batch form fuzzed with what finance staff may type: never a server
error, a refusal says why and makes no batch."""

import pytest
import time_machine

from finance.models import PaymentBatch
from tests.fuzz import fuzz_form, page_client

from .batches_support import NOW, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_batch_form_never_fails_on_what_finance_types(db):
    world = World()
    orders = world.orders(2)
    base = {
        "orders": str(orders[0].pk),
        "batch": "",
        "account": str(world.account.pk),
        "execution_date": "2026-11-25",
        "note": "Transze grudniowe",
    }

    problems = fuzz_form(
        page_client(world.preparer),
        "/finanse/kolejka/",
        base,
        snapshot=lambda: list(
            PaymentBatch.objects.order_by("pk").values_list("pk", "items__order_id")
        ),
    )

    assert problems == [], problems
