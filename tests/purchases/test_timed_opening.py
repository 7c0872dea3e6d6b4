"""Acceptance 4: the process is whole in its workflow. The deadline's timer opens the
offers through the engine and they are scored, so the award to the best-scored offer
passes; the invoice brings its payment order and paying the purchase pays the order,
whoever runs the transitions (the pages, the API, the timers)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Role
from finance.models import PaymentOrder
from notifications.models import Notification
from notifications.recipients import role
from purchases import services
from purchases.models import Invoice, Offer, Purchase
from tests.clients import api
from workflows.engine import transition_apply, transitions_for
from workflows.models import Timer
from workflows.timers import StateTimer, fire_due, timer_named

from .factories import INVOICE, PATH, Team, deadline_in, drive, expire_deadline, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def quoting(team, group, *, criteria=None):
    purchase = purchase_draft(
        organisation=team.organisation,
        official=team[Role.OFFICIAL],
        group=group,
        estimated_net=Decimal("25000.00"),
        **({"criteria": criteria} if criteria else {}),
    )
    for _state, who, name, payload in PATH[:3]:
        purchase = transition_apply(obj=purchase, name=name, actor=team[who], payload=payload)
    return transition_apply(
        obj=purchase,
        name="start_quoting",
        actor=team[Role.OFFICIAL],
        payload={
            "deadline": deadline_in(days=8).isoformat(),
            "suppliers": [s.pk for s in team.suppliers],
        },
    )


def test_the_deadline_timer_opens_and_scores_the_offers_and_the_best_is_awarded(team, group, clock):
    criteria = [
        {"name": "cena", "weight": 60, "is_price": True},
        {"name": "doświadczenie", "weight": 40},
    ]
    purchase = quoting(team, group, criteria=criteria)
    experience = purchase.criteria.get(is_price=False)
    invitations = list(purchase.invitations.select_related("supplier").order_by("pk"))
    for invitation, net, years in zip(
        invitations, ["24000.00", "26000.00", "30000.00"], [2, 10, 5], strict=True
    ):
        services.offer_submit(
            invitation=invitation,
            price_net=Decimal(net),
            price_gross=Decimal(net),
            answers={str(experience.pk): str(years)},
        )

    clock.shift(datetime.timedelta(days=8, minutes=1))
    fired = fire_due()
    response = api(team[Role.OFFICIAL]).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/award/",
        {"contract_form": "order"},
        format="json",
    )

    assert fired == 1
    scores = dict(Offer.objects.filter(purchase=purchase).values_list("supplier_id", "score"))
    # price: 60 x 24 000 / price; experience: 40 x years / 10
    assert scores == {
        invitations[0].supplier_id: Decimal("68.00"),
        invitations[1].supplier_id: Decimal("95.38"),
        invitations[2].supplier_id: Decimal("68.00"),
    }
    assert response.status_code == 200, response.json()
    awarded = Purchase.objects.get(pk=purchase.pk)
    assert (awarded.state, awarded.awarded_offer.supplier_id, awarded.awarded_net) == (
        "awarded",
        invitations[1].supplier_id,
        Decimal("26000.00"),
    )
    timer = Timer.objects.get(object_id=purchase.pk, kind="deadline")
    assert (timer.name, timer.fired_at is not None) == ("quoting:close_quoting", True)


def test_the_invoice_brings_its_payment_order_and_paying_the_purchase_pays_it(team, group):
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=team[Role.OFFICIAL], group=group),
        team,
        "record_invoice",
    )
    invoice = Invoice.objects.get(purchase=purchase)
    order = invoice.payment_order

    response = api(team[Role.FINANCE]).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/mark_paid/",
        {"on": "2026-11-20"},
        format="json",
    )

    assert (invoice.number, invoice.gross, order.amount, order.kind) == (
        INVOICE["number"],
        Decimal("34440.00"),
        Decimal("34440.00"),
        "invoice",
    )
    assert response.status_code == 200
    order = PaymentOrder.objects.get(pk=order.pk)
    assert (order.state, order.paid_on) == ("paid", datetime.date(2026, 11, 20))
    assert Purchase.objects.get(pk=purchase.pk).paid_on == datetime.date(2026, 11, 20)


def test_the_award_guard_refuses_when_no_offer_fits_under_the_threshold(team, group):
    first = purchase_draft(
        organisation=team.organisation,
        official=team[Role.OFFICIAL],
        group=group,
        estimated_net=Decimal("100000.00"),
    )
    transition_apply(obj=first, name="submit", actor=team[Role.OFFICIAL])
    purchase = quoting(team, group)
    services.offer_submit(
        invitation=purchase.invitations.first(),
        price_net=Decimal("30000.00"),
        price_gross=Decimal("30000.00"),
    )
    expire_deadline(purchase)
    purchase = transition_apply(obj=purchase, name="close_quoting", actor=None)

    options = {
        t.name: (t.allowed, t.reason) for t in transitions_for(purchase, team[Role.OFFICIAL])
    }

    allowed, reason = options["award"]
    assert allowed is False
    assert reason.startswith(
        f"Łączna wartość netto zamówień tego samego rodzaju w grupie „{group.name}” w roku 2026 "
        "wyniosłaby 130 000,00 zł"
    )


def test_a_stored_timer_fires_its_own_declaration_after_the_declarations_are_reordered(
    team, group, clock, monkeypatch
):
    purchase = quoting(team, group)
    services.offer_submit(
        invitation=purchase.invitations.first(),
        price_net=Decimal("24000.00"),
        price_gross=Decimal("24000.00"),
    )
    # A release adds a declaration in front of the one the stored row was written for.
    reminder_first = StateTimer(
        state="quoting",
        due=lambda p: p.quote_deadline,
        overdue_to=role(Role.OFFICIAL),
        label="offers overdue",
        name="quoting:offers_overdue",
    )
    monkeypatch.setattr(Purchase, "timers", (reminder_first, *Purchase.timers))

    clock.shift(datetime.timedelta(days=8, minutes=1))
    fire_due()

    opened = Purchase.objects.get(pk=purchase.pk)
    assert opened.state == "evaluating"
    assert list(Offer.objects.filter(purchase=opened).values_list("score", flat=True)) == [
        Decimal("100.00")
    ]
    assert not Notification.objects.filter(kind="timer.deadline").exists()


def test_two_timers_with_one_name_are_a_configuration_error(monkeypatch):
    twin = StateTimer(state="quoting", due=lambda p: p.quote_deadline, expire="close_quoting")
    monkeypatch.setattr(Purchase, "timers", (twin, *Purchase.timers))

    with pytest.raises(ImproperlyConfigured):
        timer_named(Purchase, "quoting:close_quoting")
