"""The budget and settlement pages in a browser: finance sets a plan line, reads the
year's summary with its chart, filters the settlement register and builds its XLSX;
axe reports no WCAG 2.1 A/AA violation on any page."""

import pytest

from accounts.models import Role
from finance.models import Export
from tests.factories import OrganisationFactory
from tests.finance.batches_support import user_with
from tests.finance.budget_support import classification, plan
from tests.finance.settlements_support import cheap_rows
from tests.purchases.factories import nrb

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_reads_the_plan_the_summary_and_the_register(page, accessible, live_server):
    organisation = OrganisationFactory()
    finance = user_with(organisation, Role.FINANCE)
    line = classification("921-92105-2360")
    plan(organisation, line, "50000.00", finance)
    cheap_rows(organisation, 4)

    sign_in(page, live_server, finance)
    page.goto("/finanse/")
    accessible(page)
    page.get_by_role("link", name="Plan budżetu").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Plan budżetu na 2026 r.").is_visible()
    accessible(page)

    page.goto(f"/finanse/budzet/podsumowanie/?organisation={organisation.pk}&year=2026")
    assert page.locator("svg[role=img]").count() == 1
    accessible(page)

    page.goto("/finanse/rozliczenia/")
    accessible(page)
    assert page.locator("table tbody tr").count() == 4
    page.get_by_label("status").select_option(value="purchase:paid")
    page.get_by_role("button", name="Filtruj").click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() == 2
    accessible(page)

    page.get_by_role("button", name="Przygotuj XLSX").click()
    page.wait_for_load_state()
    export = Export.objects.get(format="xlsx")
    assert (export.status, export.rows_total, export.filters["status"]) == (
        "done",
        2,
        "purchase:paid",
    )
    assert page.get_by_role("link", name="Pobierz").first.is_visible(), page.content()
    accessible(page)

    page.goto("/finanse/eksporty/")
    accessible(page)


def test_finance_adds_a_bank_account_on_a_phone_after_a_typo(page, accessible, live_server):
    organisation = OrganisationFactory()
    finance = user_with(organisation, Role.FINANCE)
    page.set_viewport_size({"width": 320, "height": 800})

    sign_in(page, live_server, finance)
    page.goto("/finanse/")
    page.get_by_role("link", name="Rachunki bankowe").click()
    page.wait_for_load_state()
    accessible(page)
    page.get_by_label("Nazwa").fill("Rachunek główny")
    page.get_by_label("Numer rachunku (NRB)").fill("12 3456")
    page.get_by_role("button", name="Dodaj rachunek").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Nazwa").input_value() == "Rachunek główny"
    accessible(page)
    # No sideways scrolling at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    number = nrb(3)
    page.get_by_label("Numer rachunku (NRB)").fill(
        " ".join([number[:2], number[2:14], number[14:]])
    )
    page.get_by_role("button", name="Dodaj rachunek").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name=number).is_visible()
    accessible(page)
