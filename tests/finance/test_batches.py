"""Payment batches: two people, the bank's results, nothing paid twice."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from accounts.models import Role
from finance.models import BatchItem, PaymentBatch, PaymentOrder
from finance.selectors.batches import payment_queue
from finance.services import batches
from finance.services.batches import ItemResult
from tests.clients import api
from tests.concurrency import run_concurrently
from workflows.engine import transition_apply, transitions_for
from workflows.errors import (
    Conflict,
    GuardRefused,
    InvalidInput,
    NotPermitted,
    TransitionNotAvailable,
)
from workflows.models import Timer

from .batches_support import EXECUTION, NOW, TODAY, World, user_with

pytestmark = pytest.mark.django_db

NOT_THE_PREPARER = (
    "Tylko druga osoba z księgowości (nie ta, która przygotowała paczkę) może to zrobić."
)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


def paid_per_order(orders) -> dict[int, Decimal]:
    sums = (
        BatchItem.objects.filter(order__in=orders, outcome="paid")
        .values("order")
        .annotate(paid=Sum("amount"))
    )
    return {row["order"]: row["paid"] for row in sums}


def test_batch_numbers_are_gapless_per_organisation_and_year(world):
    numbers = [world.batch([]).number for _ in range(3)]
    other = World()

    assert numbers == ["P/2026/0001", "P/2026/0002", "P/2026/0003"]
    assert other.batch([]).number == "P/2026/0001"
    with time_machine.travel(datetime.datetime(2027, 1, 2, 9, 0, tzinfo=NOW.tzinfo)):
        assert world.batch([], execution_date=datetime.date(2027, 1, 4)).number == "P/2027/0001"


def test_whoever_prepared_a_batch_cannot_approve_it_and_a_second_finance_user_can(world):
    batch = world.batch(world.orders(2))
    helper = user_with(world.organisation, Role.FINANCE)
    batches.batch_items_add(batch=batch, actor=helper, orders=[world.order()])
    url = f"/api/v1/payment-batches/{batch.pk}/transitions/approve/"

    refusals = [api(user).post(url) for user in (world.preparer, helper)]
    [option] = [t for t in transitions_for(batch, world.preparer) if t.name == "approve"]
    with pytest.raises(NotPermitted) as official:
        transition_apply(obj=batch, name="approve", actor=world.official)
    unseen = api(world.official).post(url)
    approved = api(world.approver).post(url)

    assert [r.status_code for r in refusals] == [403, 403]
    assert [r.json() for r in refusals] == [{"detail": NOT_THE_PREPARER}] * 2
    assert str(official.value.message) == NOT_THE_PREPARER
    assert unseen.status_code == 404  # batches are finance's to see
    assert (option.allowed, option.reason) == (False, NOT_THE_PREPARER)
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["approved_by"]) == (
        "approved",
        world.approver.pk,
    )
    batch = PaymentBatch.objects.get(pk=batch.pk)
    assert (batch.approved_by, batch.approved_at) == (world.approver, NOW)


def test_an_empty_draft_cannot_be_approved(world):
    batch = world.batch([])

    with pytest.raises(GuardRefused) as refused:
        transition_apply(obj=batch, name="approve", actor=world.approver)

    assert (
        str(refused.value.message)
        == "Najpierw dodaj do paczki co najmniej jedno polecenie przelewu."
    )


def test_a_rejected_transfer_returns_to_the_queue_and_a_later_batch_pays_it(world):
    orders = [world.order(amount=a) for a in ("100.00", "200.50", "300.25")]
    first = world.exported(orders)
    items = {item.order_id: item for item in first.items.all()}

    batches.batch_results_record(
        batch=first,
        actor=world.approver,
        results=[
            ItemResult(items[orders[0].pk].pk, "paid", paid_on=TODAY),
            ItemResult(items[orders[1].pk].pk, "rejected", reason="Rachunek odbiorcy zamknięty"),
        ],
    )
    midway = PaymentBatch.objects.get(pk=first.pk).state
    batches.batch_results_record(
        batch=first,
        actor=world.approver,
        results=[ItemResult(items[orders[2].pk].pk, "paid", paid_on=TODAY)],
    )
    rejected = PaymentOrder.objects.get(pk=orders[1].pk)
    queue = list(payment_queue(user=world.preparer))

    assert midway == "exported"
    assert PaymentBatch.objects.get(pk=first.pk).state == "paid"
    assert (rejected.state, rejected.paid_on) == ("ordered", None)
    assert queue == [rejected]
    assert BatchItem.objects.get(pk=items[orders[1].pk].pk).rejection_reason == (
        "Rachunek odbiorcy zamknięty"
    )

    # The rejected order goes into a later batch; a paid or batched order cannot.
    second = world.batch([rejected])
    third = world.batch([])
    with pytest.raises(Conflict) as paid_refused:
        batches.batch_items_add(batch=third, actor=world.preparer, orders=[orders[0]])
    batched = api(world.preparer).post(
        f"/api/v1/payment-batches/{third.pk}/items/", {"orders": [rejected.pk]}, format="json"
    )
    assert str(paid_refused.value.message) == (
        "Polecenia przelewu „Mikrogrant GMŁ/2026/1 transza 1” dla Stowarzyszenie Łączy Nas 1 "
        "nie można dodać: jest zapłacone (paczka P/2026/0001). "
        "Dodać można tylko polecenia czekające w kolejce."
    )
    assert batched.status_code == 409
    assert batched.json() == {
        "detail": "Polecenia przelewu „Mikrogrant GMŁ/2026/2 transza 1” dla Stowarzyszenie "
        "Łączy Nas 2 nie można dodać: jest w paczce (paczka P/2026/0002). "
        "Dodać można tylko polecenia czekające w kolejce."
    }
    assert third.items.count() == 0

    second = transition_apply(obj=second, name="approve", actor=world.approver)
    second = transition_apply(obj=second, name="export", actor=world.approver)
    second = transition_apply(
        obj=second, name="mark_all_paid", actor=world.preparer, payload={"paid_on": "2026-11-23"}
    )

    assert second.state == "paid"
    assert {o.state for o in PaymentOrder.objects.filter(pk__in=[o.pk for o in orders])} == {"paid"}
    # Each order paid exactly its amount, once; the batches together paid the orders.
    assert paid_per_order(orders) == {o.pk: o.amount for o in orders}
    assert BatchItem.objects.filter(outcome="paid").count() == 3
    assert BatchItem.objects.filter(outcome="paid").aggregate(s=Sum("amount"))["s"] == Decimal(
        "600.75"
    )
    assert sum(o.amount for o in orders) == Decimal("600.75")
    assert list(payment_queue(user=world.preparer)) == []
    with pytest.raises(Conflict):
        batches.batch_items_add(batch=third, actor=world.preparer, orders=orders)


def test_results_are_checked_before_anything_is_recorded(world):
    batch = world.exported(world.orders(2))
    first, second = batch.items.order_by("pk")

    with pytest.raises(InvalidInput) as invalid:
        batches.batch_results_record(
            batch=batch,
            actor=world.approver,
            results=[
                ItemResult(first.pk, "paid", paid_on=datetime.date(2026, 11, 24)),
                ItemResult(second.pk, "rejected", reason=" "),
            ],
        )
    with pytest.raises(InvalidInput) as future:
        transition_apply(
            obj=batch, name="mark_all_paid", actor=world.approver, payload={"paid_on": "2026-12-01"}
        )

    assert invalid.value.field_errors == {
        "results.0.paid_on": [
            "Data zapłaty nie może być późniejsza niż dzisiejsza (23 listopada 2026)."
        ],
        "results.1.reason": ["Podaj powód odrzucenia podany przez bank."],
    }
    assert future.value.field_errors == {
        "paid_on": ["Data zapłaty nie może być późniejsza niż dzisiejsza (23 listopada 2026)."]
    }
    assert set(batch.items.values_list("outcome", flat=True)) == {"pending"}
    assert set(PaymentOrder.objects.values_list("state", flat=True)) == {"batched"}


def test_only_finance_records_results(world):
    batch = world.exported(world.orders(1))
    item = batch.items.get()

    response = api(world.official).post(
        f"/api/v1/payment-batches/{batch.pk}/results/",
        {"results": [{"item": item.pk, "outcome": "paid", "paid_on": "2026-11-23"}]},
        format="json",
    )

    assert response.status_code == 404  # the batch is not the official's to see
    with pytest.raises(NotPermitted) as refused:
        batches.batch_results_record(
            batch=batch, actor=world.official, results=[ItemResult(item.pk, "paid", TODAY)]
        )
    assert str(refused.value.message) == "Tylko księgowość może to zrobić."


def test_cancelling_a_batch_or_removing_an_item_returns_orders_to_the_queue(world):
    orders = world.orders(3)
    batch = world.approved(orders[:2])
    draft = world.batch(orders[2:])

    transition_apply(obj=batch, name="cancel", actor=world.preparer, payload={"reason": "Błąd"})
    batches.batch_item_remove(item=draft.items.get(), actor=world.preparer)

    assert PaymentBatch.objects.get(pk=batch.pk).state == "cancelled"
    assert set(BatchItem.objects.values_list("outcome", flat=True)) == {"removed"}
    assert list(payment_queue(user=world.preparer)) == orders
    again = world.batch(orders)
    assert again.items.filter(outcome="pending").count() == 3


def test_an_approved_batch_is_not_changed_without_going_back_to_draft(world):
    batch = world.approved(world.orders(1))

    with pytest.raises(Conflict) as refused:
        batches.batch_items_add(batch=batch, actor=world.preparer, orders=[world.order()])
    back = transition_apply(
        obj=batch, name="return_to_draft", actor=world.approver, payload={"reason": "Dopisać"}
    )

    assert str(refused.value.message) == (
        "Zmieniać można tylko paczkę w wersji roboczej; paczka P/2026/0001 jest zatwierdzona."
    )
    assert (back.state, back.approved_by, back.approved_at) == ("draft", None, None)


def test_an_order_changes_state_in_a_batch_only_through_the_batch(world):
    order = world.order()
    batched = world.order()
    world.batch([batched])
    client = api(world.preparer)

    with pytest.raises(NotPermitted) as refused:
        transition_apply(obj=order, name="include_in_batch", actor=world.preparer)
    responses = [
        client.post(f"/api/v1/payment-orders/{pk}/transitions/{name}/", payload, format="json")
        for pk, name, payload in [
            (order.pk, "include_in_batch", {}),
            (batched.pk, "release", {}),
            (batched.pk, "reject", {"reason": "Odrzucone"}),
            (batched.pk, "confirm_paid", {"paid_on": "2026-11-23"}),
        ]
    ]
    with pytest.raises(TransitionNotAvailable):
        transition_apply(
            obj=batched, name="mark_paid", actor=world.preparer, payload={"paid_on": "2026-11-23"}
        )

    message = "Tylko księgowość w ramach paczki przelewów może to zrobić."
    assert str(refused.value.message) == message
    assert [(r.status_code, r.json()) for r in responses] == [(403, {"detail": message})] * 4
    assert PaymentOrder.objects.get(pk=order.pk).state == "ordered"
    assert PaymentOrder.objects.get(pk=batched.pk).state == "batched"


def test_timers_follow_the_order_into_and_out_of_a_batch(world):
    order = world.order()
    batch = world.exported([order])
    order_type = ContentType.objects.get_for_model(PaymentOrder)
    batch_type = ContentType.objects.get_for_model(PaymentBatch)

    def pending(content_type, pk):
        return list(
            Timer.objects.filter(
                content_type=content_type, object_id=pk, fired_at=None, cancelled_at=None
            ).values_list("state", "kind")
        )

    in_batch = pending(order_type, order.pk)
    exported = pending(batch_type, batch.pk)
    batches.batch_results_record(
        batch=batch,
        actor=world.preparer,
        results=[ItemResult(batch.items.get().pk, "rejected", reason="Zły odbiorca")],
    )

    assert in_batch == [] and exported == []
    assert sorted(pending(order_type, order.pk)) == [
        ("ordered", "deadline"),
        ("ordered", "reminder"),
    ]
    draft = world.batch([])
    assert sorted(pending(batch_type, draft.pk)) == [("draft", "deadline"), ("draft", "reminder")]


def test_the_execution_date_cannot_be_past_nor_passed_at_export(world):
    with pytest.raises(InvalidInput) as past:
        world.batch([], execution_date=datetime.date(2026, 11, 22))
    batch = world.approved(world.orders(1))

    later = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=NOW.tzinfo)
    with time_machine.travel(later), pytest.raises(GuardRefused) as passed:
        transition_apply(obj=batch, name="export", actor=world.preparer)

    assert past.value.field_errors == {
        "execution_date": ["Data wykonania nie może być w przeszłości."]
    }
    assert str(passed.value.message) == (
        "Data wykonania 25 listopada 2026 minęła. Cofnij paczkę do wersji roboczej "
        "i ustaw nową datę."
    )
    assert batch.execution_date == EXECUTION


def test_the_purchase_is_paid_when_a_batch_pays_its_invoice(organisation, settings, tmp_path):
    from tests.purchases.factories import GroupFactory, Team, bands_create, drive, purchase_draft

    settings.MEDIA_ROOT = tmp_path / "media"
    bands_create(organisation)
    team = Team(organisation)
    purchase = purchase_draft(
        organisation=organisation,
        official=team[Role.OFFICIAL],
        group=GroupFactory(organisation=organisation),
    )
    purchase = drive(purchase, team, "record_invoice")
    order = PaymentOrder.objects.get(kind="invoice")
    world = World(organisation)
    batch = world.approved([order])

    with pytest.raises(Conflict) as refused:
        transition_apply(
            obj=purchase,
            name="mark_paid",
            actor=team[Role.FINANCE],
            payload={"on": "2026-11-23"},
        )
    response = api(team[Role.FINANCE]).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/mark_paid/",
        {"on": "2026-11-23"},
        format="json",
    )
    message = (
        "Polecenie przelewu faktury jest w paczce przelewów P/2026/0001: zamówienie stanie się "
        "zapłacone, gdy zostanie zapisany wynik banku dla tej paczki, więc nie można go "
        "oznaczyć jako zapłaconego ręcznie."
    )
    assert str(refused.value.message) == message
    assert (response.status_code, response.json()) == (409, {"detail": message})

    batch = transition_apply(obj=batch, name="export", actor=world.preparer)
    batches.batch_results_record(
        batch=batch,
        actor=world.approver,
        results=[ItemResult(batch.items.get().pk, "paid", paid_on=datetime.date(2026, 11, 23))],
    )

    purchase.refresh_from_db()
    order.refresh_from_db()
    assert (order.state, order.paid_on) == ("paid", datetime.date(2026, 11, 23))
    assert (purchase.state, purchase.paid_on) == ("paid", datetime.date(2026, 11, 23))


# Two batches taking one order at once ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_batches_adding_one_order_at_once_cannot_both_succeed():
    world = World()
    order = world.order()
    one, two = world.batch([]), world.batch([])

    outcomes = run_concurrently(
        [
            lambda: batches.batch_items_add(batch=one, actor=world.preparer, orders=[order]),
            lambda: batches.batch_items_add(batch=two, actor=world.approver, orders=[order]),
        ]
    )

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    [error] = [value for kind, value in outcomes if kind == "error"]
    assert isinstance(error, Conflict) and error.status_code == 409
    assert BatchItem.objects.filter(order=order).count() == 1
    assert PaymentOrder.objects.get(pk=order.pk).state == "batched"
