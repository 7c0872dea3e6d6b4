"""The resident's whole journey on a phone (390x844), with JavaScript on and off (#12):
apply with three members and two budget lines, make a mistake and see it at the field
with nothing lost, attach a file, submit, answer a correction with an attachment,
download the agreement, file the report with a photo. axe checks every page, and no
page scrolls sideways at 320 or 390 px. The office's steps between are done by the
services (the office's own pages have their own journeys). The same application is also
filled in and submitted by the keyboard alone: Tab to every field, typing, Space, arrows
and Enter."""

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
        # A click on a link returns once the navigation has begun; the checks read the
        # document only when it has loaded (else they may read an empty one).
        page.wait_for_load_state("load")
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
    if javascript:  # the page's deferred script moves the focus there once it has run
        resident.wait_for_function("() => document.activeElement.id === 'error-summary'")
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


# What has the keyboard's focus, as the walk below reads it.
FOCUSED = """() => { const e = document.activeElement; return {
  tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "", id: e.id,
  text: e.textContent.trim(), value: e.value === undefined ? null : e.value,
  checked: !!e.checked } }"""


def date_order(context) -> str:
    """The order a date field's parts are typed in in this browser ("dmy" or "mdy"):
    headless Chromium lays dates out as en-US (mm/dd/yyyy) whatever the page's locale,
    a Polish one as dd.mm.yyyy. Asked of a scratch page, not of the form."""
    probe = context.new_page()
    probe.set_content('<input type="date">')
    probe.focus("input")
    probe.keyboard.type("11122026")
    value = probe.eval_on_selector("input", "e => e.value")
    probe.close()
    return {"2026-12-11": "dmy", "2026-11-12": "mdy"}[value]


class Keyboard:
    """Tab, Shift+Tab, Enter, Space, arrows and typing: nothing else touches the page."""

    def __init__(self, page):
        self.page = page
        self.date_order = date_order(page.context)

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, wanted, *, back: bool = False, limit: int = 600) -> dict:
        """Tab (or Shift+Tab) until the focused element is ``wanted`` (a predicate on
        ``focused()``); a date field takes one Tab per part, hence the limit."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            if wanted(focused := self.focused()):
                return focused
        raise AssertionError(f"Tab never reached {wanted.__doc__ or wanted}")

    def tab_through(self, values: dict, *, until) -> None:
        """Tab through the form from where the focus is until ``until``, and fill each
        field named in ``values`` as Tab reaches it: typed text, a date typed as its
        digits (in the order the browser shows its parts), Space for a checkbox, the
        arrow keys for a select. Every field named must be reached."""
        left = dict(values)

        def fill(focused):
            if focused["name"] not in left:
                return until(focused)
            value = left.pop(focused["name"])
            if focused["type"] == "checkbox":
                assert value is True and not focused["checked"], focused
                self.page.keyboard.press("Space")
                assert self.focused()["checked"] is True, focused
            elif focused["tag"] == "select":
                self.choose(value)
            elif focused["type"] == "date":
                assert focused["value"] == "", focused
                year, month, day = value.split("-")
                parts = {"d": day, "m": month, "y": year}
                self.page.keyboard.type("".join(parts[p] for p in self.date_order))
                assert self.focused()["value"] == value, self.focused()
            else:
                # Tab selects what a field holds (a budget line's "0"): typing replaces it.
                self.page.keyboard.type(value)
                assert self.focused()["value"] == value, (focused, self.focused())
            return until(self.focused())

        fill.__doc__ = until.__doc__
        if not fill(self.focused()):
            self.tab_to(fill)
        assert left == {}, f"Tab never reached {sorted(left)}"

    def choose(self, label: str) -> None:
        """The option labelled ``label`` of the focused select, by ArrowDown/ArrowUp."""
        labels = self.page.evaluate(
            "() => Array.from(document.activeElement.options).map(o => o.label)"
        )
        current = self.page.evaluate("document.activeElement.selectedIndex")
        steps = labels.index(label) - current
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        chosen = "document.activeElement.selectedOptions[0].label"
        assert self.page.evaluate(chosen) == label


def button(text: str):
    def named(focused) -> bool:
        return focused["tag"] in ("a", "button") and focused["text"] == text

    named.__doc__ = f"the button or link {text!r}"
    return named


def member(i: int, *, email: str) -> dict:
    return {
        f"members-{i}-full_name": f"Członek {i + 1}",
        f"members-{i}-email": email,
        f"members-{i}-declares_adult_resident": True,
        f"members-{i}-consents_to_processing": True,
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_keyboard_alone_submits_an_application(
    browser, live_server, world, accessible, javascript
):
    """Tab, Enter, Space, the arrows and typing only, from the call's page to a submitted
    application: every field the resident fills is reached with Tab; a fourth member is
    added with the form's own button and the keyboard carries on from the new row."""
    resident = phone(browser, live_server, world.resident, javascript=javascript)
    mirror = None if javascript else phone(browser, live_server, world.resident, javascript=True)
    check = Checks(accessible, mirror)
    keys = Keyboard(resident)
    resident.goto(f"/granty/nabory/{world.call.pk}/")
    check(resident)

    keys.tab_to(button("Złóż wniosek"))
    resident.keyboard.press("Enter")
    resident.wait_for_url("**/wnioskuj/")
    check(resident)
    keys.tab_to(lambda f: f["name"] == "kind")
    while keys.focused()["value"] != "informal_group":
        resident.keyboard.press("ArrowDown")
    resident.keyboard.press("Space")
    assert keys.focused()["checked"] is True
    keys.tab_to(button("Rozpocznij wniosek"))
    resident.keyboard.press("Enter")
    resident.wait_for_url("**/edycja/")
    check(resident)
    application = world.call.applications.get()

    form = world.draft_payload()
    main = {
        name: form[name]
        for name in (
            "applicant_name",
            "address",
            "title",
            "place",
            "start_date",
            "end_date",
            "summary",
            "goals",
            "beneficiaries",
            "expected_results",
        )
    }
    main["account_number"] = "61 1090 1014 0000 0712 1981 2874"
    members = {"members-0-is_leader": True}
    for i in range(3):
        members.update(member(i, email=f"czlonek{i + 1}@example.org"))
    keys.tab_through(main | members, until=button("Dodaj członka"))
    resident.keyboard.press("Enter")
    resident.wait_for_url("**/edycja/?members=4#members-3")
    check(resident)
    assert application.members.count() == 3
    assert resident.locator("input[name$='-full_name'][name^='members-']").count() == 4

    # The page opens at the new row: the next Tab goes to its name, and on from there.
    resident.keyboard.press("Tab")
    assert keys.focused()["name"] == "members-3-full_name"
    rest = member(3, email="czlonek4@example.org")
    rest |= {
        "activities-0-name": "Sadzenie",
        "activities-0-start_date": "2026-12-01",
        "activities-0-end_date": "2026-12-05",
        "indicators-0-name": "Spotkania sąsiedzkie",
        "indicators-0-target": "4",
        "indicators-0-unit": "spotkania",
    }
    for i, (line, category) in enumerate(
        zip(form["budget_lines"], ["Materiały", "Koszty administracyjne"], strict=True)
    ):
        rest[f"lines-{i}-category"] = category
        for field in ("description", "unit", "quantity", "unit_cost", "from_grant", "own_money"):
            rest[f"lines-{i}-{field}"] = str(line[field])
    rest |= {"volunteer_hours": "20", "volunteer_rate": "30.00"}
    keys.tab_through(rest, until=button("Złóż wniosek"))
    resident.keyboard.press("Enter")
    resident.get_by_text("Wniosek został złożony.").wait_for()
    check(resident)

    application.refresh_from_db()
    assert (application.state, application.number) == ("submitted", "GMP/2026/FS1/0001")
    assert (application.title, application.account_number, application.start_date) == (
        "Ogród społeczny na Zielonej",
        "61109010140000071219812874",
        datetime.date(2026, 12, 1),
    )
    assert [(m.full_name, m.email, m.is_leader) for m in application.members.all()] == [
        ("Członek 1", "czlonek1@example.org", True),
        ("Członek 2", "czlonek2@example.org", False),
        ("Członek 3", "czlonek3@example.org", False),
        ("Członek 4", "czlonek4@example.org", False),
    ]
    assert [
        (line.category.name, line.description, line.from_grant, line.own_money)
        for line in application.budget_lines.all()
    ] == [
        ("Materiały", "Sadzonki i ziemia", Decimal("2700.00"), Decimal("300.00")),
        ("Koszty administracyjne", "Obsługa księgowa", Decimal("300.00"), Decimal("0.00")),
    ]
    assert [(a.name, a.start_date, a.end_date) for a in application.activities.all()] == [
        ("Sadzenie", datetime.date(2026, 12, 1), datetime.date(2026, 12, 5))
    ]
    assert [(i.name, i.target, i.unit) for i in application.indicators.all()] == [
        ("Spotkania sąsiedzkie", Decimal("4.00"), "spotkania")
    ]
