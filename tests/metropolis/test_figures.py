"""Acceptance #15.1: a metropolis with three member municipalities; its staff see the
aggregate figures (exact on the fixture of ``conftest``), with no personal data; a
municipality's official sees nothing of another municipality, and the metropolis'
staff nothing of a member's applications."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from accounts.services import membership_grant
from grants.models import Call
from grants.workflow import AgreementState, ApplicationState
from metropolis.selectors import member_figures
from purchases.models import ValueBand
from tests.factories import UserFactory

from .conftest import PERSONAL, MetroWorld

D = ValueBand.Procedure.DIRECT
S = ValueBand.Procedure.PRICE_SURVEY
P = ValueBand.Procedure.PUBLIC_INQUIRY


def _login(client, user):
    client.force_login(user)
    return client


def test_the_figures_add_up_the_members_exactly(metro):
    data = member_figures(metro.metropolis)
    t = data.totals
    assert [m.name for m in data.members] == ["Gmina Alfa", "Gmina Beta", "Gmina Gamma"]
    assert (t.calls, t.applications, t.grants, t.initiatives, t.participants) == (3, 4, 3, 3, 7)
    assert (t.awarded, t.paid) == (Decimal("6500.00"), Decimal("4500.00"))
    assert t.purchases == {
        D: [1, Decimal("10000.00")],
        S: [1, Decimal("30000.00")],
        P: [1, Decimal("65000.00")],
    }
    per = {o.name: f for o, f in data.by_municipality}
    assert list(per) == ["Gmina Alfa", "Gmina Beta", "Gmina Gamma", "Metropolia Testowa"]
    assert (per["Gmina Alfa"].awarded, per["Gmina Alfa"].paid) == (
        Decimal("5000.00"),
        Decimal("3000.00"),
    )
    assert (per["Gmina Beta"].grants, per["Gmina Beta"].participants) == (1, 4)
    assert (per["Gmina Gamma"].calls, per["Gmina Gamma"].applications) == (1, 0)
    rows = [(r.municipality.short_name, r.year, r.area.code if r.area else None) for r in data.rows]
    assert rows == [
        ("GA", 2026, metro.area_a.code),
        ("GB", 2025, metro.area_a.code),  # areas in their order
        ("GB", 2025, metro.area_b.code),
        ("GG", 2026, None),
    ]


def test_a_year_narrows_the_figures(metro):
    t = member_figures(metro.metropolis, 2025).totals
    assert (t.calls, t.applications, t.grants, t.awarded, t.paid) == (
        1,
        1,
        1,
        Decimal("1500.00"),
        Decimal("1500.00"),
    )
    assert t.purchases[P] == [1, Decimal("65000.00")]
    assert t.purchases[D] == [0, Decimal("0.00")]


def test_the_staff_page_shows_the_figures_and_no_personal_data(client, metro):
    response = _login(client, metro.metro_staff).get("/metropolia/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "6 500,00 zł" in text and "4 500,00 zł" in text and "65 000,00 zł" in text
    assert "<svg" in text and "Gmina Gamma" in text
    assert "Gmina Obca" not in text and "9 999,00" not in text
    for personal in PERSONAL:
        assert personal not in text, personal


def test_csv_and_xlsx_give_the_same_rows(client, metro):
    _login(client, metro.metro_staff)
    response = client.get("/metropolia/csv/?year=2026")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][:10] == [
        "Gmina Alfa",
        "2026",
        metro.area_a.name,
        "1",
        "3",
        "2",
        "5000,00",
        "3000,00",
        "2",
        "3",
    ]
    assert rows[1][10:] == ["1", "10000,00", "1", "30000,00", "0", "0,00"]
    assert rows[2][:4] == ["Gmina Gamma", "2026", "", "1"]
    assert len(rows) == 3
    for personal in PERSONAL:
        assert personal not in text
    sheet = load_workbook(io.BytesIO(client.get("/metropolia/xlsx/?year=2026").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:8] == ("Gmina Alfa", 2026, metro.area_a.name, 1, 3, 2, 5000, 3000)
    assert len(values) == 3


def test_a_municipality_s_official_has_no_metropolis_page(client, metro):
    client = _login(client, metro.official[metro.alfa.pk])
    assert client.get("/metropolia/").status_code == 403
    assert client.get("/metropolia/csv/").status_code == 403


def test_staff_of_one_metropolis_do_not_choose_another(client, metro):
    other = MetroWorld.org(metro, "metropolis", "Metropolia Druga", "MD", 990)
    client = _login(client, metro.metro_staff)
    assert client.get(f"/metropolia/?organisation={other.pk}").status_code == 404
    assert client.get(f"/metropolia/?organisation={metro.metropolis.pk}").status_code == 200


def test_officials_see_nothing_of_another_municipality_nor_the_metropolis_of_its_members(
    client, metro
):
    beta_official = _login(client, metro.official[metro.beta.pk])
    application_url = f"/granty/wnioski/{metro.app_group.pk}/"
    assert beta_official.get(application_url).status_code == 404
    assert beta_official.get(f"/zakupy/{metro.paid.pk}/").status_code == 404
    staff = _login(client, metro.metro_staff)
    assert staff.get(application_url).status_code == 404
    assert staff.get(f"/zakupy/{metro.paid.pk}/").status_code == 404
    assert staff.get(f"/api/v1/grant-applications/{metro.app_group.pk}/").status_code == 404


def test_a_bad_year_is_shown_at_its_field(client, metro):
    response = _login(client, metro.metro_staff).get("/metropolia/?year=abc")
    assert response.status_code == 200
    assert "Wpisz liczbę całkowitą." in response.content.decode()
    assert response.context["year"] is None


def test_the_page_s_queries_do_not_grow_with_the_members(client, metro, django_assert_num_queries):
    _login(client, metro.metro_staff)
    client.get("/metropolia/")  # warm the caches of the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/metropolia/")
    delta = MetroWorld.org(
        metro, "municipality", "Gmina Delta", "GD", 905, metropolis=metro.metropolis
    )
    call = metro.call(delta, "FS1", 2026, metro.area_b)
    application = metro.application(call, 1, "approved", Decimal("700.00"))
    metro.members(application, ["Ktoś Nowy"])
    with django_assert_num_queries(len(before)):
        response = client.get("/metropolia/")
    assert response.context["data"].totals.awarded == Decimal("7200.00")


def test_a_user_with_a_role_in_the_metropolis_only_sees_it(client, metro):
    user = UserFactory()
    membership_grant(user=user, organisation=metro.metropolis, role=Role.FINANCE)
    response = _login(client, user).get("/metropolia/")
    assert response.status_code == 200
    assert response.context["metropolis"] == metro.metropolis


def test_a_municipality_joins_and_leaves_a_metropolis(metro):
    from metropolis.services import metropolis_member_set
    from workflows.errors import InvalidInput
    from workflows.models import AuditEntry

    metropolis_member_set(municipality=metro.outsider, metropolis=metro.metropolis, actor=None)
    assert [m.name for m in member_figures(metro.metropolis).members] == [
        "Gmina Alfa",
        "Gmina Beta",
        "Gmina Gamma",
        "Gmina Obca",
    ]
    assert member_figures(metro.metropolis).totals.awarded == Decimal("16499.00")
    metropolis_member_set(municipality=metro.outsider, metropolis=None, actor=metro.metro_staff)
    assert AuditEntry.objects.filter(action="metropolis_member_set").count() == 2
    with pytest.raises(InvalidInput):
        metropolis_member_set(municipality=metro.alfa, metropolis=metro.beta, actor=None)
    with pytest.raises(InvalidInput):
        metropolis_member_set(municipality=metro.metropolis, metropolis=None, actor=None)


def test_the_metropolis_as_grantor_is_counted_on_its_own_row(metro):
    call = metro.call(metro.metropolis, "M1", 2026, metro.area_b)
    application = metro.application(call, 1, "approved", Decimal("4000.00"))
    metro.agreement(application, "in_implementation", True)
    per = {o.name: f for o, f in member_figures(metro.metropolis).by_municipality}
    own = per["Metropolia Testowa"]
    assert (own.calls, own.grants, own.awarded, own.paid, own.initiatives) == (
        1,
        1,
        Decimal("4000.00"),
        Decimal("4000.00"),
        1,
    )
    assert member_figures(metro.metropolis).totals.awarded == Decimal("10500.00")


def test_a_metropolis_wide_calls_applications_count_under_their_municipalities(metro):
    # The metropolis runs a metropolis-wide call: an approved application in Gamma
    # (2 000,00 zł, paid, in implementation, 2 members) and a rejected one in Beta.
    call = metro.call(metro.metropolis, "FM1", 2026, metro.area_b)
    Call.objects.filter(pk=call.pk).update(metropolis_wide=True)
    in_gamma = metro.application(
        call, 1, ApplicationState.APPROVED, Decimal("2000.00"), municipality=metro.gamma
    )
    metro.members(in_gamma, ["Ala Nowa", "Olek Nowy"])
    metro.agreement(in_gamma, AgreementState.IN_IMPLEMENTATION, True)
    metro.application(call, 2, ApplicationState.REJECTED, municipality=metro.beta)

    data = member_figures(metro.metropolis)

    per = {o.name: f for o, f in data.by_municipality}
    gamma, beta, metropolis = per["Gmina Gamma"], per["Gmina Beta"], per["Metropolia Testowa"]
    assert (gamma.calls, gamma.applications, gamma.grants, gamma.awarded, gamma.paid) == (
        1,
        1,
        1,
        Decimal("2000.00"),
        Decimal("2000.00"),
    )
    assert (gamma.initiatives, gamma.participants) == (1, 2)
    assert (beta.applications, beta.grants, beta.awarded) == (2, 1, Decimal("1500.00"))
    assert (metropolis.calls, metropolis.applications, metropolis.awarded) == (1, 0, Decimal(0))
    t = data.totals
    assert (t.calls, t.applications, t.grants, t.initiatives, t.participants) == (4, 6, 4, 4, 9)
    assert (t.awarded, t.paid) == (Decimal("8500.00"), Decimal("6500.00"))
