"""Issue 12, the application form's live check (static/js/application-form.js) on a
phone with JavaScript on: typing a budget line's cost updates the sums and the panel
names the call's rule that is broken, before any button is pressed; nothing is saved."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Application
from tests.grants.conftest import GrantWorld

from .test_resident_journey import Checks, phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINE_FIELDS = ("quantity", "unit_cost", "from_grant", "own_money", "own_in_kind")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return GrantWorld(now=timezone.now(), evaluators_per_application=1)


def saved(application) -> tuple:
    application = Application.objects.get(pk=application.pk)
    lines = list(application.budget_lines.order_by("pk").values_list(*LINE_FIELDS))
    return application.requested_amount, application.updated_at, lines


def totals(page) -> dict[str, str]:
    return {
        key: page.locator(f'[data-total="{key}"]').inner_text()
        for key in ("total_cost", "requested_amount", "own_contribution", "own_share")
    }


def test_typing_a_cost_updates_the_sums_and_names_the_broken_rule_without_saving(
    browser, live_server, world, accessible
):
    draft = world.draft()
    before = saved(draft)
    assert before[2] == [
        (Decimal("10.00"), Decimal("300.00"), Decimal("2700.00"), Decimal("300.00"), Decimal(0)),
        (Decimal("1.00"), Decimal("300.00"), Decimal("300.00"), Decimal(0), Decimal(0)),
    ]
    resident = phone(browser, live_server, world.resident, javascript=True)
    check = Checks(accessible)
    resident.goto(f"/granty/wnioski/{draft.pk}/edycja/")
    check(resident)
    resident.wait_for_selector("#application-form[data-live=on]", state="attached")
    panel = resident.locator("#live-check")
    assert panel.is_hidden()
    assert totals(resident) == {
        "total_cost": "3 300,00 zł",
        "requested_amount": "3 000,00 zł",
        # 300 zł of money and 20 volunteer hours at 30 zł: 900 of 3900 zł.
        "own_contribution": "900,00 zł",
        "own_share": "23,1%",
    }

    # Twice the seedlings: 20 x 300 zł, of which 5100 zł from the grant.
    resident.locator("#id_lines-0-quantity").fill("20")
    resident.locator("#id_lines-0-from_grant").fill("5100.00")
    resident.locator("#id_lines-0-own_money").fill("900.00")

    expect(panel.get_by_role("link")).to_have_text(
        ["Wnioskowana dotacja (5 400,00 zł) przekracza maksimum naboru, 5 000,00 zł."]
    )
    assert panel.locator("[data-state]").inner_text() == "Niezgodności z zasadami naboru: 1"
    assert totals(resident) == {
        "total_cost": "6 300,00 zł",
        "requested_amount": "5 400,00 zł",
        "own_contribution": "1 500,00 zł",
        "own_share": "21,7%",
    }
    check(resident)

    # Back under the maximum: the panel says the draft keeps the rules.
    resident.locator("#id_lines-0-from_grant").fill("4400.00")
    resident.locator("#id_lines-0-own_money").fill("1600.00")
    panel.get_by_text("Szkic spełnia zasady naboru.").wait_for()
    assert panel.get_by_role("link").count() == 0
    assert totals(resident)["requested_amount"] == "4 700,00 zł"

    # Nothing was saved: the draft in the database is as it was.
    assert saved(draft) == before
    assert resident.url.endswith(f"/granty/wnioski/{draft.pk}/edycja/")
