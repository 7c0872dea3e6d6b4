"""Issue 12: the purchase process's messages carry their values (amounts net and gross,
dates, the justification of an override, the reason of a cancellation, the invoice and
its payment order) and say who does what next."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Role
from notifications.models import Notification
from workflows.engine import transition_apply

from .factories import Team, drive, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def told(user, kind) -> tuple[str, str]:
    [message] = Notification.objects.filter(recipient=user, kind=kind)
    with translation.override("pl"):
        return message.rendered()


def test_a_submitted_need_carries_its_value_dates_and_what_to_do(team, group):
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = transition_apply(obj=purchase, name="submit", actor=official)

    subject, body = told(team[Role.UNIT_HEAD], "purchases.purchase.submit")
    assert subject == f"Zamówienie {purchase.number} złożone: 30 000,00 zł netto"
    assert body == (
        f"Zapotrzebowanie {purchase.number} „Warsztaty” (Wydział Spraw Społecznych) zostało "
        "złożone: szacunkowo 30 000,00 zł netto, 36 900,00 zł brutto, planowane od 1 kwietnia "
        "2026 do 30 czerwca 2026. Księgowość: potwierdź, że środki są zaplanowane. Kierownik "
        "komórki: następnie zatwierdź je lub zwróć do poprawy."
    )


def test_a_cancellation_carries_its_reason(team, group):
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty",
        estimated_net=Decimal("10000.00"),
    )
    purchase = transition_apply(obj=purchase, name="submit", actor=official)

    transition_apply(
        obj=purchase, name="cancel", actor=official, payload={"reason": "Zmiana planów."}
    )

    assert told(team[Role.FINANCE], "purchases.purchase.cancel") == (
        f"Zamówienie {purchase.number} unieważnione",
        f"Zamówienie {purchase.number} „Warsztaty” zostało unieważnione.\n\nPowód:\n"
        "Zmiana planów.\n\nJego wartość nie wlicza się już do grupy; nic więcej nie trzeba "
        "robić.",
    )


def awarded_supplier(purchase):
    purchase.refresh_from_db()
    return purchase.awarded_offer.supplier


def test_recorded_invoice_tells_finance_the_number_the_amount_and_by_when(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = drive(draft, team, "record_invoice")

    supplier = awarded_supplier(purchase)
    [message] = Notification.objects.filter(
        recipient=team[Role.FINANCE], kind="purchases.purchase.record_invoice"
    )
    assert message.essential
    assert told(team[Role.FINANCE], "purchases.purchase.record_invoice") == (
        "Faktura FV 7/2026 do zapłaty: 34 440,00 zł do 16 lipca 2026",
        f"Zarejestrowano fakturę FV 7/2026 wystawioną 2 lipca 2026 przez wykonawcę "
        f"{supplier.name} do zamówienia {purchase.number} „Warsztaty”: 28 000,00 zł netto, "
        "6 440,00 zł VAT, 34 440,00 zł brutto, termin płatności 16 lipca 2026. Utworzono "
        f"dyspozycję płatności na kwotę 34 440,00 zł na rzecz wykonawcy {supplier.name} "
        f"(rachunek {supplier.bank_account}).\n\nZapłać do 16 lipca 2026: dołącz dyspozycję "
        "do paczki przelewów (wynik z banku oznaczy wtedy zamówienie jako zapłacone) albo, "
        "jeśli zapłata nastąpi inaczej, oznacz zamówienie jako zapłacone.",
    )
    with translation.override("en"):
        assert message.rendered()[0] == "Invoice FV 7/2026 to pay: 34 440,00 zł by 16 July 2026"


def test_a_paid_purchase_asks_the_requester_to_close_the_file(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = drive(draft, team, "mark_paid")

    supplier = awarded_supplier(purchase)
    assert told(official, "purchases.purchase.mark_paid") == (
        f"Zamówienie {purchase.number} zapłacone: 34 440,00 zł",
        f"Faktura FV 7/2026 wystawiona przez wykonawcę {supplier.name} do zamówienia "
        f"{purchase.number} „Warsztaty” na kwotę 34 440,00 zł brutto została zapłacona "
        "10 lipca 2026. Zamknij sprawę na stronie zamówienia; nic więcej nie pozostało do "
        "zrobienia.",
    )


def test_an_accepted_delivery_tells_finance_what_was_accepted(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )
    delivered = drive(draft, team, "report_delivery")

    purchase = transition_apply(
        obj=delivered,
        name="accept",
        actor=official,
        payload={
            "accepted_on": "2026-07-01",
            "delivered": "8 z 10 warsztatów",
            "partial": True,
            "defects": "Dwa warsztaty odwołane.",
            "accepted_net": "22400.00",
        },
    )

    supplier = awarded_supplier(purchase)
    assert told(team[Role.FINANCE], "purchases.purchase.accept") == (
        f"Zamówienie {purchase.number}: dostawa odebrana, 22 400,00 zł netto",
        f"Dostawa w zamówieniu {purchase.number} „Warsztaty” (wykonawca: {supplier.name}) "
        "została odebrana 1 lipca 2026: 22 400,00 zł netto z 28 000,00 zł netto udzielonego "
        "zamówienia. Odbiór częściowy. Stwierdzone wady: Dwa warsztaty odwołane.\n\n"
        "Wykonawca może teraz wystawić fakturę. Na razie nie musisz nic robić: gdy faktura "
        "zostanie zarejestrowana, dostaniesz wiadomość z kwotą i terminem zapłaty.",
    )


def test_confirmed_funds_and_the_approval_say_who_does_what_next(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = drive(draft, team, "approve")

    assert told(team[Role.UNIT_HEAD], "purchases.purchase.confirm_funds") == (
        f"Zamówienie {purchase.number}: środki potwierdzone, zatwierdź je",
        f"Księgowość potwierdziła, że środki na zapotrzebowanie {purchase.number} "
        "„Warsztaty” (Wydział Spraw Społecznych) są zaplanowane: szacunkowo 30 000,00 zł "
        "netto, 36 900,00 zł brutto. Zatwierdź zamówienie albo zwróć je do poprawy.",
    )
    approved = (
        f"Zamówienie {purchase.number} zatwierdzone: 30 000,00 zł netto",
        f"Kierownik komórki zatwierdził zamówienie {purchase.number} „Warsztaty”: "
        "szacunkowo 30 000,00 zł netto, 36 900,00 zł brutto, planowane od 1 kwietnia 2026 do "
        "30 czerwca 2026.\n\nUrzędnik prowadzący: zaproś do składania ofert na stronie "
        "zamówienia (rozeznanie cenowe; liczba wykonawców do zaproszenia: co najmniej 3).\n"
        "Księgowość: nie musisz teraz nic robić; dostaniesz wiadomość, gdy zamówienie "
        "zostanie udzielone.",
    )
    assert told(official, "purchases.purchase.approve") == approved
    assert told(team[Role.FINANCE], "purchases.purchase.approve") == approved
    [message] = Notification.objects.filter(recipient=official, kind="purchases.purchase.approve")
    with translation.override("en"):
        assert "(price survey; suppliers to invite: at least 3)" in message.rendered()[1]


def test_opened_offers_name_the_best_scored(team, group):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = drive(draft, team, "close_quoting")

    best = purchase.best_offer()
    subject, body = told(official, "purchases.purchase.close_quoting")
    assert subject == f"Zamówienie {purchase.number}: oferty otwarte, liczba ofert: 3"
    assert body == (
        f"Termin składania ofert w zamówieniu {purchase.number} „Warsztaty” upłynął 23 "
        "listopada 2026, 09:59. Liczba ofert: 3, w tym ważnych: 3. Najwyżej oceniona oferta: "
        f"{best.supplier.name}, 28 000,00 zł netto, 34 440,00 zł brutto, 100,00 pkt.\n\n"
        "Sprawdź ocenę ofert i udziel zamówienia na stronie zamówienia albo, jeśli żadna "
        "oferta nie jest ważna, ponownie zaproś do składania ofert."
    )
