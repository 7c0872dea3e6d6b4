"""Issue 12 at a desk (1440x900): the evaluator declares, sees the whole application
and scores; the official opens a case, sees everything, acts in one click and approves
down the ranking in bulk. axe on every page; no sideways scrolling at 320 and 390 px
on every page of this journey."""

import pytest
from django.test import Client
from django.utils import timezone

from grants import services
from grants.models import Application
from tests.grants.conftest import GrantWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1440, "height": 900}
# The outermost elements that stick out on the right, to say what is too wide.
WIDE_ELEMENTS = """
[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .concat([...document.querySelectorAll("body, body *")]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible")
    .map(e => e))
  .slice(0, 12)
  .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().width))
"""


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return GrantWorld(now=timezone.now())


def sign_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="pl-PL", base_url=live_server.url, viewport=DESK)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def no_sideways_scrolling(page) -> None:
    """At 320 and 390 px wide the document is no wider than the viewport (WCAG 1.4.10)."""
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        culprits = page.evaluate(WIDE_ELEMENTS) if overflow > 0 else []
        assert overflow <= 0, f"{page.url} at {width} px: {overflow} px too wide: {culprits}"
    page.set_viewport_size(DESK)


def test_the_evaluator_declares_and_scores_beside_the_whole_application(
    browser, live_server, world, accessible
):
    application = world.formally_accepted()
    [review, _other] = services.reviews_assign(
        application=application, evaluators=world.evaluators, actor=world.official
    )

    evaluator = sign_in(browser, live_server, review.evaluator)
    evaluator.goto("/")
    accessible(evaluator)
    no_sideways_scrolling(evaluator)
    evaluator.get_by_role("link", name="Oceń wniosek GMP/2026/FS1/0001").click()
    accessible(evaluator)
    no_sideways_scrolling(evaluator)
    # Before the declaration: who applies, nothing else.
    assert evaluator.get_by_text("Członek 2").is_visible()
    assert evaluator.get_by_text("Sadzonki i ziemia").count() == 0

    evaluator.get_by_role("button", name="Podpisz deklarację bezstronności").click()
    evaluator.get_by_role("heading", name="Ogród społeczny na Zielonej").wait_for()
    accessible(evaluator)
    no_sideways_scrolling(evaluator)
    for seen in ("Sadzonki i ziemia", "Spotkania sąsiedzkie", "Sadzenie"):
        assert evaluator.get_by_text(seen, exact=True).first.is_visible(), seen
    # The whole application and the form side by side on a desk.
    budget = evaluator.locator("#content-budget").bounding_box()
    scores = evaluator.locator("form button[name=submit]").bounding_box()
    assert scores["x"] > budget["x"] + 400
    evaluator.get_by_label("Wartość dla sąsiedztwa: punkty (0-10)").fill("8")
    evaluator.get_by_label("Wartość dla sąsiedztwa: uzasadnienie").fill("Angażuje sąsiadów.")
    evaluator.get_by_label("Jakość planu: punkty (0-20)").fill("15")
    evaluator.get_by_label("Jakość planu: uzasadnienie").fill("Realny harmonogram.")
    evaluator.get_by_role("button", name="Złóż ocenę").click()
    evaluator.get_by_text("Ocena została złożona i zablokowana.").wait_for()
    accessible(evaluator)
    no_sideways_scrolling(evaluator)
    review.refresh_from_db()
    assert (review.state, review.total) == ("submitted", 23)


def test_the_official_sees_the_case_acts_in_one_click_and_approves_down_the_ranking(
    browser, live_server, world, accessible
):
    submitted = world.submitted()
    services.formal_check_record(
        application=submitted,
        actor=world.official,
        answers={i.pk: True for i in submitted.call.checklist.all()},
    )
    evaluated = world.evaluated()

    official = sign_in(browser, live_server, world.official)
    official.goto(f"/granty/wnioski/{evaluated.pk}/")
    accessible(official)
    no_sideways_scrolling(official)
    for seen in (
        "61109010140000071219812874",
        "czlonek1@example.org",
        "Spotkania sąsiedzkie",
        "Obsługa księgowa",
        "Uzasadnienie.",
    ):
        assert official.get_by_text(seen).first.is_visible(), seen
    history = official.locator("ol.history")
    assert "Złóż wniosek" in history.inner_text()
    assert "Przyjmij formalnie" in history.inner_text()

    official.goto(f"/granty/wnioski/{submitted.pk}/")
    accessible(official)
    no_sideways_scrolling(official)
    official.get_by_role("button", name="Przyjmij formalnie", exact=True).click()
    official.get_by_text("Wykonano: Przyjmij formalnie.").wait_for()
    accessible(official)
    no_sideways_scrolling(official)
    assert Application.objects.get(pk=submitted.pk).state == "formally_accepted"

    official.goto(f"/granty/nabory/{world.call.pk}/ranking/")
    accessible(official)
    no_sideways_scrolling(official)
    official.get_by_label("Uzasadnienie (jedno dla wszystkich)").fill("Decyzja komisji.")
    official.get_by_role("button", name="Podejmij decyzję o zaznaczonych wnioskach").click()
    official.get_by_text("Podjęto decyzję, liczba wniosków: 1.").wait_for()
    accessible(official)
    no_sideways_scrolling(official)
    evaluated.refresh_from_db()
    assert (evaluated.state, evaluated.approved_amount) == ("approved", 3000)
