"""Acceptance #15.2, "the operator pays the group's invoices": no money flows to the
group; each approved invoice becomes a payment order to its seller, paid through a
batch (Elixir-O), and the group's report lists them as its expenses."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.models import PaymentOrder
from finance.settlements import settlement_rows
from grants.models import GroupInvoice, GroupModel, Report
from grants.services.group_invoices import group_invoice_submit
from tests.purchases.factories import nrb
from workflows.engine import transition_apply
from workflows.errors import Conflict, GuardRefused

from .groups_support import approved_agreement, paid_batch, settled

SELLER_1 = nrb(5101)
SELLER_2 = nrb(5102)


def invoice_data(line, number, seller, account, amount, **extra):
    return {
        "action": "invoice",
        "budget_line": line.pk,
        "number": number,
        "issued_on": "2026-12-02",
        "due_date": "2026-12-09",
        "seller_name": seller,
        "seller_address": "ul. Handlowa 1, 00-950 Próbne",
        "seller_account": account,
        "description": "Sadzonki i ziemia",
        "amount": amount,
        **extra,
    }


@pytest.fixture
def agreement(world):
    call = world.make_call(code="FO1", group_model=GroupModel.OPERATOR_PAYS)
    application = world.draft(call=call)
    application = transition_apply(obj=application, name="submit", actor=world.resident)
    return approved_agreement(world, application)


def test_the_operator_pays_two_invoices_to_the_sellers_and_the_report_lists_them(
    world, agreement, clock
):
    assert list(PaymentOrder.objects.all()) == []  # nothing is paid to the group
    materials, admin = agreement.application.budget_lines.order_by("pk")
    group = Client()
    group.force_login(world.resident)
    url = f"/granty/umowy/{agreement.pk}/faktury/"
    refused = group.post(url, invoice_data(materials, "FV 1/12", "Szkółka", "123", "2700.00"))
    assert refused.status_code == 400
    assert 'value="FV 1/12"' in refused.content.decode()
    assert GroupInvoice.objects.count() == 0
    for data in (
        invoice_data(materials, "FV 1/12", "Szkółka Roślin", SELLER_1, "2700.00"),
        invoice_data(admin, "R 7/12", "Biuro Rachunkowe", SELLER_2, "300.00"),
    ):
        assert group.post(url, data).status_code == 302
    first, second = GroupInvoice.objects.order_by("pk")

    official = Client()
    official.force_login(world.official)
    listing = official.get(url)
    assert listing.content.decode().count("Zatwierdź i zleć płatność") == 2
    for invoice in (first, second):
        approve = f"{url}{invoice.pk}/czynnosc/approve/"
        assert official.get(approve).status_code == 200
        assert official.post(approve, {"comment": ""}).status_code == 302

    orders = list(PaymentOrder.objects.order_by("pk"))
    assert [(o.kind, o.beneficiary_name, o.account_number, o.amount) for o in orders] == [
        ("invoice", "Szkółka Roślin", SELLER_1, Decimal("2700.00")),
        ("invoice", "Biuro Rachunkowe", SELLER_2, Decimal("300.00")),
    ]
    assert orders[0].title == f"Faktura FV 1/12, grant {agreement.number}"
    finance = Client()
    finance.force_login(world.finance)
    queue = finance.get("/finanse/kolejka/")
    assert queue.status_code == 200
    assert "Szkółka Roślin" in queue.content.decode()
    batch = paid_batch(world, orders, clock)
    content = bytes(batch.file_content)
    assert SELLER_1.encode() in content and SELLER_2.encode() in content
    assert [o.state for o in PaymentOrder.objects.order_by("pk")] == ["paid", "paid"]

    group.force_login(world.resident)  # days later: a new session
    drawn = group.post(url, {"action": "report", "narrative": "Ogród założony."})
    assert drawn.url == f"/granty/umowy/{agreement.pk}/sprawozdanie/"
    report = Report.objects.get(agreement=agreement)
    assert [
        (e.document_number, e.issuer, e.amount, e.from_grant, e.budget_line_id)
        for e in report.expenses.order_by("pk")
    ] == [
        ("FV 1/12", "Szkółka Roślin", Decimal("2700.00"), Decimal("2700.00"), materials.pk),
        ("R 7/12", "Biuro Rachunkowe", Decimal("300.00"), Decimal("300.00"), admin.pk),
    ]
    agreement = settled(world, agreement, report, clock)
    assert agreement.state == "settled"
    assert list(agreement.returns.all()) == []
    # The settlement register counts the grant paid through the sellers' invoices.
    [row] = [
        r
        for r in settlement_rows(organisation_ids=[agreement.organisation_id])
        if r["ref_no"] == agreement.number
    ]
    paid_on = PaymentOrder.objects.get(pk=orders[0].pk).paid_on
    assert (row["granted"], row["paid"], row["paid_first"], row["paid_last"]) == (
        Decimal("3000.00"),
        Decimal("3000.00"),
        paid_on,
        paid_on,
    )


def test_an_invoice_over_the_grant_is_refused_and_only_the_official_approves(world, agreement):
    materials = agreement.application.budget_lines.order_by("pk").first()
    fields = {
        k: v
        for k, v in invoice_data(materials, "FV 9", "Szkółka", SELLER_1, "3000.01").items()
        if k not in ("action", "budget_line")
    }
    fields["budget_line_id"] = materials.pk
    fields["amount"] = Decimal("3000.01")
    fields["issued_on"] = datetime.date(2026, 12, 2)
    fields["due_date"] = datetime.date(2026, 12, 9)
    invoice = group_invoice_submit(agreement=agreement, actor=world.resident, fields=fields)
    with pytest.raises(GuardRefused) as refused:
        transition_apply(obj=invoice, name="approve", actor=world.official)
    assert str(refused.value.message) == (
        "Z tą fakturą zatwierdzone faktury wyniosłyby 3 000,01 zł, więcej niż grant 3 000,00 zł."
    )
    group = Client()
    group.force_login(world.resident)
    denied = group.post(
        f"/granty/umowy/{agreement.pk}/faktury/{invoice.pk}/czynnosc/approve/", {"comment": ""}
    )
    assert denied.status_code == 302
    assert GroupInvoice.objects.get(pk=invoice.pk).state == "submitted"
    rejected = transition_apply(
        obj=invoice, name="reject", actor=world.official, payload={"reason": "Ponad grant."}
    )
    assert (rejected.state, rejected.rejection_reason) == ("rejected", "Ponad grant.")


def test_a_direct_call_takes_no_invoices(world):
    agreement = world.agreement_in_implementation()
    with pytest.raises(Conflict):
        group_invoice_submit(agreement=agreement, actor=world.resident, fields={})
    group = Client()
    group.force_login(world.resident)
    assert group.get(f"/granty/umowy/{agreement.pk}/faktury/").status_code == 404
