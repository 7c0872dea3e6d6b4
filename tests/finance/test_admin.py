"""The finance admin shows records and changes none: a payment order's amount and
account, a bank account, a plan line change only through their services."""

from decimal import Decimal

import pytest
import time_machine

from accounts.models import Role
from finance.models import BankAccount
from tests.clients import web

from .batches_support import NOW, World, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def superuser(db):
    world = World()
    user = user_with(world.organisation, Role.FINANCE)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return world, user


def test_the_payment_order_change_form_does_not_allow_editing_the_amount(superuser):
    world, user = superuser
    order = world.order(amount="1234.50")
    account = order.account_number
    url = f"/admin/finance/paymentorder/{order.pk}/change/"

    page = web(user).get(url)
    posted = web(user).post(
        url, {"amount": "99999.00", "account_number": "0" * 26, "title": order.title}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="amount"' not in html and 'name="account_number"' not in html
    assert order.title in html
    assert posted.status_code == 403
    order.refresh_from_db()
    assert (order.amount, order.account_number) == (Decimal("1234.50"), account)


@pytest.mark.parametrize(
    "model", ["paymentorder", "bankaccount", "budgetplanline", "budgetoverride", "paymentbatch"]
)
def test_no_finance_record_is_added_in_the_admin(superuser, model):
    _world, user = superuser

    assert web(user).get(f"/admin/finance/{model}/add/").status_code == 403


def test_a_bank_account_is_not_changed_in_the_admin(superuser):
    world, user = superuser
    url = f"/admin/finance/bankaccount/{world.account.pk}/change/"

    posted = web(user).post(url, {"name": "Inne", "number": "0" * 26, "active": "on"})

    assert posted.status_code == 403
    assert BankAccount.objects.get(pk=world.account.pk).name == world.account.name
