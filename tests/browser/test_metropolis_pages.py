"""The metropolis pages in a browser: its staff read the members' figures with the
chart; anyone searches the good-practice catalogue and opens a practice and a
programme; an official publishes a settled initiative. axe reports no WCAG 2.1 A/AA
violation on any of them, and they reflow at 320 px."""

import datetime

import pytest

from metropolis.services import practice_initial, practice_publish, programme_publish
from tests.metropolis.conftest import MetroWorld

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_metropolis_pages_are_accessible(page, accessible, live_server):
    metro = MetroWorld()
    official = metro.official[metro.alfa.pk]
    fields = practice_initial(metro.agreement_settled)
    fields.update(
        area=metro.area_a,
        consent_note="Pisemna zgoda grupy",
        consent_given_on=datetime.date(2026, 11, 2),
    )
    practice = practice_publish(agreement=metro.agreement_settled, actor=official, fields=fields)
    programme = programme_publish(
        call=metro.call_a, actor=official, title="Program Alfa", description="", documents=""
    )

    page.goto("/dobre-praktyki/")
    accessible(page)
    page.get_by_label("szukaj").fill("warsztatach")
    page.get_by_role("button", name="Szukaj").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Warsztaty dla seniorów").click()
    page.wait_for_load_state()
    assert page.url.endswith(practice.get_absolute_url())
    accessible(page)
    page.goto(programme.get_absolute_url())
    accessible(page)
    page.goto("/otwarte-dane/")
    accessible(page)

    sign_in(page, live_server, metro.metro_staff)
    page.goto("/metropolia/")
    assert page.locator("svg[role=img]").count() == 1
    accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320 + 1, width

    sign_in(page, live_server, metro.official[metro.beta.pk])
    page.goto("/dobre-praktyki/do-opublikowania/")
    accessible(page)
