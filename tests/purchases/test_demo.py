"""Demo data: purchases in every state, one refused by the threshold guard; loading
twice changes nothing."""

import datetime

import pytest
from django.utils import timezone

from purchases.demo import demo_load
from purchases.models import Purchase

pytestmark = pytest.mark.django_db


def test_demo_has_a_purchase_in_every_state_and_loads_once(monkeypatch, time_machine):
    # The loader waits out a deadline a few seconds away; move the clock instead.
    time_machine.move_to(timezone.now(), tick=True)
    monkeypatch.setattr(
        "purchases.demo.time.sleep", lambda s: time_machine.shift(datetime.timedelta(seconds=s))
    )
    demo_load()
    demo_load()

    states = sorted(Purchase.objects.values_list("state", flat=True))
    assert states == sorted(
        [
            "closed",
            "paid",
            "invoiced",
            "accepted",
            "delivered",
            "in_execution",
            "awarded",
            "evaluating",
            "quoting",
            "approved",
            "submitted",
            "draft",
            "draft",
            "cancelled",
        ]
    )
    refused = Purchase.objects.get(title="Całoroczny program warsztatów")
    assert (refused.state, refused.aggregation["total"]) == ("draft", "138000.00")
    assert refused.threshold_refusal.startswith(
        "Łączna wartość netto zamówień tego samego rodzaju w grupie „Warsztaty edukacyjne i "
        "kulturalne”"
    )
