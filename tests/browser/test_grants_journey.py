"""Browser journey: a resident applies and submits; an official passes the formal check
and assigns an evaluator; the evaluator declares and scores; the official approves and
draws up the agreement; the resident downloads it. axe checks every page."""

import pytest
from django.test import Client
from django.utils import timezone

from tests.grants.conftest import GrantWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return GrantWorld(now=timezone.now(), evaluators_per_application=1)


def sign_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="pl-PL", base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def act(page, accessible, label):
    """Open an action's page from the object's page and confirm it."""
    page.get_by_role("link", name=label, exact=True).click()
    accessible(page)
    page.get_by_role("button", name=label, exact=True).click()


def test_resident_applies_and_gets_an_agreement(browser, live_server, world, accessible):
    resident = sign_in(browser, live_server, world.resident)
    resident.goto("/granty/")
    accessible(resident)
    resident.get_by_role("link", name="Fundusz sąsiedzki 2026").click()
    accessible(resident)
    resident.get_by_role("link", name="Złóż wniosek").click()
    accessible(resident)
    resident.get_by_label("grupa nieformalna").check()
    resident.get_by_role("button", name="Rozpocznij wniosek").click()

    form = world.draft_payload()
    fields = {
        "Nazwa wnioskodawcy": form["applicant_name"],
        "Adres do korespondencji": form["address"],
        "Rachunek bankowy (NRB)": form["account_number"],
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
        resident.get_by_label(label, exact=True).fill(value)
    for i in range(3):
        resident.locator(f"#id_members-{i}-full_name").fill(f"Członek {i + 1}")
        resident.locator(f"#id_members-{i}-email").fill(f"czlonek{i + 1}@example.org")
        resident.locator(f"#id_members-{i}-declares_adult_resident").check()
        resident.locator(f"#id_members-{i}-consents_to_processing").check()
        if i == 0:
            resident.locator("#id_members-0-is_leader").check()
        if i == 1:  # two empty rows are offered: save to get a third
            resident.get_by_role("button", name="Zapisz szkic").click()
            accessible(resident)
    resident.locator("#id_activities-0-name").fill("Sadzenie")
    resident.locator("#id_activities-0-start_date").fill("2026-12-01")
    resident.locator("#id_activities-0-end_date").fill("2026-12-05")
    resident.locator("#id_indicators-0-name").fill("Spotkania sąsiedzkie")
    resident.locator("#id_indicators-0-target").fill("4")
    resident.locator("#id_indicators-0-unit").fill("spotkania")
    resident.locator("#id_lines-0-category").select_option(label="Materiały")
    for field, value in {
        "description": "Sadzonki i ziemia",
        "unit": "zestaw",
        "quantity": "10",
        "unit_cost": "300.00",
        "from_grant": "3000.00",
        "own_money": "0",
        "own_in_kind": "0",
    }.items():
        resident.locator(f"#id_lines-0-{field}").fill(value)
    resident.get_by_role("button", name="Złóż wniosek").click()

    resident.get_by_text("Wniosek został złożony.").wait_for()
    assert resident.get_by_role("heading", level=1).inner_text() == "Wniosek GMP/2026/FS1/0001"
    accessible(resident)
    application = world.call.applications.get()

    official = sign_in(browser, live_server, world.official)
    official.goto("/granty/kolejka/")
    accessible(official)
    official.get_by_role("link", name="GMP/2026/FS1/0001").click()
    accessible(official)
    official.get_by_role("link", name="Lista kontrolna oceny formalnej").click()
    accessible(official)
    official.get_by_label("Wniosek kompletny").check()
    official.get_by_label("Grupa liczy co najmniej 3 osoby").check()
    official.get_by_role("button", name="Zapisz listę kontrolną").click()
    # An action that asks for nothing is one click on the case's page.
    official.goto(f"/granty/wnioski/{application.pk}/")
    official.get_by_role("button", name="Przyjmij formalnie", exact=True).click()
    official.get_by_role("link", name="Przydziel oceniających").click()
    accessible(official)
    official.get_by_label(str(world.evaluators[0])).check()
    official.get_by_role("button", name="Przydziel").click()
    accessible(official)

    evaluator = sign_in(browser, live_server, world.evaluators[0])
    evaluator.goto("/")
    accessible(evaluator)
    evaluator.get_by_role("link", name="Oceń wniosek GMP/2026/FS1/0001").click()
    accessible(evaluator)
    evaluator.get_by_role("button", name="Podpisz deklarację bezstronności").click()
    assert evaluator.get_by_role("heading", name="Ogród społeczny na Zielonej").is_visible()
    evaluator.get_by_label("Wartość dla sąsiedztwa: punkty (0-10)").fill("8")
    evaluator.get_by_label("Wartość dla sąsiedztwa: uzasadnienie").fill("Angażuje sąsiadów.")
    evaluator.get_by_label("Jakość planu: punkty (0-20)").fill("15")
    evaluator.get_by_label("Jakość planu: uzasadnienie").fill("Realny harmonogram.")
    evaluator.get_by_role("button", name="Złóż ocenę").click()
    evaluator.get_by_text("Ocena została złożona i zablokowana.").wait_for()
    accessible(evaluator)

    official.goto(f"/granty/wnioski/{application.pk}/")
    accessible(official)
    # The amount starts at the amount requested.
    approve = official.locator('form[action$="/czynnosc/approve/"]')
    assert approve.get_by_label("Przyznana kwota (zł)").input_value() == "3000.00"
    approve.get_by_label("Uzasadnienie").fill("Wysoka ocena komisji.")
    approve.get_by_role("button", name="Zatwierdź", exact=True).click()
    official.get_by_role("link", name="Przygotuj umowę").click()
    accessible(official)
    official.get_by_label("Termin wykorzystania dotacji").fill("2026-12-31")
    official.locator("#id_tranches-0-due_date").fill("2026-12-01")
    official.get_by_role("button", name="Przygotuj umowę").click()
    accessible(official)
    act(official, accessible, "Wygeneruj umowę")
    accessible(official)

    resident.goto(f"/granty/wnioski/{application.pk}/")
    resident.get_by_role("link", name="Umowa U/GMP/2026/FS1/0001").click()
    accessible(resident)
    with resident.expect_download() as download:
        resident.get_by_role("link", name="Pobierz umowę U/GMP/2026/FS1/0001 (v1, PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
