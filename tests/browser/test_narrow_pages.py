"""The office's pages on a phone (#12): the official's application queue (with its
filters), the call, the agreement and the report under review; finance's payment batch,
budget plan and settlement register; the purchase register and the suppliers. Each with
rows in its tables, at 320x640 and 390x844: the document never scrolls sideways, a table
wider than the page scrolls inside its own keyboard-focusable region, and axe reports no
WCAG 2.1 A/AA violation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from grants import services as grant_services
from tests.factories import UserFactory
from tests.finance.batches_support import World as PaymentWorld
from tests.finance.budget_support import classification, plan
from tests.finance.settlements_support import cheap_rows
from tests.grants.conftest import GrantWorld
from tests.purchases.factories import SupplierFactory, user_with
from workflows.engine import transition_apply

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ({"width": 320, "height": 640}, {"width": 390, "height": 844})

# What sticks out on the right, to name it when a page scrolls sideways.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
    + Math.round(e.getBoundingClientRect().right)).join('; ')"""

# Tables wider than the page that do not scroll inside a region Tab can reach.
UNREACHABLE_TABLES = """() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.getBoundingClientRect().width > document.querySelector('main').clientWidth)
  .filter(t => {
    const region = t.closest('[tabindex="0"][role="region"]');
    return !region || !['auto', 'scroll'].includes(getComputedStyle(region).overflowX)
      || !(region.getAttribute('aria-label') || region.getAttribute('aria-labelledby'));
  })
  .map(t => (t.caption ? t.caption.textContent : t.rows[0].textContent).trim().slice(0, 60))"""


@pytest.fixture
def office(settings, tmp_path):
    """One municipality with something on every page: applications in several states,
    an agreement whose report is under review, a payment batch, a budget plan, purchases
    and grants in the registers, suppliers."""
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENTS_CLAMD = ""
    world = GrantWorld(now=timezone.now())
    world.submitted(applicant=UserFactory())
    world.evaluated(applicant=UserFactory())
    agreement = world.agreement_in_implementation()
    materials, admin = agreement.application.budget_lines.order_by("pk")
    report = grant_services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Ogród założony, odbyły się 4 spotkania.",
        volunteer_hours=Decimal("24"),
        expenses=[
            {
                "document_number": "FV 1/12/2026/ZIELONA/ROŚLINY",
                "document_date": datetime.date(2026, 11, 23),
                "issuer": "Przedsiębiorstwo Ogrodniczo-Handlowe „Szkółka Roślin” sp. z o.o.",
                "purpose": "Sadzonki",
                "budget_line_id": materials.pk,
                "amount": Decimal("2400.00"),
                "from_grant": Decimal("2100.00"),
            },
            {
                "document_number": "R 7/2026",
                "document_date": datetime.date(2026, 11, 23),
                "issuer": "Biuro Rachunkowe",
                "purpose": "Księgowość",
                "budget_line_id": admin.pk,
                "amount": Decimal("300.00"),
                "from_grant": Decimal("300.00"),
            },
        ],
    )
    report = transition_apply(obj=report, name="submit", actor=world.resident)
    transition_apply(obj=report, name="start_review", actor=world.official)

    organisation = world.organisation
    payments = PaymentWorld(organisation)
    batch = payments.batch(payments.orders(3))
    line = classification("921-92105-2360")
    plan(organisation, line, "50000.00", world.finance)
    cheap_rows(organisation, 4)
    SupplierFactory(
        organisation=organisation,
        name="Przedsiębiorstwo Usługowo-Handlowo-Produkcyjne „Wielobranżowiec” Kowalski",
    )
    purchaser = user_with(organisation, Role.OFFICIAL, Role.FINANCE)
    return {
        "world": world,
        "agreement": agreement,
        "batch": batch,
        "purchaser": purchaser,
    }


def narrow(page, name: str) -> list[str]:
    """What is wrong with the current page at 320 and 390 px, each naming the page."""
    problems = []
    for size in SIZES:
        page.set_viewport_size(size)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if not scroll_width <= inner_width:
            problems.append(
                f"{name} scrolls sideways at {size['width']} px "
                f"({scroll_width} > {inner_width}): {page.evaluate(WIDEST)}"
            )
        unreachable = page.evaluate(UNREACHABLE_TABLES)
        if unreachable:
            problems.append(
                f"{name} at {size['width']} px: tables wider than the page outside a "
                f"focusable scroll region: {unreachable}"
            )
    return problems


def test_the_office_pages_reflow_at_320_and_390_px(page, live_server, accessible, office):
    world = office["world"]
    agreement = office["agreement"]
    pages = [
        (world.official, "the application queue", "/granty/kolejka/"),
        (
            world.official,
            "the application queue, filtered",
            f"/granty/kolejka/?call={world.call.pk}&state=submitted&q=Ogr%C3%B3d",
        ),
        (world.official, "the call", f"/granty/nabory/{world.call.pk}/"),
        (world.official, "the agreement", f"/granty/umowy/{agreement.pk}/"),
        (world.official, "the report under review", f"/granty/umowy/{agreement.pk}/sprawozdanie/"),
        (world.finance, "the payment batch", f"/finanse/paczki/{office['batch'].pk}/"),
        (world.finance, "the budget plan", "/finanse/budzet/plan/"),
        (world.finance, "the settlement register", "/finanse/rozliczenia/"),
        (office["purchaser"], "the purchase register", "/zakupy/rejestr/"),
        (office["purchaser"], "the suppliers", "/zakupy/wykonawcy/"),
    ]
    problems = []
    for user, name, url in pages:
        sign_in(page, live_server, user)
        page.set_viewport_size(SIZES[1])
        response = page.goto(url)
        assert response.status == 200, f"{name}: {response.status}"
        rows = page.locator("main table tbody tr").count()
        if name not in ("the call", "the agreement"):
            assert rows > 0, f"{name} shows no rows in its tables"
        if name.startswith("the application queue"):
            assert page.get_by_role("search", name="Filtruj wnioski").is_visible()
        accessible(page)
        problems += narrow(page, name)
    assert problems == [], "\n".join(problems)
    assert len(accessible.checked) == len(pages)
