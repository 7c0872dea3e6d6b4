"""The pages of the requesting unit, the unit head, finance and suppliers: the home
page's pending actions, a failed submit that keeps what was typed, the supplier
registry, offers recorded from paper, the public inquiry page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from purchases.models import Offer, Purchase, Supplier
from tests.clients import api, web
from workflows.engine import transition_apply

from .factories import Team, deadline_in, drive, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def test_the_home_page_lists_what_waits_for_each_role(team, group):
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=team[Role.OFFICIAL], group=group),
        team,
        "submit",
    )
    finance_home = web(team[Role.FINANCE]).get("/").content.decode()
    head_home = web(team[Role.UNIT_HEAD]).get("/").content.decode()
    transition_apply(obj=purchase, name="confirm_funds", actor=team[Role.FINANCE])
    head_after = web(team[Role.UNIT_HEAD]).get("/").content.decode()

    item = f'<a href="/zakupy/{purchase.pk}/">'
    assert f"{item}Potwierdź środki: {purchase.number} Warsztaty dla seniorów</a>" in finance_home
    assert item not in head_home
    assert f"{item}Zatwierdź zamówienie: {purchase.number} Warsztaty dla seniorów</a>" in head_after


def test_a_refused_need_keeps_what_was_typed(team, group):
    response = web(team[Role.OFFICIAL]).post(
        "/zakupy/nowe/",
        {
            "requesting_unit": "Wydział Kultury",
            "title": "Koncert podwórkowy",
            "expected_result": "Koncert dla 100 osób",
            "group": group.pk,
            "cpv_code": "79952000-2",
            "estimated_net": "8000",
            "vat_rate": "8",
            "estimation_method": "Cennik",
            "estimated_on": "2026-02-01",
            "estimated_by": "Jan Kowalski",
            "legal_basis": "regulation",
            "planned_start": "2026-06-01",
            "planned_end": "2026-05-01",
            "price_weight": "100",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert Purchase.objects.count() == 0
    assert 'value="Koncert podwórkowy"' in page
    assert "Kod CPV 79952000-2 nie należy do grupy" in page
    assert "Planowany koniec nie może być przed planowanym początkiem." in page
    assert 'aria-invalid="true"' in page


def test_a_guard_refusal_on_the_page_keeps_the_form(team, group):
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=team[Role.OFFICIAL], group=group),
        team,
        "approve",
    )
    deadline = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    response = web(team[Role.OFFICIAL]).post(
        f"/zakupy/{purchase.pk}/akcje/start_quoting/",
        {
            "start_quoting-deadline": deadline,
            "start_quoting-suppliers": [team.suppliers[0].pk],
            "start_quoting-comment": "Pilne",
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert (
        "Tryb „rozeznanie cenowe” wymaga zaproszenia co najmniej 3 wykonawców; zaproszono 1."
    ) in page
    assert f'value="{deadline}"' in page
    assert "Pilne</textarea>" in page
    assert Purchase.objects.get(pk=purchase.pk).invitations.count() == 0


def test_the_supplier_registry_validates_identifiers_and_deduplicates_by_nip(team):
    official = team[Role.OFFICIAL]
    existing = team.suppliers[0]

    duplicate = api(official).post(
        "/api/v1/suppliers/",
        {
            "kind": "ngo",
            "name": "Kopia",
            "nip": existing.nip,
            "email": "k@example.org",
        },
        format="json",
    )
    invalid = api(official).post(
        "/api/v1/suppliers/",
        {
            "kind": "company",
            "name": "Zła firma",
            "nip": "1234567890",
            "regon": "123",
            "bank_account": "PL00 1234",
            "email": "z@example.org",
        },
        format="json",
    )
    created = api(official).post(
        "/api/v1/suppliers/",
        {
            "kind": "individual",
            "name": "Anna Nowak",
            "email": "anna@example.org",
            "bank_account": "PL61 1090 1014 0000 0712 1981 2874",
        },
        format="json",
    )

    assert duplicate.status_code == 400
    assert duplicate.json()["errors"] == {
        "__all__": ["Wykonawca o tym numerze NIP jest już w rejestrze."]
    }
    assert invalid.status_code == 400
    assert invalid.json()["errors"] == {
        "nip": ["NIP musi mieć 10 cyfr z poprawną cyfrą kontrolną."],
        "regon": ["REGON musi mieć 9 lub 14 cyfr z poprawną cyfrą kontrolną."],
        "bank_account": [
            "Numer rachunku musi mieć 26 cyfr z poprawnymi cyframi kontrolnymi (NRB)."
        ],
    }
    assert created.status_code == 201
    assert created.json()["bank_account"] == "61109010140000071219812874"
    assert api(team[Role.FINANCE]).post("/api/v1/suppliers/", {}, format="json").status_code == 403


def test_an_official_records_a_paper_offer_before_the_deadline_only(team, group):
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=team[Role.OFFICIAL], group=group),
        team,
        "start_quoting",
    )
    supplier = team.suppliers[0]
    before = (purchase.quote_deadline - datetime.timedelta(hours=1)).isoformat()
    late = (purchase.quote_deadline + datetime.timedelta(minutes=5)).isoformat()

    recorded = api(team[Role.OFFICIAL]).post(
        f"/api/v1/purchases/{purchase.pk}/offers/",
        {
            "supplier": supplier.pk,
            "channel": "paper",
            "price_net": "27000.00",
            "price_gross": "33210.00",
            "submitted_at": before,
        },
        format="json",
    )
    too_late = api(team[Role.OFFICIAL]).post(
        f"/api/v1/purchases/{purchase.pk}/offers/",
        {
            "supplier": team.suppliers[1].pk,
            "channel": "email",
            "price_net": "1.00",
            "price_gross": "1.00",
            "submitted_at": late,
        },
        format="json",
    )
    by_finance = api(team[Role.FINANCE]).post(
        f"/api/v1/purchases/{purchase.pk}/offers/", {}, format="json"
    )

    assert recorded.status_code == 201
    assert (recorded.json()["sealed"], recorded.json()["price_net"]) == (True, None)
    offer = Offer.objects.get(purchase=purchase)
    assert (offer.channel, offer.price_net, offer.recorded_by) == (
        "paper",
        Decimal("27000.00"),
        team[Role.OFFICIAL],
    )
    assert too_late.status_code == 409
    assert too_late.json() == {
        "detail": "Zarejestrować można tylko oferty, które wpłynęły przed terminem."
    }
    assert by_finance.status_code == 403


def test_no_valid_offers_returns_to_quoting_after_a_rejection(team, group):
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=official, group=group),
        team,
        "close_quoting",
    )
    for offer in purchase.offers.all():
        response = api(official).post(
            f"/api/v1/purchase-offers/{offer.pk}/reject/",
            {"reason": "Oferta niekompletna"},
            format="json",
        )
        assert response.status_code == 200

    award = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/award/",
        {"contract_form": "order"},
        format="json",
    )
    requote = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/requote/",
        {"deadline": deadline_in(days=5).isoformat()},
        format="json",
    )

    assert award.status_code == 409
    assert award.json() == {"detail": "Nie ma ważnej oferty, którą można wybrać."}
    assert requote.status_code == 200
    assert requote.json()["state"] == "quoting"


def test_an_annex_lets_the_invoice_exceed_the_first_award(team, group):
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(organisation=team.organisation, official=official, group=group),
        team,
        "accept",
    )

    annex = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/annexes/",
        {
            "number": "Aneks 1",
            "signed_on": "2026-06-15",
            "net_change": "1000.00",
            "gross_change": "1230.00",
            "reason": "Dodatkowy warsztat",
        },
        format="json",
    )
    invoice = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/record_invoice/",
        {
            "number": "FV 9/2026",
            "issued_on": "2026-07-02",
            "sale_on": "2026-06-30",
            "received_on": "2026-07-03",
            "net": "29000.00",
            "vat": "6670.00",
            "gross": "35670.00",
            "due_on": "2026-07-16",
        },
        format="json",
    )

    assert annex.status_code == 201
    assert (annex.json()["annexes_net"], annex.json()["annexes_gross"]) == ("1000.00", "1230.00")
    assert invoice.status_code == 200, invoice.json()
    assert invoice.json()["state"] == "invoiced"


def test_any_supplier_quotes_on_a_published_public_inquiry(team, group, client):
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            estimated_net=Decimal("60000.00"),
        ),
        team,
        "approve",
    )
    early = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/start_quoting/",
        {"deadline": deadline_in(days=3).isoformat()},
        format="json",
    )
    assert early.status_code == 400
    assert early.json()["errors"]["deadline"][0].startswith(
        "Zapytanie ofertowe publikuje się przez 7 dni: termin nie może być wcześniejszy niż"
    )
    published = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/start_quoting/",
        {"deadline": deadline_in(days=8).isoformat()},
        format="json",
    )
    assert published.status_code == 200

    listing = client.get("/zakupy/zapytania/").content.decode()
    response = client.post(
        f"/zakupy/zapytania/{purchase.pk}/",
        {
            "supplier-name": "Koło Gospodyń Wiejskich",
            "supplier-kind": "ngo",
            "supplier-nip": "",
            "supplier-address": "Wieś 1",
            "supplier-email": "kgw@example.org",
            "price_net": "55000.00",
            "price_gross": "55000.00",
        },
    )

    assert f'href="/zakupy/zapytania/{purchase.pk}/"' in listing
    assert "Oferta została złożona." in response.content.decode()
    supplier = Supplier.objects.get(email="kgw@example.org")
    assert (supplier.organisation, supplier.offers.get().channel) == (team.organisation, "public")


def test_a_draft_is_edited_on_its_page_and_through_the_api(team, group):
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(organisation=team.organisation, official=official, group=group)

    response = web(official).post(
        f"/zakupy/{purchase.pk}/edycja/",
        {
            "requesting_unit": "Wydział Kultury",
            "title": "Warsztaty dla seniorów",
            "expected_result": "12 warsztatów",
            "group": group.pk,
            "cpv_code": "80500000-9",
            "estimated_net": "32000.00",
            "vat_rate": "8",
            "estimation_method": "Cennik",
            "estimated_on": "2026-02-01",
            "estimated_by": "Jan Kowalski",
            "legal_basis": "regulation",
            "planned_start": "2026-04-01",
            "planned_end": "2026-06-30",
            "price_weight": "60",
            "other_name": "doświadczenie",
            "other_weight": "40",
            "other_description": "lata",
        },
    )
    patched = api(official).patch(
        f"/api/v1/purchases/{purchase.pk}/", {"vat_rate": "zw"}, format="json"
    )

    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.requesting_unit, purchase.estimated_net) == (
        "Wydział Kultury",
        Decimal("32000.00"),
    )
    assert [(c.name, c.weight, c.is_price) for c in purchase.criteria.all()] == [
        ("cena", Decimal("60.00"), True),
        ("doświadczenie", Decimal("40.00"), False),
    ]
    assert (patched.status_code, patched.json()["estimated_gross"]) == (200, "32000.00")


def test_a_reserved_order_admits_only_eligible_suppliers(team, group):
    official = team[Role.OFFICIAL]
    purchase = drive(
        purchase_draft(
            organisation=team.organisation,
            official=official,
            group=group,
            legal_basis="reserved_94",
        ),
        team,
        "approve",
    )
    team.suppliers[0].reserved_art94 = True
    team.suppliers[0].save(update_fields=["reserved_art94"])

    response = api(official).post(
        f"/api/v1/purchases/{purchase.pk}/transitions/start_quoting/",
        {"deadline": deadline_in(days=2).isoformat(), "suppliers": [s.pk for s in team.suppliers]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "suppliers": [
            f"{team.suppliers[1].name} nie może uczestniczyć w tym zamówieniu zastrzeżonym."
        ]
    }
    assert Purchase.objects.get(pk=purchase.pk).invitations.count() == 0
