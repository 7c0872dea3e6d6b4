"""The queue and batch pages, their files, and the batches API: who sees them, what
they do without JavaScript, and a constant number of queries whatever the rows."""

import datetime
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from accounts.models import Role
from accounts.services import membership_grant
from finance.models import Export, PaymentBatch, PaymentOrder
from tests.clients import api, web
from tests.factories import UserFactory
from workflows.engine import transition_apply

from .batches_support import NOW, World, fresh, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


def test_finance_pages_render_for_finance_and_not_for_others(world):
    batch = world.exported(world.orders(2))
    admin = user_with(world.organisation, Role.ORG_ADMIN)
    urls = [
        "/finanse/kolejka/",
        "/finanse/paczki/",
        f"/finanse/paczki/{batch.pk}/",
        f"/finanse/paczki/{batch.pk}/przelewy.txt",
        f"/finanse/paczki/{batch.pk}/paczka.csv",
        f"/finanse/paczki/{batch.pk}/paczka.xlsx",
    ]

    for user in (world.preparer, admin):
        assert [web(user).get(url).status_code for url in urls] == [200] * 6
    for user in (world.official, UserFactory()):
        assert [web(user).get(url).status_code for url in urls] == [403] * 6
    assert Client().get(urls[0]).status_code == 302  # to the sign-in page
    other = World()
    assert web(other.preparer).get(urls[2]).status_code == 404


def test_the_queue_puts_checked_orders_into_a_new_batch_without_javascript(world):
    orders = world.orders(3)
    page = web(world.preparer).get("/finanse/kolejka/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="orders" value="{orders[0].pk}"' in html
    assert "Niezapłacone polecenia przelewu" in html

    missing = web(world.preparer).post("/finanse/kolejka/", {"orders": [orders[0].pk], "batch": ""})
    response = web(world.preparer).post(
        "/finanse/kolejka/",
        {
            "orders": [orders[0].pk, orders[2].pk],
            "batch": "",
            "account": world.account.pk,
            "execution_date": "2026-11-25",
            "note": "Transze grudniowe",
        },
    )

    assert missing.status_code == 200
    assert "Potrzebne dla nowej paczki." in missing.content.decode()
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/finanse/paczki/{batch.pk}/"
    assert sorted(batch.items.values_list("order_id", flat=True)) == [orders[0].pk, orders[2].pk]
    assert (batch.note, batch.created_by, batch.state) == (
        "Transze grudniowe",
        world.preparer,
        "draft",
    )

    added = web(world.approver).post(
        "/finanse/kolejka/", {"orders": [orders[1].pk], "batch": batch.pk}
    )
    assert added.status_code == 302
    assert batch.items.count() == 3


def test_the_batch_page_runs_its_actions_and_records_results(world):
    batch = world.batch(world.orders(2))
    detail = f"/finanse/paczki/{batch.pk}/"

    refused = web(world.preparer).post(detail + "czynnosc/approve/", follow=True)
    approved = web(world.approver).post(detail + "czynnosc/approve/")
    exported = web(world.preparer).post(detail + "czynnosc/export/")
    page = web(world.preparer).get(detail)
    first = PaymentBatch.objects.get(pk=batch.pk).items.order_by("pk").first()
    result = web(world.approver).post(
        detail + f"pozycje/{first.pk}/wynik/",
        {f"item-{first.pk}-outcome": "rejected", f"item-{first.pk}-reason": "Konto zamknięte"},
    )

    assert (
        "Tylko druga osoba z księgowości (nie ta, która przygotowała paczkę) może to zrobić."
        in (refused.content.decode())
    )
    assert approved.status_code == exported.status_code == result.status_code == 302
    html = page.content.decode()
    assert "Plik dla banku (Elixir-O)" in html and "wyeksportowana do banku" in html
    assert f'name="item-{first.pk}-outcome"' in html
    first.refresh_from_db()
    assert (first.outcome, first.rejection_reason) == ("rejected", "Konto zamknięte")
    assert PaymentOrder.objects.get(pk=first.order_id).state == "ordered"


def test_a_draft_item_is_removed_on_its_page(world):
    orders = world.orders(2)
    batch = world.batch(orders)
    item = batch.items.get(order=orders[0])

    response = web(world.approver).post(f"/finanse/paczki/{batch.pk}/pozycje/{item.pk}/usun/")

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "removed"
    assert PaymentOrder.objects.get(pk=orders[0].pk).state == "ordered"


def test_the_csv_and_xlsx_are_for_polish_spreadsheets_and_are_logged(world):
    order = world.order(amount="1234.50")
    batch = world.exported([order])

    csv_response = web(world.preparer).get(f"/finanse/paczki/{batch.pk}/paczka.csv")
    xlsx_response = api(world.approver).get(f"/api/v1/payment-batches/{batch.pk}/xlsx/")

    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    text = csv_response.content.decode("utf-8")
    assert text.startswith("\ufeffpaczka;lp.;polecenie przelewu;rodzaj;odbiorca;")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[1] == ";".join(
        [
            "P/2026/0001",
            "1",
            str(order.pk),
            "transza dotacji",
            "Stowarzyszenie Łączy Nas 1",
            "ul. Żółta 1, 00-001 Łódka",
            order.account_number,
            "Mikrogrant GMŁ/2026/1 transza 1",
            "1234,50",
            "2026-12-01",
            "oczekuje",
            "",
            "",
        ]
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [c.value for c in sheet[2]][:2] == ["P/2026/0001", 1]
    assert sheet.cell(row=2, column=9).value == 1234.5
    assert list(Export.objects.order_by("pk").values_list("format", "user", "rows_total")) == [
        ("csv", world.preparer.pk, 1),
        ("xlsx", world.approver.pk, 1),
    ]


def test_the_api_creates_fills_and_settles_a_batch(world):
    orders = world.orders(3)
    client = api(world.preparer)

    created = client.post(
        "/api/v1/payment-batches/",
        {"account": world.account.pk, "execution_date": "2026-11-25", "orders": [orders[0].pk]},
        format="json",
    )
    pk = created.json()["id"]
    added = client.post(
        f"/api/v1/payment-batches/{pk}/items/",
        {"orders": [orders[1].pk, orders[2].pk]},
        format="json",
    )
    removed_item = added.json()["items"][2]["id"]
    removed = client.delete(f"/api/v1/payment-batches/{pk}/items/{removed_item}/")
    api(world.approver).post(f"/api/v1/payment-batches/{pk}/transitions/approve/")
    client.post(f"/api/v1/payment-batches/{pk}/transitions/export/")
    items = [i["id"] for i in client.get(f"/api/v1/payment-batches/{pk}/").json()["items"]][:2]
    results = client.post(
        f"/api/v1/payment-batches/{pk}/results/",
        {
            "results": [
                {"item": items[0], "outcome": "paid", "paid_on": "2026-11-23"},
                {"item": items[1], "outcome": "rejected", "reason": "Brak rachunku"},
            ]
        },
        format="json",
    )

    assert created.status_code == 201
    assert created.json()["number"] == "P/2026/0001"
    assert created.json()["state"] == "draft"
    assert [i["order"] for i in added.json()["items"]] == [o.pk for o in orders]
    assert removed.status_code == 200
    assert [i["outcome"] for i in removed.json()["items"]] == ["pending", "pending", "removed"]
    assert results.status_code == 200
    body = results.json()
    assert (body["state"], body["paid_total"], body["rejected_total"], body["pending_total"]) == (
        "paid",
        "1500.00",
        "1500.00",
        "0.00",
    )
    assert [i["order_state"] for i in body["items"]] == ["paid", "ordered", "ordered"]


def test_the_api_refuses_bad_input_in_polish(world):
    batch = world.exported(world.orders(1))
    item = batch.items.get()

    response = api(world.preparer).post(
        f"/api/v1/payment-batches/{batch.pk}/results/",
        {"results": [{"item": item.pk, "outcome": "paid"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"results.0.paid_on": ["Podaj datę zapłaty przez bank."]}


# Constant queries -------------------------------------------------------------------


def fill(world, rows: int) -> None:
    """``rows`` orders in the queue and ``rows`` batches of two orders each."""
    world.orders(rows)
    for _ in range(rows):
        batch = world.batch(world.orders(2))
        transition_apply(obj=batch, name="approve", actor=world.approver)


@pytest.mark.parametrize("rows", [10, 60])
def test_lists_take_a_constant_number_of_queries(world, django_assert_num_queries, rows):
    fill(world, rows)
    pages = [
        ("/finanse/kolejka/?due_by=2026-12-31", web, 8),
        ("/finanse/paczki/?state=approved", web, 6),  # the page (and one row more), its totals
        ("/api/v1/payment-batches/", api, 2),  # the page (and one row more), no count
    ]

    for url, client, queries in pages:
        session = client(fresh(world.preparer))
        with django_assert_num_queries(queries):
            response = session.get(url)
        assert response.status_code == 200
    assert PaymentOrder.objects.filter(state="ordered").count() == rows
    assert PaymentBatch.objects.count() == rows


def test_the_queue_filters_by_due_date_organisation_kind_and_account(world):
    soon = world.order(due_date=datetime.date(2026, 11, 30))
    late = world.order(due_date=datetime.date(2027, 1, 15))
    invoice = world.order(kind=PaymentOrder.Kind.INVOICE)
    other = World()
    elsewhere = other.order()
    membership_grant(user=world.preparer, organisation=other.organisation, role=Role.FINANCE)
    client = web(world.preparer)

    def listed(query: str) -> list[int]:
        return [o.pk for o in client.get(f"/finanse/kolejka/?{query}").context["orders"]]

    assert listed("") == [soon.pk, invoice.pk, elsewhere.pk, late.pk]
    assert listed("due_by=2026-12-01") == [soon.pk, invoice.pk, elsewhere.pk]
    assert listed(f"organisation={other.organisation.pk}") == [elsewhere.pk]
    assert listed("kind=invoice") == [invoice.pk]
    assert listed(f"beneficiary_account={late.account_number[-8:]}") == [late.pk]
    assert listed(f"due_by=2026-12-01&organisation={world.organisation.pk}") == [
        soon.pk,
        invoice.pk,
    ]
