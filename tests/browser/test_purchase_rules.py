"""Issue 13, acceptance 1 (last part): an organisation administrator changes a value
band from a future date on the rules page; the purchase guard picks the old band before
that date and the new one from it. Finance loads the budget classification and adds an
interest rate on their pages. axe finds no WCAG 2.1 A/AA violation on the pages."""

import datetime

import pytest

from accounts.models import Role
from purchases.models import ValueBand
from purchases.selectors import aggregate_for
from tests.conftest import NOW
from tests.purchases.factories import GroupFactory, bands_create, purchase_draft, user_with

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_changes_a_band_from_a_future_date_and_the_guard_follows(
    page, accessible, live_server, organisation, clock
):
    admin = user_with(organisation, Role.ORG_ADMIN)
    official = user_with(organisation, Role.OFFICIAL)
    survey = bands_create(organisation)[1]
    group = GroupFactory(organisation=organisation)
    purchase = purchase_draft(organisation=organisation, official=official, group=group)

    sign_in(page, live_server, admin)
    page.goto("/")
    page.get_by_role("link", name="Zasady udzielania zamówień").click()
    page.wait_for_url(f"**/zakupy/zasady/{organisation.pk}/")
    accessible(page)
    page.get_by_role("link", name=str(survey)).click()
    page.wait_for_url(f"**/zakupy/zasady/{organisation.pk}/pasma/{survey.pk}/")
    accessible(page)

    # A date in the past is refused at the field; what was typed stays.
    page.get_by_label("obowiązuje od").fill("2026-11-20")
    page.get_by_label("tryb").select_option(ValueBand.Procedure.PUBLIC_INQUIRY)
    page.get_by_role("button", name="Zapisz").click()
    assert page.locator("#id_valid_from_errors").inner_text() == (
        "Zmiana obowiązuje od dziś (2026-11-23) lub później, nigdy wstecz."
    )
    assert page.get_by_label("tryb").input_value() == ValueBand.Procedure.PUBLIC_INQUIRY
    accessible(page)

    page.get_by_label("obowiązuje od").fill("2026-12-01")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(f"**/zakupy/zasady/{organisation.pk}/")
    assert page.locator(".messages").inner_text() == (
        "Nowa wersja przedziału obowiązuje od 2026-12-01."
    )
    accessible(page)

    survey.refresh_from_db()
    new = ValueBand.objects.get(organisation=organisation, valid_from=datetime.date(2026, 12, 1))
    assert survey.valid_to == datetime.date(2026, 11, 30)
    assert aggregate_for(purchase).band.procedure == ValueBand.Procedure.PRICE_SURVEY
    clock.move_to(datetime.datetime(2026, 11, 30, 23, 59, tzinfo=NOW.tzinfo))
    assert aggregate_for(purchase).band == survey
    clock.move_to(datetime.datetime(2026, 12, 1, 0, 1, tzinfo=NOW.tzinfo))
    assert aggregate_for(purchase).band == new
    assert new.procedure == ValueBand.Procedure.PUBLIC_INQUIRY


def test_finance_loads_the_classification_and_adds_an_interest_rate(
    page, accessible, live_server, organisation, tmp_path
):
    finance = user_with(organisation, Role.FINANCE)
    bad = tmp_path / "zla.csv"
    bad.write_text("dział;rozdział;paragraf;nazwa\n92;92105;2360;Dotacja\n", encoding="utf-8")
    good = tmp_path / "dobra.csv"
    good.write_text("dział;rozdział;paragraf;nazwa\n921;92105;2360;Dotacja\n", encoding="utf-8")

    sign_in(page, live_server, finance)
    page.goto("/finanse/")
    page.get_by_role("link", name="Klasyfikacja budżetowa").click()
    page.wait_for_url("**/finanse/klasyfikacja/")
    accessible(page)
    page.get_by_label("rok budżetowy").fill("2027")
    page.get_by_label("plik CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Wczytaj plik").click()
    assert page.locator("#id_file_errors").inner_text() == (
        "wiersz 2: dział musi mieć 3 cyfry, a nie „92”."
    )
    assert page.get_by_label("rok budżetowy").input_value() == "2027"
    accessible(page)
    page.get_by_label("plik CSV").set_input_files(str(good))
    page.get_by_role("button", name="Wczytaj plik").click()
    page.wait_for_url("**/finanse/klasyfikacja/?rok=2027")
    assert page.locator("table tbody tr").inner_text() == "921-92105-2360\tDotacja"
    accessible(page)

    page.goto("/granty/odsetki/")
    page.get_by_label("obowiązuje od").fill("2027-01-01")
    page.get_by_label("stawka roczna w procentach").fill("12.25")
    page.get_by_role("button", name="Dodaj stopę").click()
    page.wait_for_url("**/granty/odsetki/")
    assert page.locator(".messages").inner_text() == "Stopa 12.25% obowiązuje od 2027-01-01."
    accessible(page)
