"""Acceptance 5: a unit registers a need, finance confirms the funds, the head
approves, a supplier submits an offer through the personal link, the official awards,
accepts and records the invoice; axe reports no WCAG 2.1 A/AA violation on any page."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from purchases.models import Invoice, Purchase
from tests.purchases.factories import GroupFactory, SupplierFactory, bands_create, user_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    """Put a session for ``user`` into the browser (the sign-in page has its own test)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def act(page, accessible, name: str, fields: dict | None = None) -> None:
    form = page.locator(f"form[aria-labelledby='action-{name}']")
    for label, value in (fields or {}).items():
        control = form.get_by_label(label, exact=True)
        if isinstance(value, bool):
            control.check()
        elif control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_text("Gotowe.").is_visible(), page.content()
    accessible(page)


def test_a_need_goes_from_registration_to_invoice(page, accessible, live_server, organisation):
    bands_create(organisation)  # and the threshold, which an earlier flush may have removed
    group = GroupFactory(organisation=organisation, name="Warsztaty edukacyjne i kulturalne")
    supplier = SupplierFactory(organisation=organisation, name="Fundacja Pod Lipą")
    official = user_with(organisation, Role.OFFICIAL)
    head = user_with(organisation, Role.UNIT_HEAD)
    finance = user_with(organisation, Role.FINANCE)

    sign_in(page, live_server, official)
    page.goto("/zakupy/")
    accessible(page)
    page.get_by_role("link", name="Zgłoś zapotrzebowanie").click()
    accessible(page)
    page.get_by_label("komórka zamawiająca").fill("Wydział Spraw Społecznych")
    page.get_by_label("tytuł").fill("Warsztaty dla seniorów")
    page.get_by_label("oczekiwany rezultat").fill("8 warsztatów dla 12 seniorów")
    page.get_by_label("grupa zamówień tego samego rodzaju").select_option(label=group.name)
    page.get_by_label("kod CPV").fill("80500000-9")
    page.get_by_label("wartość szacunkowa netto (zł)").fill("15000")
    page.get_by_label("stawka VAT").select_option(label="23%")
    page.get_by_label("sposób oszacowania wartości").fill("Ceny z trzech ofert z 2025 r.")
    page.get_by_label("data oszacowania").fill("2026-03-01")
    page.get_by_label("osoba szacująca").fill("Anna Nowak")
    page.get_by_label("podstawa prawna").select_option(label="mikrozakup usługi społecznej")
    page.get_by_label("planowany początek").fill("2026-04-01")
    page.get_by_label("planowany koniec").fill("2026-05-31")
    page.get_by_label("planowany koniec").press("Tab")
    page.get_by_role("button", name="Zapisz projekt").click()
    page.wait_for_load_state()
    assert page.get_by_text("Zapotrzebowanie zapisano jako projekt.").is_visible()
    accessible(page)
    purchase = Purchase.objects.get()
    detail = f"/zakupy/{purchase.pk}/"
    act(page, accessible, "submit")
    assert Purchase.objects.get().state == "submitted"

    sign_in(page, live_server, finance)
    page.goto("/")
    page.get_by_role("link", name=re.compile("Potwierdź środki")).click()
    accessible(page)
    act(page, accessible, "confirm_funds")

    sign_in(page, live_server, head)
    page.goto("/")
    page.get_by_role("link", name=re.compile("Zatwierdź zamówienie")).click()
    accessible(page)
    act(page, accessible, "approve")
    assert Purchase.objects.get().state == "approved"

    sign_in(page, live_server, official)
    page.goto(detail)
    deadline = timezone.localtime() + datetime.timedelta(days=2)
    act(
        page,
        accessible,
        "start_quoting",
        {
            "termin składania ofert": deadline.strftime("%Y-%m-%dT%H:%M"),
            f"{supplier.name} ({supplier.email})": True,
        },
    )
    page.get_by_role("link", name="Zarejestruj ofertę złożoną na papierze lub e-mailem").click()
    accessible(page)
    page.goto("/zakupy/wykonawcy/")
    accessible(page)
    page.get_by_role("link", name="Dodaj wykonawcę").click()
    accessible(page)
    page.goto("/zakupy/zapytania/")
    accessible(page)
    [invitation] = [m for m in mail.outbox if m.to == [supplier.email]]
    link = re.search(r"https?://\S+(/zakupy/oferta/\S+/)", invitation.body).group(1)

    page.context.clear_cookies()
    page.goto(link)
    accessible(page)
    page.get_by_label("cena netto (zł)").fill("14000")
    page.get_by_label("cena brutto (zł)").fill("17220")
    page.get_by_role("button", name="Złóż ofertę").click()
    page.wait_for_load_state()
    assert page.get_by_text("Oferta została złożona.").is_visible()
    accessible(page)

    Purchase.objects.filter(pk=purchase.pk).update(
        quote_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    sign_in(page, live_server, official)
    page.goto(detail)
    act(page, accessible, "close_quoting")
    assert page.get_by_role("cell", name=re.compile(r"^17.220,00.zł$")).is_visible()
    act(page, accessible, "award", {"forma zamówienia": "zlecenie"})
    act(page, accessible, "start_execution", {"data": "2026-03-25"})
    act(page, accessible, "report_delivery", {"data": "2026-05-31"})
    act(
        page,
        accessible,
        "accept",
        {
            "data odbioru": "2026-06-01",
            "co wykonano": "8 warsztatów, 12 uczestników",
        },
    )
    act(
        page,
        accessible,
        "record_invoice",
        {
            "numer faktury": "FV 3/2026",
            "data wystawienia": "2026-06-02",
            "data sprzedaży": "2026-05-31",
            "data wpływu": "2026-06-03",
            "netto": "14000",
            "VAT": "3220",
            "brutto": "17220",
            "termin płatności": "2026-06-17",
        },
    )

    purchase = Purchase.objects.get()
    assert purchase.state == "invoiced"
    assert Invoice.objects.get().payment_order.amount == 17220
    assert page.get_by_role("link", name=re.compile("Zlecenie")).is_visible()
    assert len(accessible.checked) == 21
