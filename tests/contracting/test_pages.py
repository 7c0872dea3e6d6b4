"""The official's pages and the beneficiaries' survey: success and refused paths."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracting import services
from contracting.models import SurveyResponse, Task
from contracting.selectors import survey_token
from contracting.workflow import AnalysisState, TaskState
from tests.clients import web
from tests.factories import UserFactory
from tests.finance.budget_support import classification, plan
from workflows.engine import transition_apply

from .conftest import THREE_OPTIONS
from .support import pilot_run

pytestmark = pytest.mark.django_db
D = Decimal


def task_form(quality, area, **changes):
    data = {
        "title": "Asystent osobisty",
        "beneficiaries": "osoby z niepełnosprawnościami",
        "unit": "godzina",
        "units_per_year": "2000",
        "beneficiaries_per_year": "40",
        "years": "3",
        "area": str(area.pk),
        "model": str(quality.pk),
        "contractor_name": "Fundacja Razem",
    }
    data.update(changes)
    return data


def test_an_official_plans_a_task_under_a_model(official, organisation, quality, area):
    client = web(official)
    assert client.get("/kontraktowanie/zadania/nowe/").status_code == 200
    response = client.post("/kontraktowanie/zadania/nowe/", task_form(quality, area))
    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kontraktowanie/zadania/{task.pk}/"
    assert (task.organisation, task.model, task.state) == (organisation, quality, TaskState.PLANNED)
    page = client.get(response["Location"]).content.decode()
    assert "Karta wskaźników jakości" in page  # the model's documents, in Polish


def test_a_refused_task_shows_errors_at_the_fields_and_keeps_the_typing(official, quality, area):
    response = web(official).post(
        "/kontraktowanie/zadania/nowe/", task_form(quality, area, years="0", title="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form.errors) == ["title", "years"]
    assert 'value="Fundacja Razem"' in response.content.decode()
    assert Task.objects.count() == 0


def test_the_pages_are_closed_to_people_without_a_role(task):
    client = web(UserFactory())
    assert client.get("/kontraktowanie/").status_code == 403
    assert client.get(f"/kontraktowanie/zadania/{task.pk}/").status_code == 403


def analysis_form(options):
    data = {
        "weight_cost": "50",
        "weight_social": "30",
        "weight_risk": "20",
        "volunteer_rate": "40.00",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "1",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, option in enumerate(options):
        for key, value in option.items():
            data[f"options-{i}-{key}"] = str(value)
    return data


def test_the_analysis_page_starts_from_the_model_s_weights_and_volunteer_rate(task, official):
    task.model.volunteer_rate = D("35.50")
    task.model.save(update_fields=["volunteer_rate"])

    form = web(official).get(f"/kontraktowanie/zadania/{task.pk}/analiza/").context["form"]

    assert (
        form["weight_cost"].value(),
        form["weight_social"].value(),
        form["weight_risk"].value(),
        form["volunteer_rate"].value(),
    ) == (task.model.weight_cost, task.model.weight_social, task.model.weight_risk, D("35.50"))


def test_the_analysis_page_computes_and_shows_the_scores(task, official):
    client = web(official)
    assert client.get(f"/kontraktowanie/zadania/{task.pk}/analiza/").status_code == 200
    response = client.post(
        f"/kontraktowanie/zadania/{task.pk}/analiza/", analysis_form(THREE_OPTIONS)
    )
    assert response.status_code == 302
    analysis = task.analyses.get()
    page = client.get(response["Location"]).content.decode()
    for text in ("91,25", "57,42", "270 000,00 zł"):
        assert text in page
    decide = f"/kontraktowanie/analizy/{analysis.pk}/czynnosc/decide/"
    refused = client.post(decide, {"option": "", "justification": ""})
    assert refused.status_code == 200
    assert sorted(refused.context["form"].errors) == ["justification", "option"]
    done = client.post(decide, {"option": "3", "justification": "Najwyższy wynik."})
    assert done.status_code == 302
    analysis.refresh_from_db()
    assert (analysis.state, analysis.chosen.position) == (AnalysisState.DECIDED, 3)


def test_a_refused_option_shows_its_error_and_keeps_the_typing(task, official):
    bad = dict(THREE_OPTIONS[0], yearly_cost="0", risks="brak kadry")
    response = web(official).post(
        f"/kontraktowanie/zadania/{task.pk}/analiza/", analysis_form([bad])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "yearly_cost": ["Podaj wartość większą od zera."]
    }
    assert "brak kadry" in response.content.decode()
    assert task.analyses.count() == 0


def test_the_pilot_page_refuses_an_end_before_the_start(task, official):
    url = f"/kontraktowanie/zadania/{task.pk}/czynnosc/start_pilot/"
    response = web(official).post(
        url,
        {
            "kind": "agreement",
            "reference": "P/1",
            "starts_on": "2026-10-01",
            "ends_on": "2026-09-01",
            "planned_units": "10",
            "planned_cost_per_unit": "50",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_on": ["Pilotaż nie może się skończyć przed rozpoczęciem."]
    }
    task.refresh_from_db()
    assert task.state == TaskState.PLANNED


def test_six_years_on_the_agreement_page_are_refused_at_the_field(task, official):
    response = web(official).post(
        f"/kontraktowanie/zadania/{task.pk}/umowa/",
        {
            "number": "UW/9/2026",
            "contractor_name": "Fundacja",
            "start_year": "2027",
            "years": "6",
            "yearly_amount": "1000.00",
            "tranches_per_year": "1",
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["years"]
    assert error == (
        "Umowa o realizację zadania publicznego może być zawarta najwyżej na 5 lat (art. 16 "
        "ust. 2 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o "
        "wolontariacie); wskazano 6 lat."
    )
    assert 'value="UW/9/2026"' in response.content.decode()


def test_the_agreement_page_opens_a_draft_and_shows_its_schedule(task, official):
    client = web(official)
    response = client.post(
        f"/kontraktowanie/zadania/{task.pk}/umowa/",
        {
            "number": "UW/9/2026",
            "contractor_name": "Fundacja",
            "start_year": "2027",
            "years": "3",
            "yearly_amount": "1000.00",
            "tranches_per_year": "2",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count("1 000,00 zł") == 3
    assert "31\u00a0grudnia 2029\u00a0r." in page


def test_the_survey_collects_an_answer_and_refuses_none(task, official):
    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/1",
        contractor_name="X",
        start_year=2027,
        amounts=[D("100.00")],
    )
    from workflows.engine import transition_apply

    transition_apply(
        obj=task,
        name="override_pilot",
        actor=official,
        payload={"justification": "Wykonawca sprawdzony w latach ubiegłych."},
    )
    transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )
    row = agreement.schedule.get()
    url = f"/kontraktowanie/ankieta/{survey_token(row)}/"
    client = web(UserFactory())
    assert client.get(url).status_code == 200
    refused = client.post(url, {"comment": "dobrze"})
    assert refused.status_code == 400
    assert "Wybierz od 1 do 5." in refused.content.decode()
    assert "dobrze" in refused.content.decode()
    assert client.post(url, {"score": "4"}).status_code == 200
    assert list(SurveyResponse.objects.values_list("score", flat=True)) == [4]
    assert client.get("/kontraktowanie/ankieta/not-a-token/").status_code == 404


def test_the_task_list_reads_a_constant_number_of_queries(official, organisation, quality, area):
    client = web(official)

    def plan(n):
        for i in range(n):
            services.task_create(
                actor=official,
                organisation=organisation,
                title=f"Usługa {i}",
                beneficiaries="x",
                unit="h",
                units_per_year=D(1),
                beneficiaries_per_year=1,
                years=1,
                area=area,
                model=quality,
            )

    plan(1)
    client.get("/kontraktowanie/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/kontraktowanie/").status_code == 200
    plan(5)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/kontraktowanie/").status_code == 200
    assert len(large) == len(small)


def concluded(task, official, years=2):
    from workflows.engine import transition_apply

    agreement = services.agreement_create(
        actor=official,
        task=task,
        number="UW/Y",
        contractor_name="X",
        start_year=2026,
        amounts=[D("1000.00")] * years,
    )
    transition_apply(
        obj=task,
        name="override_pilot",
        actor=official,
        payload={"justification": "Wykonawca sprawdzony w latach ubiegłych."},
    )
    agreement = transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-01-02"}
    )
    return transition_apply(obj=agreement, name="start", actor=official)


def test_the_year_page_records_a_report_and_refuses_a_wrong_one(task, official):
    agreement = concluded(task, official)
    client = web(official)
    url = f"/kontraktowanie/umowy/{agreement.pk}/rok/2026/"
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {
            "action": "report",
            "report-report_on": "2026-11-20",
            "report-spent": "1500.00",
            "report-units_delivered": "10",
            "report-beneficiaries_reached": "5",
        },
    )
    assert refused.status_code == 200
    assert refused.context["forms"]["report"].errors == {
        "spent": ["Wydatki muszą wynosić od 0 do kwoty roku 1000.00."]
    }
    assert 'value="1500.00"' in refused.content.decode()
    done = client.post(
        url,
        {
            "action": "report",
            "report-report_on": "2026-11-20",
            "report-spent": "900.00",
            "report-units_delivered": "10",
            "report-beneficiaries_reached": "5",
        },
    )
    assert done.status_code == 302
    row = agreement.schedule.get(year=2026)
    assert (row.spent, row.units_delivered, row.cost_per_unit) == (
        D("900.00"),
        D("10.00"),
        D("90.00"),
    )
    review = client.post(
        url,
        {
            "action": "review",
            "review-decision": "change",
            "review-next_year_amount": "1200.00",
            "review-note": "Więcej.",
        },
    )
    assert review.status_code == 302
    assert agreement.schedule.get(year=2027).amount == D("1200.00")
    assert client.post(url, {"action": "settle"}).status_code == 302
    assert agreement.schedule.get(year=2026).unused == D("0.00")


def test_a_tranche_paid_in_the_future_is_refused_at_its_field(task, official):
    agreement = concluded(task, official, years=1)
    tranche = agreement.schedule.get().tranches.get()
    url = f"/kontraktowanie/umowy/{agreement.pk}/rok/2026/"
    response = web(official).post(
        url,
        {"action": "tranche", "tranche-tranche": str(tranche.pk), "tranche-paid_on": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "Data zapłaty nie może być późniejsza niż dzisiejsza (23 listopada 2026)." in (
        response.content.decode()
    )
    assert 'value="2026-12-01"' in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.paid_on is None


def test_finance_s_summary_shows_what_later_years_are_committed_to(
    task, official, finance_user, organisation
):
    lines = {year: classification("852-85228-2360", year) for year in (2027, 2028, 2029)}
    for line in lines.values():
        plan(organisation, line, "100000.00", finance_user)
    agreement = services.agreement_create(
        actor=official,
        task=pilot_run(task, official),
        number="UW/1/2026",
        contractor_name=task.contractor_name,
        start_year=2027,
        amounts=[D("90000.00"), D("80000.00"), D("70000.00")],
        tranches_per_year=2,
        classification=lines[2027],
    )
    url = f"/finanse/budzet/podsumowanie/?organisation={organisation.pk}&year=2027"
    before = web(finance_user).get(url)
    transition_apply(
        obj=agreement, name="conclude", actor=official, payload={"signed_on": "2026-11-23"}
    )

    page = web(finance_user).get(url)

    assert later_years(before) == [["Nic nie jest zaangażowane w kolejnych latach."]]
    assert later_years(page) == [["2028", "80 000,00 zł"], ["2029", "70 000,00 zł"]]
    assert f'href="/finanse/budzet/podsumowanie/?organisation={organisation.pk}&amp;year=2028"' in (
        page.content.decode()
    )


def later_years(response) -> list[list[str]]:
    """The rows of the summary's table of later years' commitments, as a person reads them."""
    html = response.content.decode()
    section = html[html.index('id="later-heading"') :]
    section = section[section.index("<tbody>") : section.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in row] for row in cells]
