"""The register of purchases: filters, CSV and XLSX downloads, and (acceptance 6) a
constant number of queries for 10 and for 200 rows on the register and the list
endpoints."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from purchases.models import Purchase
from tests.clients import api, web
from tests.factories import OrganisationFactory

from .factories import Team, drive, purchase_draft, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def fill(team, group, rows: int) -> Purchase:
    """One invoiced purchase and ``rows - 1`` drafts."""
    invoiced = drive(
        purchase_draft(
            organisation=team.organisation,
            official=team[Role.OFFICIAL],
            group=group,
            title="Warsztaty zafakturowane",
        ),
        team,
        "record_invoice",
    )
    for i in range(rows - 1):
        purchase_draft(
            organisation=team.organisation,
            official=team[Role.OFFICIAL],
            group=group,
            title=f"Potrzeba {i}",
            estimated_net=Decimal("1000.00") + i,
        )
    return invoiced


QUERIES = [
    ("/zakupy/rejestr/?year=2026", web, 7),  # the layout: unread messages; the count
    ("/zakupy/rejestr.csv?year=2026", web, 4),
    ("/zakupy/rejestr.xlsx", web, 4),
    ("/api/v1/purchases/", api, 2),  # roles, the page (not counted: #18)
]


@pytest.mark.parametrize("rows", [10, 200])
def test_the_register_and_the_list_take_a_constant_number_of_queries(
    team, group, django_assert_num_queries, rows
):
    fill(team, group, rows)
    user = team[Role.OFFICIAL]

    for url, client, queries in QUERIES:
        user.__dict__.pop("_roles_by_organisation", None)
        session = client(user)
        with django_assert_num_queries(queries):
            response = session.get(url)
        assert response.status_code == 200


def test_the_csv_is_for_polish_spreadsheets(team, group):
    invoiced = fill(team, group, 2)

    response = web(team[Role.FINANCE]).get("/zakupy/rejestr.csv?state=invoiced")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffnumer;tytuł;komórka zamawiająca;")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert len(lines) == 3 and lines[2] == ""
    supplier = invoiced.awarded_offer.supplier
    assert lines[1] == ";".join(
        [
            invoiced.number,
            "Warsztaty zafakturowane",
            "Wydział Spraw Społecznych",
            group.name,
            "80500000-9",
            "2026",
            "rozeznanie cenowe",
            "30000,00",
            "30000,00",
            supplier.name,
            supplier.nip,
            "28000,00",
            "34440,00",
            "FV 7/2026",
            "34440,00",
            "2026-07-01",
            "zafakturowane",
        ]
    )


def test_the_xlsx_holds_numbers_and_the_filters_apply(team, group):
    invoiced = fill(team, group, 3)

    response = web(team[Role.OFFICIAL]).get("/zakupy/rejestr.xlsx?q=zafakturowane")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == invoiced.number
    assert rows[1][11:15] == (28000, 34440, "FV 7/2026", 34440)


def test_the_register_shows_only_the_users_organisations(team, group):
    fill(team, group, 2)
    outsider = user_with(OrganisationFactory(), Role.OFFICIAL)

    page = web(outsider).get("/zakupy/rejestr/").content.decode()
    listing = api(outsider).get("/api/v1/purchases/").json()

    assert "Brak pasujących zamówień." in page
    assert listing["count"] == 0
