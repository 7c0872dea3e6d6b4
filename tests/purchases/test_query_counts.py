"""Reads whose cost does not grow with the rows (issue 18): the threshold guard adds up
its group in the database, and the API lists take the same queries for 2 and 12 rows."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from purchases.models import Purchase
from purchases.selectors import aggregate_for, counted_total
from purchases.workflow import PurchaseState
from tests.clients import api

from .factories import GroupFactory, SupplierFactory, Team, bands_create, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def submitted(team, group, count: int) -> list[Purchase]:
    """``count`` purchases counted in the group's 2026 aggregate (test shortcut: the
    state is set directly), 1,000.00 net each, the last one awarded at 900.00 + 50.00."""
    made = [
        purchase_draft(
            organisation=team.organisation,
            official=team[Role.OFFICIAL],
            group=group,
            title=f"Potrzeba {i}",
            estimated_net=Decimal("1000.00"),
        )
        for i in range(count)
    ]
    Purchase.objects.filter(pk__in=[p.pk for p in made]).update(state=PurchaseState.SUBMITTED)
    Purchase.objects.filter(pk=made[-1].pk).update(
        awarded_net=Decimal("900.00"), annexes_net=Decimal("50.00")
    )
    return made


@pytest.mark.parametrize("rows", [2, 12])
def test_the_threshold_check_sums_in_one_query_whatever_the_rows(
    team, group, django_assert_num_queries, rows
):
    submitted(team, group, rows)
    draft = purchase_draft(
        organisation=team.organisation, official=team[Role.OFFICIAL], group=group
    )
    draft = Purchase.objects.select_related("group").get(pk=draft.pk)

    with django_assert_num_queries(1):
        total = counted_total(draft)
    # the sum, the threshold in force, the bands in force
    with django_assert_num_queries(3):
        result = aggregate_for(draft)

    assert total == Decimal("1000.00") * (rows - 1) + Decimal("950.00")
    assert result.total == total + Decimal("30000.00")
    assert result.admitted is True


def test_the_rows_behind_the_sum_are_read_for_a_refusal(team, group):
    made = submitted(team, group, 2)
    draft = purchase_draft(
        organisation=team.organisation,
        official=team[Role.OFFICIAL],
        group=group,
        estimated_net=Decimal("128500.00"),
    )

    result = aggregate_for(draft)

    assert result.total == Decimal("130450.00")
    assert result.admitted is False
    assert result.counted == [
        {"number": made[0].number, "title": "Potrzeba 0", "value": "1000.00", "basis": "estimate"},
        {"number": made[1].number, "title": "Potrzeba 1", "value": "950.00", "basis": "awarded"},
    ]


@pytest.mark.parametrize("rows", [2, 12])
@pytest.mark.parametrize(
    ("url", "queries", "listed"),
    [
        # user's roles, the page with its joins (the list is not counted: #18)
        ("/api/v1/purchases/", 2, lambda rows: rows),
        ("/api/v1/suppliers/", 2, lambda rows: rows + 3),
        ("/api/v1/purchase-groups/", 2, lambda rows: rows + 1),
        ("/api/v1/value-bands/", 2, lambda rows: 3 * (rows + 1)),
    ],
)
def test_the_api_lists_take_the_same_queries_for_2_and_12_rows(
    team, group, django_assert_num_queries, rows, url, queries, listed
):
    submitted(team, group, rows)
    SupplierFactory.create_batch(rows, organisation=team.organisation)
    GroupFactory.create_batch(rows, organisation=team.organisation)
    for year in range(2000, 2000 + rows):
        bands_create(team.organisation, valid_from=datetime.date(year, 1, 1))
    user = team[Role.OFFICIAL]
    user.__dict__.pop("_roles_by_organisation", None)
    client = api(user)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] == listed(rows)
    assert len(response.json()["results"]) == listed(rows)
