"""Payment batches in a browser: one finance user puts orders from the queue into a
batch, a second approves and exports it, the bank's results are recorded row by row;
axe reports no WCAG 2.1 A/AA violation on any page."""

import datetime

import pytest
from django.utils import timezone

from finance.models import PaymentBatch, PaymentOrder
from tests.finance.batches_support import World

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_finance_users_pay_a_batch_and_the_bank_rejects_one_transfer(
    page, accessible, live_server
):
    world = World()
    first, second, _waiting = world.orders(3)
    execution = timezone.localdate() + datetime.timedelta(days=2)

    sign_in(page, live_server, world.preparer)
    page.goto("/finanse/kolejka/")
    accessible(page)
    page.get_by_label(f"Zapłać „{first.title}”").check()
    page.get_by_label(f"Zapłać „{second.title}”").check()
    page.get_by_label("rachunek do obciążenia").select_option(value=str(world.account.pk))
    page.get_by_label("data wykonania").fill(execution.isoformat())
    page.get_by_role("button", name="Dodaj do paczki").click()
    page.wait_for_load_state()
    batch = PaymentBatch.objects.get()
    assert page.get_by_role("heading", name=f"Paczka przelewów {batch.number}").is_visible()
    accessible(page)

    sign_in(page, live_server, world.approver)
    page.goto(f"/finanse/paczki/{batch.pk}/")
    for action in ("Zatwierdź paczkę", "Wyeksportuj plik dla banku (Elixir-O)"):
        page.get_by_role("link", name=action).click()
        accessible(page)
        page.get_by_role("button", name=action).click()
        page.wait_for_load_state()
        assert page.get_by_text(f"Wykonano: {action}.").is_visible(), page.content()
    assert page.get_by_role("link", name="Plik dla banku (Elixir-O)").is_visible()
    accessible(page)

    rejected = page.locator("form", has_text=first.title)
    rejected.get_by_label("odrzucony przez bank").check()
    rejected.get_by_label("powód odrzucenia").fill("Rachunek odbiorcy zamknięty")
    rejected.get_by_role("button", name="Zapisz wynik").click()
    page.wait_for_load_state()
    paid = page.locator("form", has_text=second.title)
    paid.get_by_label("zapłacony").check()
    paid.get_by_label("data zapłaty").fill(timezone.localdate().isoformat())
    paid.get_by_role("button", name="Zapisz wynik").click()
    page.wait_for_load_state()
    accessible(page)

    assert page.get_by_text("stan: zapłacona").is_visible()
    assert PaymentOrder.objects.get(pk=first.pk).state == "ordered"
    assert PaymentOrder.objects.get(pk=second.pk).state == "paid"
    page.goto("/finanse/kolejka/")
    assert page.get_by_label(f"Zapłać „{first.title}”").is_visible()
    accessible(page)
    assert len(accessible.checked) == 7
