"""The register of purchases is paginated (50 rows a page) and shows this financial year
unless another is asked for: its cost does not grow with the rows ever made (issue 18,
"Unpaginated pages"), while the CSV and XLSX keep every row of the filters."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from tests.clients import web

from .factories import Team, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def drafts(team, group, count: int, **overrides) -> list[str]:
    """``count`` drafts of 2026; their numbers in the register's order."""
    return [
        purchase_draft(
            organisation=team.organisation,
            official=team[Role.OFFICIAL],
            group=group,
            title=f"Potrzeba {i}",
            **overrides,
        ).number
        for i in range(count)
    ]


def of_2025(team, group) -> str:
    return purchase_draft(
        organisation=team.organisation,
        official=team[Role.OFFICIAL],
        group=group,
        title="Potrzeba z zeszłego roku",
        estimated_on=datetime.date(2025, 3, 1),
        planned_start=datetime.date(2025, 4, 1),
        planned_end=datetime.date(2025, 6, 30),
    ).number


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [p.number for p in response.context["purchases"]]


def nav(response) -> str:
    html = response.content.decode()
    match = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("rows", [10, 120])
def test_the_register_takes_the_same_queries_for_10_and_120_rows(
    team, group, django_assert_num_queries, rows
):
    numbers = drafts(team, group, rows)
    user = team[Role.OFFICIAL]

    for url, expected in [("/zakupy/rejestr/", numbers[:50]), ("/zakupy/rejestr/?page=2", None)]:
        user.__dict__.pop("_roles_by_organisation", None)
        session = web(user)
        # session, user, roles, unread messages (layout), the groups of the filter,
        # the count and the page
        with django_assert_num_queries(7):
            response = session.get(url)
        if expected is not None:
            assert listed(response) == expected


def test_page_two_shows_the_next_rows_and_the_links_keep_the_filters(team, group):
    numbers = drafts(team, group, 120)
    client = web(team[Role.OFFICIAL])

    first = client.get("/zakupy/rejestr/")
    second = client.get("/zakupy/rejestr/?state=draft&page=2")
    third = client.get("/zakupy/rejestr/?state=draft&page=3")

    assert listed(first) == numbers[:50]
    assert listed(second) == numbers[50:100]
    assert listed(third) == numbers[100:120]
    links = nav(second)
    assert '<nav class="pagination" aria-label="Strony">' in links
    assert "<p>Strona 2 z 3</p>" in links
    assert '<a href="?state=draft&amp;page=1" rel="prev">Poprzednia</a>' in links
    assert '<a href="?state=draft&amp;page=3" rel="next">Następna</a>' in links
    assert '<a href="?state=draft&amp;page=2" aria-current="page">2</a>' in links
    assert '<a href="?state=draft&amp;page=3" aria-label="Strona 3">3</a>' in links
    assert 'rel="prev"' not in nav(first) and "<p>Strona 1 z 3</p>" in nav(first)
    assert 'rel="next"' not in nav(third)


def test_a_short_register_has_no_page_links(team, group):
    drafts(team, group, 3)

    assert nav(web(team[Role.OFFICIAL]).get("/zakupy/rejestr/")) == ""


@pytest.mark.parametrize(
    "page, rows",
    [("abc", slice(0, 50)), ("", slice(0, 50)), ("999", slice(50, 60)), ("0", slice(50, 60))],
)
def test_a_page_out_of_range_or_garbage_shows_the_first_or_the_last_page(team, group, page, rows):
    numbers = drafts(team, group, 60)

    response = web(team[Role.OFFICIAL]).get(f"/zakupy/rejestr/?page={page}")

    assert listed(response) == numbers[rows]


def test_the_register_shows_this_year_unless_another_is_chosen(team, group):
    older = of_2025(team, group)
    current = drafts(team, group, 2)
    client = web(team[Role.OFFICIAL])

    default = client.get("/zakupy/rejestr/")

    assert listed(default) == current
    assert default.context["form"]["year"].value() == "2026"
    assert 'name="year" value="2026"' in default.content.decode()
    assert listed(client.get("/zakupy/rejestr/?year=2025")) == [older]
    assert listed(client.get("/zakupy/rejestr/?year=2026")) == current
    assert listed(client.get("/zakupy/rejestr/?year=")) == [*current, older]  # every year
    invalid = client.get("/zakupy/rejestr/?year=abc")
    assert listed(invalid) == current
    assert "Wpisz liczbę całkowitą." in invalid.content.decode()


def test_the_downloads_keep_every_row_of_the_filters_not_one_page(team, group):
    older = of_2025(team, group)
    numbers = drafts(team, group, 60)
    client = web(team[Role.OFFICIAL])

    page = client.get("/zakupy/rejestr/?state=draft&page=2")
    html = page.content.decode()
    csv_url = "/zakupy/rejestr.csv?state=draft&amp;year=2026"
    xlsx_url = "/zakupy/rejestr.xlsx?state=draft&amp;year=2026"
    csv_text = client.get(csv_url.replace("&amp;", "&")).content.decode().lstrip("\ufeff")
    sheet = load_workbook(io.BytesIO(client.get(xlsx_url.replace("&amp;", "&")).content)).active
    every_year = client.get("/zakupy/rejestr.csv?year=").content.decode()

    assert listed(page) == numbers[50:]
    assert f'href="{csv_url}"' in html and f'href="{xlsx_url}"' in html
    assert [line.split(";")[0] for line in csv_text.split("\r\n")[1:-1]] == numbers
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == numbers
    assert [line.split(";")[0] for line in every_year.split("\r\n")[1:-1]] == [*numbers, older]
