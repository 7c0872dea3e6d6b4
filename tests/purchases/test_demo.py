"""Demo data: purchases in every state, one refused by the threshold guard; loading
twice changes nothing; nothing waits on the clock nor is dated after the demo's today."""

import datetime
from decimal import Decimal

import pytest
from django_fsm_log.models import StateLog

from purchases.demo import demo_load
from purchases.models import Offer, Purchase
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_demo_has_a_purchase_in_every_state_and_loads_once(clock):
    # The clock is frozen: a loader that waited for a deadline would never get past it.
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
    assert refused.state == "draft"
    assert refused.threshold_refusal.startswith(
        "Łączna wartość netto zamówień tego samego rodzaju w grupie „Warsztaty edukacyjne i "
        "kulturalne”"
    )


def test_demo_offers_are_opened_and_scored_by_the_system_and_paid_no_later_than_today(clock):
    demo_load()

    today = NOW.date()
    evaluating = Purchase.objects.get(state="evaluating")
    scores = sorted(Offer.objects.filter(purchase=evaluating).values_list("score", flat=True))
    [opened] = StateLog.objects.for_(evaluating).filter(transition="close_quoting")
    paid = Purchase.objects.filter(paid_on__isnull=False)
    awarded = Purchase.objects.filter(awarded_offer__isnull=False)

    assert scores == [Decimal("85.00"), Decimal("88.82"), Decimal("93.00")]
    assert opened.by is None  # the system, as the deadline's timer would
    assert sorted(paid.values_list("state", flat=True)) == ["closed", "paid"]
    assert set(paid.values_list("paid_on", flat=True)) == {today}
    assert evaluating.quote_deadline < NOW - datetime.timedelta(days=2)
    assert all(p.awarded_offer == p.best_offer() for p in awarded)
