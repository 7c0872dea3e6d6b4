"""The resident's whole journey on a phone (390x844), with JavaScript on and off (#12):
apply with three members and two budget lines, make a mistake and see it at the field
with nothing lost, attach a file, submit, answer a correction with an attachment,
download the agreement, file the report with a photo. axe checks every page, and no
page scrolls sideways at 320 or 390 px. The office's steps between are done by the
services (the office's own pages have their own journeys)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from grants import services
from tests.grants.conftest import GrantWorld
from workflows.engine import transition_apply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENTS_CLAMD = ""
    return GrantWorld(now=timezone.now(), evaluators_per_application=1)


def phone(browser, live_server, user, *, javascript: bool):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        locale="pl-PL",
        base_url=live_server.url,
        viewport=PHONE,
        java_script_enabled=javascript,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


# What sticks out on the right, to name it when a page scrolls sideways.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(-5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
    + Math.round(e.getBoundingClientRect().right)).join('; ')"""


class Checks:
    """axe and the sideways-scrolling check on every page the journey visits."""

    def __init__(self, accessible, mirror=None):
        self.accessible = accessible
        self.mirror = mirror  # a page with JavaScript, for axe when the journey has none
        self.pages: list[str] = []

    def __call__(self, page) -> None:
        if self.mirror is None:
            self.accessible(page)
        else:
            # axe waits on timers, which never fire where JavaScript is off: it checks the
            # same document, as the page without JavaScript shows it, in a page with it.
            html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
            self.mirror.set_content(html)
            self.accessible(self.mirror)
        for width in (320, 390):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px: " + (
                page.evaluate(WIDEST)
            )
        page.set_viewport_size(PHONE)
        self.pages.append(page.url)


def office_requests_corrections(world, application):
    return transition_apply(
        obj=application,
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołączcie zgodę zarządcy terenu.", "days": 7},
    )


def office_grants_and_signs(world, application):
    """Formal check, one evaluator, approval at 3000 zł, the agreement generated and
    running: what the office does between the resident's visits."""
    application.refresh_from_db()
    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={item.pk: True for item in application.call.checklist.all()},
    )
    application = transition_apply(obj=application, name="pass_formal_check", actor=world.official)
    (review,) = services.reviews_assign(
        application=application, evaluators=world.evaluators[:1], actor=world.official
    )
    review = transition_apply(obj=review, name="declare", actor=review.evaluator)
    services.review_score(
        review=review,
        actor=review.evaluator,
        scores=[
            {"criterion": c.pk, "points": p, "justification": "Dobrze."}
            for c, p in zip(application.call.criteria.all(), (8, 15), strict=True)
        ],
    )
    transition_apply(obj=review, name="submit", actor=review.evaluator)
    application.refresh_from_db()
    if application.state == "formally_accepted":
        transition_apply(obj=application, name="complete_evaluation", actor=None)
    application.refresh_from_db()
    application = transition_apply(
        obj=application,
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "Wysoka ocena."},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), timezone.localdate() + datetime.timedelta(days=3))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    for name, payload in [
        ("generate", {}),
        ("send_for_signature", {}),
        ("sign", {"signed_on": timezone.localdate().isoformat()}),
        ("start_implementation", {}),
    ]:
        agreement = transition_apply(
            obj=agreement, name=name, actor=world.official, payload=payload
        )
    return agreement


def fill_application(page, world):
    form = world.draft_payload()
    fields = {
        "Nazwa wnioskodawcy": form["applicant_name"],
        "Adres do korespondencji": form["address"],
        "Rachunek bankowy (NRB)": "61 1090 1014 0000 0712 1981 2874",
        "Tytuł inicjatywy": form["title"],
        "Miejsce": form["place"],
        "Data rozpoczęcia": form["start_date"],
        "Data zakończenia": form["end_date"],
        "Streszczenie": form["summary"],
        "Cele": form["goals"],
        "Odbiorcy": form["beneficiaries"],
        "Zakładane rezultaty": form["expected_results"],
        "Liczba godzin pracy wolontariuszy": "20",
        "Stawka godzinowa pracy wolontariuszy": "30.00",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    for i in range(3):
        page.locator(f"#id_members-{i}-full_name").fill(f"Członek {i + 1}")
        # The mistake: the second member's address.
        page.locator(f"#id_members-{i}-email").fill(
            "czlonek2-at-example.org" if i == 1 else f"czlonek{i + 1}@example.org"
        )
        page.locator(f"#id_members-{i}-declares_adult_resident").check()
        page.locator(f"#id_members-{i}-consents_to_processing").check()
    page.locator("#id_members-0-is_leader").check()
    page.locator("#id_activities-0-name").fill("Sadzenie")
    page.locator("#id_activities-0-start_date").fill("2026-12-01")
    page.locator("#id_activities-0-end_date").fill("2026-12-05")
    page.locator("#id_indicators-0-name").fill("Spotkania sąsiedzkie")
    page.locator("#id_indicators-0-target").fill("4")
    page.locator("#id_indicators-0-unit").fill("spotkania")
    for i, line in enumerate(form["budget_lines"]):
        page.locator(f"#id_lines-{i}-category").select_option(
            label=["Materiały", "Koszty administracyjne"][i]
        )
        for field in ("description", "unit", "quantity", "unit_cost", "from_grant", "own_money"):
            page.locator(f"#id_lines-{i}-{field}").fill(str(line[field]))
        page.locator(f"#id_lines-{i}-own_in_kind").fill("0")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_residents_whole_journey_on_a_phone(
    browser, live_server, world, accessible, javascript, tmp_path
):
    resident = phone(browser, live_server, world.resident, javascript=javascript)
    mirror = None if javascript else phone(browser, live_server, world.resident, javascript=True)
    check = Checks(accessible, mirror)
    resident.goto("/granty/")
    check(resident)
    resident.get_by_role("link", name="Fundusz sąsiedzki 2026").click()
    check(resident)
    resident.get_by_role("link", name="Złóż wniosek").click()
    check(resident)
    resident.get_by_label("grupa nieformalna").check()
    resident.get_by_role("button", name="Rozpocznij wniosek").click()
    check(resident)
    assert resident.locator("input[name$='-full_name'][name^='members-']").count() == 3
    assert resident.locator("#id_krs").count() == 0

    fill_application(resident, world)
    resident.get_by_role("button", name="Zapisz szkic", exact=True).click()

    # The mistake is listed at the top, with a link, and shown at its field.
    summary = resident.locator("#error-summary")
    summary.wait_for()
    if javascript:
        assert resident.evaluate("document.activeElement.id") == "error-summary"
    link = summary.get_by_role("link", name="Członek 2, e-mail: Podaj poprawny adres e-mail.")
    assert link.get_attribute("href") == "#id_members-1-email"
    assert resident.locator("#id_members-1-email_errors").inner_text() == (
        "Podaj poprawny adres e-mail."
    )
    check(resident)
    # Nothing typed is lost, and what was valid is saved.
    assert resident.get_by_label("Tytuł inicjatywy", exact=True).input_value() == (
        "Ogród społeczny na Zielonej"
    )
    assert resident.locator("#id_members-1-email").input_value() == "czlonek2-at-example.org"
    application = world.call.applications.get()
    assert application.account_number == "61109010140000071219812874"
    assert application.budget_lines.count() == 2

    resident.locator("#id_members-1-email").fill("czlonek2@example.org")
    pdf = tmp_path / "kosztorys.pdf"
    pdf.write_bytes(PDF)
    resident.locator("#id_attachment").set_input_files(str(pdf))
    resident.get_by_role("button", name="Dołącz plik").click()
    resident.get_by_text("Dołączono kosztorys.pdf.").wait_for()
    check(resident)
    resident.get_by_role("button", name="Złóż wniosek").click()
    resident.get_by_text("Wniosek został złożony.").wait_for()
    check(resident)

    application = office_requests_corrections(world, world.call.applications.get())
    resident.goto(f"/granty/wnioski/{application.pk}/status/")
    check(resident)
    assert "Dołączcie zgodę zarządcy terenu." in resident.content()
    resident.get_by_role("link", name="Otwórz formularz").click()
    check(resident)
    consent = tmp_path / "zgoda.pdf"
    consent.write_bytes(PDF)
    resident.locator("#id_attachment").set_input_files(str(consent))
    resident.get_by_role("button", name="Złóż wniosek").click()
    resident.get_by_text("Wniosek został złożony.").wait_for()
    check(resident)
    application.refresh_from_db()
    assert application.state == "submitted"

    agreement = office_grants_and_signs(world, application)
    resident.goto(f"/granty/umowy/{agreement.pk}/")
    check(resident)
    with resident.expect_download() as download:
        resident.get_by_role("link", name=f"Pobierz umowę {agreement.number} (v1, PDF)").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    resident.goto(f"/granty/umowy/{agreement.pk}/sprawozdanie/")
    check(resident)
    resident.get_by_label("Co udało się osiągnąć").fill("Ogród założony, 4 spotkania.")
    resident.locator("#id_expenses-0-document_number").fill("FV 1/12/2026")
    resident.locator("#id_expenses-0-document_date").fill("2026-12-03")
    resident.locator("#id_expenses-0-issuer").fill("Szkółka Zielona")
    resident.locator("#id_expenses-0-purpose").fill("Sadzonki")
    resident.locator("#id_expenses-0-budget_line").select_option(index=1)
    resident.locator("#id_expenses-0-amount").fill("2700.00")
    resident.locator("#id_expenses-0-from_grant").fill("2700.00")
    photo = tmp_path / "ogrod.jpg"
    photo.write_bytes(JPEG)
    resident.locator("#id_attachment").set_input_files(str(photo))
    resident.get_by_role("button", name="Złóż sprawozdanie").click()
    resident.get_by_text("Sprawozdanie zostało zapisane.").wait_for()
    check(resident)
    assert "ogrod.jpg" in resident.content()
    agreement.refresh_from_db()
    assert agreement.report.state == "submitted"
    assert [a.original_name for a in _attachments(agreement.report)] == ["ogrod.jpg"]
    assert [(a.original_name, a.purpose) for a in _attachments(application)] == [
        ("kosztorys.pdf", "general"),
        ("zgoda.pdf", "correction"),
    ]
    assert len(check.pages) >= 12


def _attachments(owner):
    from attachments.selectors import attachments_of

    return list(attachments_of(owner))


def test_a_keyboard_alone_submits_an_application(browser, live_server, world, accessible):
    """Tab, Enter and Space only: from the call's page to a submitted application (the
    draft's text is filled in beforehand; the keyboard does the members, the choices and
    every button)."""
    resident = phone(browser, live_server, world.resident, javascript=True)
    resident.goto(f"/granty/nabory/{world.call.pk}/")
    check = Checks(accessible)
    check(resident)

    def tab_to(predicate, limit=400):
        for _ in range(limit):
            resident.keyboard.press("Tab")
            if resident.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    tab_to("document.activeElement.textContent.trim() === 'Złóż wniosek'")
    resident.keyboard.press("Enter")
    resident.wait_for_url("**/wnioskuj/")
    tab_to("document.activeElement.value === 'informal_group'")
    resident.keyboard.press("Space")
    tab_to("document.activeElement.textContent.trim() === 'Rozpocznij wniosek'")
    resident.keyboard.press("Enter")
    resident.wait_for_url("**/edycja/")

    application = world.call.applications.get()
    payload = world.draft_payload()
    lists = {k: payload.pop(k) for k in ("members", "activities", "indicators", "budget_lines")}
    for row in lists["budget_lines"]:
        row["category_id"] = row.pop("category")
    services.application_save_draft(
        application=application, actor=world.resident, fields=payload, **lists
    )
    resident.reload()
    check(resident)
    tab_to("document.activeElement.textContent.trim() === 'Złóż wniosek'", limit=800)
    resident.keyboard.press("Enter")
    resident.get_by_text("Wniosek został złożony.").wait_for()
    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.number == "GMP/2026/FS1/0001"
