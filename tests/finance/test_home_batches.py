"""Issue 12: the home page lists what waits for the person: the second finance user
sees the batches waiting for their approval, the one who prepared them does not."""

import pytest
from django.test import Client

from workflows.engine import transition_apply

from .batches_support import World as FinanceWorld

pytestmark = pytest.mark.django_db


def home_of(user) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "pl"
    return client.get("/").content.decode()


def test_the_second_finance_user_sees_the_batch_waiting_for_their_approval():
    world = FinanceWorld()
    batch = world.batch(world.orders(2))

    approver, preparer = home_of(world.approver), home_of(world.preparer)

    expected = (
        f'<a href="/finanse/paczki/{batch.pk}/">Zatwierdź paczkę przelewów {batch.number}</a>'
    )
    assert expected in approver
    assert "Zatwierdź paczkę przelewów" not in preparer


def test_an_approved_batch_waits_no_more():
    world = FinanceWorld()
    batch = world.batch(world.orders(1))
    transition_apply(obj=batch, name="approve", actor=world.approver)

    assert "Zatwierdź paczkę przelewów" not in home_of(world.approver)
