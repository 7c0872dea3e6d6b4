"""Acceptance 1: a price-survey purchase from draft to closed through the API, with
every PDF produced and its text checked."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from documents.selectors import documents_of
from finance.models import PaymentOrder
from purchases.models import Invoice, Purchase

from .factories import deadline_in

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def pdf_text(document) -> str:
    with document.file.open("rb") as f:
        pdf = f.read()
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    text = " ".join(out.stdout.decode("utf-8").split())
    return text


def test_price_survey_from_draft_to_closed(
    organisation,
    official,
    unit_head,
    finance,
    group,
    bands,
    suppliers,
    django_capture_on_commit_callbacks,
    client,
):
    def act(user, name, payload=None, status=200):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(user).post(
                f"/api/v1/purchases/{pk}/transitions/{name}/", payload or {}, format="json"
            )
        assert response.status_code == status, response.json()
        return response.json()

    created = client_for(official).post(
        "/api/v1/purchases/",
        {
            "requesting_unit": "Wydział Spraw Społecznych",
            "title": "Warsztaty dla seniorów",
            "expected_result": "10 warsztatów dla 15 seniorów z raportem frekwencji",
            "group": group.pk,
            "cpv_code": "80500000-9",
            "estimated_net": "30000.00",
            "vat_rate": "23",
            "estimation_method": "Rozeznanie cen trzech organizacji z 2025 r.",
            "estimated_on": "2026-03-01",
            "estimated_by": "Anna Nowak",
            "legal_basis": "social_service",
            "planned_start": "2026-04-01",
            "planned_end": "2026-06-30",
            "criteria": [
                {"name": "cena", "weight": "80.00", "is_price": True, "description": ""},
                {
                    "name": "doświadczenie",
                    "weight": "20.00",
                    "is_price": False,
                    "description": "liczba zrealizowanych warsztatów",
                },
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert (body["state"], body["estimated_gross"], body["year"]) == ("draft", "36900.00", 2026)
    assert body["number"] == f"{organisation.short_name}/ZP/2026/{pk}"

    body = act(official, "submit")
    assert (body["state"], body["aggregated_net"], body["procedure"]) == (
        "submitted",
        "30000.00",
        "price_survey",
    )
    body = act(finance, "confirm_funds")
    assert body["state"] == "submitted"
    body = act(unit_head, "approve")
    assert body["state"] == "approved"

    deadline = deadline_in(hours=2)
    body = act(
        official,
        "start_quoting",
        {"deadline": deadline.isoformat(), "suppliers": [s.pk for s in suppliers]},
    )
    assert body["state"] == "quoting"
    # The suppliers' invitations (the staff's own notifications go to the staff).
    invited = [m.to[0] for m in mail.outbox if m.to[0].startswith("dostawca")]
    assert sorted(invited) == sorted(s.email for s in suppliers)

    criteria = {c["name"]: c["id"] for c in body["criteria"]}
    prices = {
        suppliers[0].email: ("25000.00", "30750.00", "12"),
        suppliers[1].email: ("28000.00", "34440.00", "30"),
        suppliers[2].email: ("24000.00", "29520.00", "2"),
    }
    for message in [m for m in mail.outbox if m.to[0] in prices]:
        path = re.search(r"https?://[^/]+(/zakupy/oferta/\S+/)", message.body).group(1)
        net, gross, experience = prices[message.to[0]]
        response = client.post(
            path,
            {
                "price_net": net,
                "price_gross": gross,
                f"answer_{criteria['doświadczenie']}": experience,
            },
        )
        assert response.status_code == 200
        assert "Oferta została złożona" in response.content.decode()

    sealed = client_for(official).get(f"/api/v1/purchases/{pk}/offers/").json()
    assert [(o["sealed"], o["price_gross"]) for o in sealed] == [(True, None)] * 3

    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        body = act(official, "close_quoting")
        assert body["state"] == "evaluating"
        offers = client_for(official).get(f"/api/v1/purchases/{pk}/offers/").json()
        assert sorted((o["supplier_name"], o["score"]) for o in offers) == sorted(
            [
                (suppliers[0].name, "84.80"),  # 80*29520/30750 + 20*12/30
                (suppliers[1].name, "88.57"),  # 80*29520/34440 + 20
                (suppliers[2].name, "81.33"),  # 80 + 20*2/30
            ]
        )
        body = act(official, "award", {"contract_form": "order"})
        assert (body["state"], body["supplier"], body["awarded_net"], body["awarded_gross"]) == (
            "awarded",
            suppliers[1].name,
            "28000.00",
            "34440.00",
        )
        [chosen] = [m for m in mail.outbox if m.subject.startswith("Wybrano")]
        assert chosen.to == [suppliers[1].email]
        assert chosen.subject == f"Wybrano Państwa ofertę: {body['number']}"

        act(official, "start_execution", {"on": "2026-03-20"})
        act(official, "report_delivery", {"on": "2026-06-30"})
        body = act(
            official,
            "accept",
            {
                "accepted_on": "2026-07-01",
                "delivered": "10 warsztatów, 14 uczestników",
                "partial": False,
                "defects": "raport dostarczony 1 dzień po terminie",
            },
        )
        assert (body["state"], body["accepted_net"]) == ("accepted", "28000.00")

        too_much = act(
            official,
            "record_invoice",
            {
                "number": "FV 1/2026",
                "issued_on": "2026-07-02",
                "sale_on": "2026-06-30",
                "received_on": "2026-07-03",
                "net": "29000.00",
                "vat": "6670.00",
                "gross": "35670.00",
                "due_on": "2026-07-16",
            },
            status=400,
        )
        assert too_much["errors"] == {
            "gross": [
                "Faktura (29 000,00 zł netto, 35 670,00 zł brutto) przekracza wartość "
                "zamówienia (28 000,00 zł netto, 34 440,00 zł brutto); najpierw dodaj aneks."
            ]
        }
        body = act(
            official,
            "record_invoice",
            {
                "number": "FV 1/2026",
                "issued_on": "2026-07-02",
                "sale_on": "2026-06-30",
                "received_on": "2026-07-03",
                "net": "28000.00",
                "vat": "6440.00",
                "gross": "34440.00",
                "due_on": "2026-07-16",
            },
        )
        assert body["state"] == "invoiced"
        invoice = Invoice.objects.get(purchase_id=pk)
        order = invoice.payment_order
        assert (order.kind, order.amount, order.state, order.account_number) == (
            PaymentOrder.Kind.INVOICE,
            Decimal("34440.00"),
            "ordered",
            suppliers[1].bank_account,
        )
        act(finance, "mark_paid", {"on": "2026-07-10"})
        body = act(official, "close")
        assert body["state"] == "closed"

    order.refresh_from_db()
    assert (order.state, order.paid_on) == ("paid", datetime.date(2026, 7, 10))
    purchase = Purchase.objects.get(pk=pk)
    documents = {d.kind: d for d in documents_of(purchase)}
    assert sorted(documents) == [
        "acceptance_protocol",
        "estimate_note",
        "order",
        "request_for_quotation",
        "selection_note",
    ]
    assert [d["kind"] for d in body["documents"]] == sorted(documents)

    number = purchase.number
    estimate = pdf_text(documents["estimate_note"])
    assert "Notatka z szacowania wartości zamówienia" in estimate
    assert "30 000,00 zł (słownie: trzydzieści tysięcy złotych 00/100)" in estimate
    assert "Łącznie z niniejszym zamówieniem 30 000,00 zł" in estimate
    rfq = pdf_text(documents["request_for_quotation"])
    assert "Prośba o przedstawienie oferty cenowej" in rfq
    assert f"{number}/ZO" in rfq
    assert (
        "cena 80,00% cena netto i brutto doświadczenie 20,00% liczba zrealizowanych warsztatów"
        in rfq
    )
    note = pdf_text(documents["selection_note"])
    assert "Notatka z rozeznania rynku" in note
    for supplier, points in (
        (suppliers[0], "84,80"),
        (suppliers[1], "88,57"),
        (suppliers[2], "81,33"),
    ):
        assert supplier.nip in note
        assert points in note
    assert (
        f"Wybrano ofertę: {suppliers[1].name}, za cenę 28 000,00 zł netto, 34 440,00 zł brutto"
        in note
    )
    order_text = pdf_text(documents["order"])
    assert "Zlecenie" in order_text
    assert (
        "tj. 34 440,00 zł brutto (słownie: trzydzieści cztery tysiące czterysta czterdzieści "
        "złotych 00/100)"
    ) in order_text
    protocol = pdf_text(documents["acceptance_protocol"])
    assert "Protokół odbioru" in protocol
    assert "Zakres wykonany: 10 warsztatów, 14 uczestników" in protocol
    assert "Wady i zastrzeżenia: raport dostarczony 1 dzień po terminie." in protocol
    assert "Odbiór: całkowity." in protocol
