"""Issue 16, acceptance 5: an official plans a task under the "Quality" model, runs the
efficiency analysis, starts a pilot and opens the multi-year agreement, whose
conclusion waits for the pilot's positive evaluation. axe finds no WCAG 2.1 A/AA
violation on any page visited."""

import importlib

import pytest

from accounts.models import Role
from contracting.models import EfficiencyAnalysis, MultiYearAgreement, Task
from contracting.workflow import AgreementState, AnalysisState, TaskState
from tests.purchases.factories import user_with

from .test_purchases_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPTIONS = [
    ("120000.00", "1000", "100", "0", "0.00", "0", "10", "2"),
    ("100000.00", "1000", "80", "100", "5000.00", "1", "20", "3"),
    ("90000.00", "900", "120", "400", "10000.00", "4", "50", "2"),
]
FIELDS = (
    "yearly_cost",
    "units_per_year",
    "beneficiaries_per_year",
    "volunteer_hours",
    "own_contribution",
    "local_partners",
    "participation",
    "risk_level",
)


def seed_data() -> None:
    """A transactional test empties the tables the data migrations filled: seed again."""
    from django.apps import apps

    for module in (
        "areas.migrations.0002_default_areas",
        "contracting.migrations.0002_default_models",
    ):
        importlib.import_module(module).seed(apps, None)


def test_an_official_plans_analyses_pilots_and_opens_a_multi_year_agreement(
    page, accessible, live_server, organisation
):
    seed_data()
    official = user_with(organisation, Role.OFFICIAL)
    sign_in(page, live_server, official)

    page.goto("/kontraktowanie/")
    accessible(page)
    page.get_by_role("link", name="Zaplanuj zadanie").click()
    page.wait_for_url("**/kontraktowanie/zadania/nowe/")
    accessible(page)
    page.get_by_label("usługa").fill("Usługi opiekuńcze")
    page.get_by_label("dla kogo").fill("osoby starsze")
    page.get_by_label("jednostka usługi").fill("godzina")
    page.get_by_label("jednostki rocznie").fill("1000")
    page.get_by_label("odbiorcy rocznie").fill("100")
    page.get_by_label("Lata", exact=True).fill("0")
    page.get_by_label("sfera zadań publicznych").select_option(
        label="pomoc społeczna, wspieranie rodziny i polityka prorodzinna"
    )
    page.get_by_label("Jakość").check()
    page.get_by_role("button", name="Zaplanuj zadanie").click()
    # Refused at the field, what was typed stays.
    assert page.locator("#id_years_errors").inner_text() == "Zadanie trwa co najmniej rok."
    assert page.get_by_label("usługa").input_value() == "Usługi opiekuńcze"
    accessible(page)
    page.get_by_label("Lata", exact=True).fill("3")
    page.get_by_role("button", name="Zaplanuj zadanie").click()
    page.wait_for_url("**/kontraktowanie/zadania/*/")
    task = Task.objects.get()
    assert task.model.code == "quality"
    assert page.get_by_text("Karta wskaźników jakości").is_visible()
    accessible(page)

    page.get_by_role("link", name="Przeprowadź analizę efektywności").click()
    page.wait_for_url(f"**/kontraktowanie/zadania/{task.pk}/analiza/")
    accessible(page)
    for i, values in enumerate(OPTIONS):
        for field, value in zip(FIELDS, values, strict=True):
            page.locator(f"#id_options-{i}-{field}").fill(value)
    page.get_by_role("button", name="Oblicz analizę").click()
    page.wait_for_url("**/kontraktowanie/analizy/*/")
    analysis = EfficiencyAnalysis.objects.get()
    # The Quality model's weights (cost 30, social 30, risk 40): option 3 scores
    # (30 x 100 + 30 x 87.50 + 40 x 75) / 100 = 86.25.
    assert page.get_by_role("row").filter(has_text="86,25").count() == 1
    accessible(page)
    page.get_by_role("link", name="Rozstrzygnij i wydaj notatkę decyzyjną").click()
    page.get_by_label("Wybrana forma").fill("3")
    page.get_by_label("Uzasadnienie wyboru").fill("Najwyższy wynik ważony i najniższy koszt.")
    accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/kontraktowanie/analizy/{analysis.pk}/")
    analysis.refresh_from_db()
    assert analysis.state == AnalysisState.DECIDED
    accessible(page)

    page.get_by_role("link", name="Wróć do zadania").click()
    page.get_by_role("link", name="Rozpocznij pilotaż").click()
    page.get_by_label("Forma pilotażu").select_option("agreement")
    page.get_by_label("Numer umowy lub zamówienia").fill("UM/P/1/2026")
    page.get_by_label("Początek pilotażu").fill("2026-12-01")
    page.get_by_label("Koniec pilotażu").fill("2026-12-31")
    page.get_by_label("Planowane jednostki usługi").fill("80")
    page.get_by_label("Planowany koszt jednostkowy (zł)").fill("95.00")
    accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/kontraktowanie/zadania/{task.pk}/")
    task.refresh_from_db()
    assert task.state == TaskState.PILOT
    accessible(page)

    page.get_by_role("link", name="Otwórz umowę wieloletnią").click()
    page.wait_for_url(f"**/kontraktowanie/zadania/{task.pk}/umowa/")
    accessible(page)
    page.get_by_label("Numer umowy").fill("UW/1/2026")
    page.get_by_label("Organizacja realizująca zadanie").fill("Stowarzyszenie Pomocna Dłoń")
    page.get_by_label("Pierwszy rok budżetowy").fill("2027")
    page.get_by_label("Liczba lat budżetowych").fill("3")
    page.get_by_label("Kwota na każdy rok (zł)").fill("90000.00")
    page.get_by_label("Transze w każdym roku").fill("2")
    page.get_by_role("button", name="Otwórz umowę").click()
    page.wait_for_url("**/kontraktowanie/umowy/*/")
    agreement = MultiYearAgreement.objects.get()
    assert agreement.state == AgreementState.DRAFT
    assert agreement.analysis == analysis
    assert page.get_by_role("row").filter(has_text="2029").count() == 1
    # Concluding waits for the pilot's positive evaluation, and the page says why.
    assert page.get_by_text(
        "Umowę wieloletnią zawiera się dopiero po pozytywnej ocenie pilotażu"
    ).is_visible()
    accessible(page)

    # The page of one budget year: its tranches, partial report, review and settlement.
    page.get_by_role("link", name="2027", exact=True).click()
    page.wait_for_url(f"**/kontraktowanie/umowy/{agreement.pk}/rok/2027/")
    assert page.get_by_role("heading", name="Sprawozdanie częściowe").is_visible()
    accessible(page)
