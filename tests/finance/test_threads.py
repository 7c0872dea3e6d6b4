"""Threads share the model classes: a batch's bank file downloaded by many requests at
once, while other threads run transitions and reload objects, never fails.

django-fsm's ``refresh_from_db`` lifted the protection of the state field by flipping a
flag on the field, which every thread shares; a request that loaded a deferred field
(the bank file) while another thread put the flag back failed with "Direct state
modification is not allowed" (a 500 under gunicorn with threads)."""

import pytest

from finance.models import PaymentBatch
from finance.selectors.batches import batches_for
from tests.clients import api
from tests.concurrency import run_concurrently
from workflows.engine import transition_apply

from .batches_support import World

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24


def test_the_bank_file_downloads_at_once_from_many_threads_with_transitions_between(clock):
    world = World()
    batch = world.exported(world.orders(2))
    expected = bytes(PaymentBatch.objects.get(pk=batch.pk).file_content)
    orders = world.orders(THREADS // 4)
    url = f"/api/v1/payment-batches/{batch.pk}/file/"

    def download():
        responses = [api(world.preparer).get(url) for _ in range(3)]
        return [(r.status_code, r.content) for r in responses]

    def reload_deferred():
        # What the page and the API do: a batch without its file, the file read later.
        for _ in range(20):
            lazy = batches_for(user=world.preparer).get(pk=batch.pk)
            assert bytes(lazy.file_content) == expected
            lazy.refresh_from_db()
        return "reloaded"

    def pay(order):
        return lambda: (
            transition_apply(
                obj=order, name="mark_paid", actor=world.preparer, payload={"paid_on": "2026-11-20"}
            ).state
        )

    functions = (
        [download] * (THREADS // 2)
        + [reload_deferred] * (THREADS // 4)
        + [pay(order) for order in orders]
    )
    outcomes = run_concurrently(functions)

    errors = [value for kind, value in outcomes if kind == "error"]
    assert errors == []
    downloads = [value for kind, value in outcomes[: THREADS // 2]]
    assert downloads == [[(200, expected)] * 3] * (THREADS // 2)
    assert outcomes[THREADS // 2 : 3 * THREADS // 4] == [("ok", "reloaded")] * (THREADS // 4)
    assert outcomes[3 * THREADS // 4 :] == [("ok", "paid")] * (THREADS // 4)
