"""The budget plan: figures per line, the check on grant approvals and purchase awards
with finance's overrides, the plan and summary pages and the API."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User
from finance.models import BudgetOverride, BudgetPlanLine
from finance.services.budget import budget_check, plan_rows
from grants import services as grant_services
from grants.models import Application, InterestRate, Return
from notifications.models import Notification
from purchases import services as purchase_services
from purchases.models import Annex
from tests.factories import UserFactory
from tests.grants.conftest import NOW, GrantWorld, api
from tests.purchases.factories import (
    GroupFactory,
    Team,
    bands_create,
    drive,
    purchase_draft,
    user_with,
)
from workflows.engine import transition_apply
from workflows.errors import GuardRefused

from .budget_support import classification, plan, zl

pytestmark = pytest.mark.django_db

REASON = "Rada Miejska zwiększy plan w czerwcu; zadanie jest pilne."
GRANT_LINE = "921-92105-2360"
PURCHASE_LINE = "921-92105-4300"


@pytest.fixture
def world(db):
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00"))
    return GrantWorld()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approve(user, application, amount: str):
    return api(user).post(
        f"/api/v1/grant-applications/{application.pk}/transitions/approve/",
        {"amount": amount, "justification": "Dobry wniosek."},
        format="json",
    )


def refusal(*, code, planned, committed, amount, excess, returned="0,00", overrides="0,00"):
    return (
        f"Plan budżetu nie pokrywa tej kwoty. Pozycja {code} (2026): plan {zl(planned)}, "
        f"zaangażowanie {zl(committed)}, zwroty {zl(returned)}, zgody na przekroczenie "
        f"{zl(overrides)}; kwota {zl(amount)} przekracza plan o {zl(excess)}. Księgowość "
        "może zezwolić na przekroczenie, podając uzasadnienie."
    )


def grant_line(world, planned: str):
    line = classification(GRANT_LINE)
    grant_services.call_update(call=world.call, actor=world.official, classification=line)
    plan(world.organisation, line, planned, world.finance)
    return line


# The check on grants ---------------------------------------------------------------------


def test_an_approval_beyond_the_plan_is_refused_until_finance_allows_the_excess(world):
    grant_line(world, "5000.00")
    first = world.evaluated()
    assert approve(world.official, first, "3000.00").status_code == 200
    second = world.evaluated(applicant=UserFactory())

    response = approve(world.official, second, "3000.00")

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": refusal(
                code=GRANT_LINE,
                planned="5 000,00",
                committed="3 000,00",
                amount="3 000,00",
                excess="1 000,00",
            )
        },
    )
    second.refresh_from_db()
    assert (second.state, second.approved_amount) == ("evaluated", None)

    # An official cannot allow it; finance can, with a reason.
    overriding = {"number": second.number, "amount": "1000.00", "reason": REASON}
    response = api(world.official).post("/api/v1/budget-overrides/", overriding, format="json")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Plan budżetu zmienia tylko księgowość."},
    )
    short = {**overriding, "reason": "Bo tak."}
    response = api(world.finance).post("/api/v1/budget-overrides/", short, format="json")
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"reason": ["Podaj uzasadnienie (co najmniej 20 znaków); zostanie zapisane w dzienniku."]},
    )
    assert BudgetOverride.objects.count() == 0

    response = api(world.finance).post("/api/v1/budget-overrides/", overriding, format="json")

    assert response.status_code == 201, response.json()
    override = BudgetOverride.objects.get()
    assert (
        override.source,
        override.plan_line.classification.code,
        override.amount,
        override.reason,
        override.created_by,
        override.created_at,
    ) == (second, GRANT_LINE, Decimal("1000.00"), REASON, world.finance, NOW)
    body = response.json()
    assert {k: body[k] for k in ("source_kind", "source_number", "amount", "reason")} == {
        "source_kind": "application",
        "source_number": "GMP/2026/FS1/0002",
        "amount": "1000.00",
        "reason": REASON,
    }
    [told] = Notification.objects.filter(kind="finance.budget_override")
    assert (told.recipient, told.subject, told.body) == (
        world.official,
        "Zgoda na przekroczenie planu budżetu: GMP/2026/FS1/0002",
        "Zgoda na przekroczenie pozycji planu budżetu 921-92105-2360 (2026) przez "
        f"GMP/2026/FS1/0002 o najwyżej {zl('1 000,00')}. Zgody udzielił(a): "
        f"{world.finance.get_full_name()}.\n\nUzasadnienie:\n{REASON}\n\nZaproponuj zmianę "
        "planu finansowego (uchwałę lub zarządzenie przenoszące środki), tak aby pozycja "
        "pokryła tę kwotę przed terminem płatności.",
    )

    # The plan page lists it.
    html = client_for(world.finance).get(reverse("finance:plan")).content.decode()
    assert f'<a href="{second.get_absolute_url()}">GMP/2026/FS1/0002</a>' in html
    assert f"<td>{zl('1 000,00')}</td>\n      <td>{REASON}</td>" in html

    response = approve(world.official, second, "3000.00")

    assert response.status_code == 200, response.json()
    second.refresh_from_db()
    assert (second.state, second.approved_amount) == ("approved", Decimal("3000.00"))
    # The line is now fully used: the next approval is refused again.
    third = world.evaluated(applicant=UserFactory())
    assert approve(world.official, third, "500.00").json()["detail"] == refusal(
        code=GRANT_LINE,
        planned="5 000,00",
        committed="6 000,00",
        overrides="1 000,00",
        amount="500,00",
        excess="500,00",
    )


def test_a_plan_for_the_year_without_the_line_refuses_and_no_plan_means_no_check(world):
    line = classification(GRANT_LINE)
    grant_services.call_update(call=world.call, actor=world.official, classification=line)
    application = world.evaluated()
    other = classification("926-92605-2360")
    plan(world.organisation, other, "99999.00", world.finance)
    plan(world.organisation, classification(GRANT_LINE, year=2027), "99999.00", world.finance)

    response = approve(world.official, application, "3000.00")

    assert response.json()["detail"] == refusal(
        code=GRANT_LINE, planned="0,00", committed="0,00", amount="3 000,00", excess="3 000,00"
    )
    # Without any line for 2026 there is nothing to check against.
    BudgetPlanLine.objects.filter(classification=other).delete()
    assert approve(world.official, application, "3000.00").status_code == 200


# The check on purchases ------------------------------------------------------------------


@pytest.fixture
def team(organisation):
    bands_create(organisation)
    return Team(organisation)


def evaluating_purchase(organisation, team, line):
    purchase = purchase_draft(
        organisation=organisation,
        official=team[Role.OFFICIAL],
        group=GroupFactory(organisation=organisation),
        classification=line,
    )
    return drive(purchase, team, "close_quoting")


def award(purchase, team):
    return transition_apply(
        obj=purchase,
        name="award",
        actor=team[Role.OFFICIAL],
        payload={"contract_form": "order"},
    )


def test_an_award_beyond_the_plan_is_refused_until_finance_allows_the_excess(organisation, team):
    line = classification(PURCHASE_LINE)
    plan(organisation, line, "30000.00", team[Role.FINANCE])
    purchase = evaluating_purchase(organisation, team, line)

    with pytest.raises(GuardRefused) as caught:
        award(purchase, team)

    # The best offer: 28 000 net, 34 440 gross.
    assert str(caught.value.message) == refusal(
        code=PURCHASE_LINE,
        planned="30 000,00",
        committed="0,00",
        amount="34 440,00",
        excess="4 440,00",
    )
    purchase.refresh_from_db()
    assert (purchase.state, purchase.awarded_gross) == ("evaluating", None)

    # The finance page: an official is not let in; finance allows the excess.
    form = {
        "organisation": organisation.pk,
        "year": 2026,
        "number": purchase.number,
        "amount": "4440.00",
        "reason": REASON,
    }
    url = reverse("finance:override_create")
    assert client_for(team[Role.OFFICIAL]).post(url, form).status_code == 403
    admin = user_with(organisation, Role.ORG_ADMIN)
    assert client_for(admin).post(url, form).status_code == 403
    assert BudgetOverride.objects.count() == 0
    response = client_for(team[Role.FINANCE]).post(url, form)
    assert response.status_code == 302
    assert response.url == f"{reverse('finance:plan')}?organisation={organisation.pk}&year=2026"
    override = BudgetOverride.objects.get()
    assert (override.source, override.amount, override.reason, override.created_by) == (
        purchase,
        Decimal("4440.00"),
        REASON,
        team[Role.FINANCE],
    )

    purchase = award(purchase, team)

    assert (purchase.state, purchase.awarded_gross) == ("awarded", Decimal("34440.00"))


def test_an_annex_that_would_exceed_the_plan_is_refused(organisation, team):
    line = classification(PURCHASE_LINE)
    plan(organisation, line, "40000.00", team[Role.FINANCE])
    purchase = award(evaluating_purchase(organisation, team, line), team)

    with pytest.raises(GuardRefused) as caught:
        purchase_services.annex_add(
            purchase=purchase,
            actor=team[Role.OFFICIAL],
            number="A/1",
            signed_on=datetime.date(2026, 5, 1),
            net_change=Decimal("5000.00"),
            gross_change=Decimal("6150.00"),
            reason="Dodatkowe warsztaty.",
        )

    assert str(caught.value.message) == refusal(
        code=PURCHASE_LINE,
        planned="40 000,00",
        committed="34 440,00",
        amount="6 150,00",
        excess="590,00",
    )
    purchase.refresh_from_db()
    assert (purchase.annexes_gross, Annex.objects.count()) == (Decimal("0.00"), 0)


@pytest.mark.django_db(transaction=True)
def test_the_check_holds_the_plan_line_until_the_approval_ends(world):
    """Two approvals on one line (in different calls, which lock separately) are checked
    one after the other: the check locks the plan line until its transaction ends."""
    line = grant_line(world, "7000.00")
    plan_line = BudgetPlanLine.objects.get(classification=line)
    seen = []

    def try_to_lock():
        try:
            with transaction.atomic():
                BudgetPlanLine.objects.select_for_update(nowait=True).get(pk=plan_line.pk)
            seen.append("free")
        except DatabaseError:
            seen.append("locked")
        finally:
            connection.close()

    def in_another_connection():
        thread = threading.Thread(target=try_to_lock)
        thread.start()
        thread.join(30)

    with transaction.atomic():
        budget_check(
            organisation_id=world.organisation.pk,
            year=2026,
            classification=line,
            amount=Decimal("1000.00"),
        )
        in_another_connection()
    in_another_connection()

    assert seen == ["locked", "free"]


# Figures ---------------------------------------------------------------------------------


@pytest.fixture
def scenario(world):
    """2026 in the test municipality:
    - 921-92105-2360 (the call), planned 10 000: approved 3 000 (paid, 600 returned, a
      further 300 not returned yet) and 2 000 (waiting for the revised budget); a third
      application is evaluated only;
    - 921-92105-4300 (purchases), planned 50 000: one purchase awarded then cancelled,
      one awarded at 34 440 gross and paid;
    - 926-92605-2360 planned 1 000, nothing used; the same code in 2027 planned 777."""
    organisation, finance, official = world.organisation, world.finance, world.official
    grant_line(world, "10000.00")
    agreement = world.agreement_in_implementation()
    order = agreement.tranches.get().payment_order
    transition_apply(obj=order, name="mark_paid", actor=finance, payload={"paid_on": "2026-11-20"})
    returned = Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.UNUSED,
        amount=Decimal("600.00"),
        deadline=datetime.date(2027, 1, 15),
        interest_from=datetime.date(2027, 1, 16),
    )
    grant_services.return_record(
        ret=returned, actor=official, returned_on=datetime.date(2026, 11, 22)
    )
    Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.MISUSED,
        amount=Decimal("300.00"),
        deadline=datetime.date(2027, 1, 25),
        interest_from=datetime.date(2026, 11, 30),
    )
    assert (
        approve(official, world.evaluated(applicant=UserFactory()), "2000.00").json()["state"]
        == "budget_revision"
    )
    world.evaluated(applicant=UserFactory())

    line = classification(PURCHASE_LINE)
    plan(organisation, line, "50000.00", finance)
    bands_create(organisation)
    team = Team(organisation)
    cancelled = award(evaluating_purchase(organisation, team, line), team)
    transition_apply(
        obj=cancelled,
        name="cancel",
        actor=team[Role.OFFICIAL],
        payload={"reason": "Zmiana potrzeb."},
    )
    purchase = purchase_draft(
        organisation=organisation,
        official=team[Role.OFFICIAL],
        group=GroupFactory(organisation=organisation),
        classification=line,
    )
    drive(purchase, team, "mark_paid")

    plan(organisation, classification("926-92605-2360"), "1000.00", finance)
    plan(organisation, classification(GRANT_LINE, year=2027), "777.00", finance)
    return world


EXPECTED = [
    # code, planned, committed, paid, returned, available, overrides
    (GRANT_LINE, "10000.00", "5000.00", "3000.00", "600.00", "5600.00", "0.00"),
    (PURCHASE_LINE, "50000.00", "34440.00", "34440.00", "0.00", "15560.00", "0.00"),
    ("926-92605-2360", "1000.00", "0.00", "0.00", "0.00", "1000.00", "0.00"),
]


def test_planned_committed_paid_and_returned_per_line(scenario):
    rows = plan_rows(organisation_id=scenario.organisation.pk, year=2026)

    assert [
        (
            row.classification.code,
            *(
                str(getattr(row.figures, name))
                for name in ("planned", "committed", "paid", "returned", "available", "overrides")
            ),
        )
        for row in rows
    ] == EXPECTED
    assert [row.classification.year for row in rows] == [2026, 2026, 2026]

    response = api(scenario.finance).get(
        "/api/v1/budget-plan-lines/", {"organisation": scenario.organisation.pk, "year": 2026}
    )
    assert response.status_code == 200
    assert [
        (
            line["classification"]["code"],
            line["planned"],
            *(
                line["figures"][name]
                for name in ("committed", "paid", "returned", "available", "overrides")
            ),
        )
        for line in response.json()["results"]
    ] == EXPECTED
    # Officials do not see the plan.
    assert api(scenario.official).get("/api/v1/budget-plan-lines/").json()["results"] == []


def test_the_summary_page_draws_the_chart_and_lists_lines_and_calls(scenario):
    organisation = scenario.organisation

    response = client_for(scenario.finance).get(
        reverse("finance:summary"), {"organisation": organisation.pk, "year": 2026}
    )

    assert response.status_code == 200
    html = response.content.decode()
    [svg] = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert 'role="img"' in svg
    assert 'aria-labelledby="lines-chart-title lines-chart-desc"' in svg
    assert (
        '<title id="lines-chart-title">Plan, zaangażowanie, płatności i zwroty w 2026 r. '
        "według pozycji klasyfikacji</title>"
    ) in svg
    assert "<title>921-92105-2360, zaangażowanie: " + zl("5 000,00") + "</title>" in svg
    assert "<title>921-92105-4300, zapłacono: " + zl("34 440,00") + "</title>" in svg
    # The same numbers in the table, row by row.
    cells = [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    ]
    lines = [row for row in cells if row and row[0].startswith(("921-", "926-"))]
    assert [row[1:] for row in lines] == [
        [zl("10 000,00"), zl("5 000,00"), zl("3 000,00"), zl("600,00"), zl("5 600,00")],
        [zl("50 000,00"), zl("34 440,00"), zl("34 440,00"), zl("0,00"), zl("15 560,00")],
        [zl("1 000,00"), zl("0,00"), zl("0,00"), zl("0,00"), zl("1 000,00")],
    ]
    [total] = [row for row in cells if row and row[0] == "Razem"]
    assert total[1:] == [
        zl("61 000,00"),
        zl("39 440,00"),
        zl("37 440,00"),
        zl("600,00"),
        zl("22 160,00"),
    ]
    [call] = [row for row in cells if row and row[0] == "FS1 Fundusz sąsiedzki 2026"]
    assert call[1:] == [
        GRANT_LINE,
        zl("10 000,00"),
        zl("5 000,00"),
        zl("3 000,00"),
        zl("600,00"),
    ]


# Pages -----------------------------------------------------------------------------------


def test_finance_sets_and_adds_plan_lines_on_the_plan_page(world):
    organisation = world.organisation
    line = classification(GRANT_LINE)
    sport = classification("926-92605-2360")
    plan(organisation, line, "1000.00", world.finance)
    url = reverse("finance:plan_line_set")

    page = client_for(world.finance).get(reverse("finance:plan"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Plan budżetu na 2026 r.: Gmina Miasto Próbne" in html
    assert f'<option value="{sport.pk}">' in html  # the line not yet in the plan

    response = client_for(world.finance).post(
        url,
        {
            "organisation": organisation.pk,
            "year": 2026,
            "classification": line.pk,
            "planned": "2500.50",
        },
    )
    assert response.status_code == 302
    response = client_for(world.finance).post(
        url,
        {
            "organisation": organisation.pk,
            "year": 2026,
            "classification": sport.pk,
            "planned": "-1",
        },
    )
    assert response.status_code == 200
    assert "Upewnij się, że ta wartość jest większa lub równa 0." in response.content.decode()
    assert client_for(world.official).post(url, {}).status_code == 403
    assert client_for(world.official).get(reverse("finance:plan")).status_code == 403

    assert [
        (row.classification.code, row.plan_line.planned, row.plan_line.updated_by)
        for row in plan_rows(organisation_id=organisation.pk, year=2026)
    ] == [(GRANT_LINE, Decimal("2500.50"), world.finance)]


def test_the_api_creates_and_changes_plan_lines_for_finance_only(world):
    line = classification(GRANT_LINE)
    payload = {
        "organisation": world.organisation.pk,
        "classification": line.pk,
        "planned": "100.00",
    }

    denied = api(world.official).post("/api/v1/budget-plan-lines/", payload, format="json")
    created = api(world.finance).post("/api/v1/budget-plan-lines/", payload, format="json")

    assert denied.status_code == 403
    assert created.status_code == 201
    line_id = created.json()["id"]
    changed = api(world.finance).patch(
        f"/api/v1/budget-plan-lines/{line_id}/", {"planned": "250.00"}, format="json"
    )
    assert (changed.status_code, changed.json()["planned"], changed.json()["figures"]) == (
        200,
        "250.00",
        {
            "planned": "250.00",
            "committed": "0.00",
            "paid": "0.00",
            "returned": "0.00",
            "available": "250.00",
            "overrides": "0.00",
        },
    )
    listed = api(world.finance).get("/api/v1/budget-classifications/", {"year": 2026}).json()
    assert [c["code"] for c in listed["results"]] == [GRANT_LINE]
    summary = api(world.finance).get("/api/v1/budget-summary/", {"year": 2026}).json()
    assert (summary["year"], summary["totals"]["planned"], summary["calls"][0]["label"]) == (
        2026,
        "250.00",
        "FS1 Fundusz sąsiedzki 2026",
    )


# Query counts ----------------------------------------------------------------------------


def _lines(organisation, finance, count: int) -> None:
    for i in range(count):
        plan(organisation, classification(f"921-92105-{4000 + i}"), "100.00", finance)


@pytest.mark.parametrize("page", ["finance:plan", "finance:summary"])
def test_the_plan_and_summary_pages_make_a_constant_number_of_queries(world, page):
    organisation, finance = world.organisation, world.finance

    def queries() -> int:
        client = client_for(User.objects.get(pk=finance.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page), {"organisation": organisation.pk, "year": 2026})
        assert response.status_code == 200
        return len(captured)

    _lines(organisation, finance, 10)
    few = queries()
    _lines(organisation, finance, 60)  # 50 more
    assert BudgetPlanLine.objects.count() == 60
    assert queries() == few


def test_the_plan_lines_api_makes_a_constant_number_of_queries(world):
    organisation, finance = world.organisation, world.finance

    def queries() -> int:
        client = api(User.objects.get(pk=finance.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/budget-plan-lines/", {"year": 2026})
        assert response.status_code == 200
        return len(captured)

    _lines(organisation, finance, 10)
    few = queries()
    _lines(organisation, finance, 60)
    assert queries() == few


# Demo ------------------------------------------------------------------------------------


def test_the_demo_plans_the_lines_its_calls_and_purchases_use():
    call_command("load_demo")
    call_command("load_demo")

    municipality = Organisation.objects.get(nip="5260250274")
    year = timezone.localdate().year
    rows = plan_rows(organisation_id=municipality.pk, year=year)
    assert [(row.classification.code, row.figures.planned) for row in rows] == [
        (GRANT_LINE, Decimal("60000.00")),
        (PURCHASE_LINE, Decimal("120000.00")),
        ("926-92605-2360", Decimal("30000.00")),
    ]
    assert all(row.plan_line is not None and row.figures.available > 0 for row in rows)
    assert rows[0].figures.committed == Decimal("4700.00")  # 2 700 + 2 000 approved
    [override] = BudgetOverride.objects.all()
    assert (override.source.state, override.amount, override.created_by.email) == (
        "reserve",
        Decimal("1000.00"),
        "ksiegowosc@example.org",
    )
    assert isinstance(override.source, Application)
