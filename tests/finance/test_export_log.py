"""#18: the export log's API list pages through a UNION of index scans (the user's own
exports, each finance organisation's), not ``user OR organisation``."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import membership_grant
from finance.models import Export
from finance.selectors.exports import export_log
from tests.clients import api
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged(user, organisation, minutes: int) -> Export:
    export = Export.objects.create(
        kind="settlements", format="csv", user=user, organisation=organisation
    )
    export.created_at = timezone.now() - datetime.timedelta(minutes=minutes)
    Export.objects.filter(pk=export.pk).update(created_at=export.created_at)  # auto_now_add
    return export


@pytest.fixture
def log():
    """Exports of a finance user of two municipalities, minutes ago: their own in each,
    a colleague's in each, their own in a third municipality where they no longer hold
    the role, and a stranger's there."""
    first, second, third = OrganisationFactory.create_batch(3)
    user, colleague, stranger = UserFactory.create_batch(3)
    for organisation in (first, second):
        membership_grant(user=user, organisation=organisation, role=Role.FINANCE)
    return user, {
        "own first": logged(user, first, 1),
        "colleague second": logged(colleague, second, 2),
        "own third": logged(user, third, 3),
        "stranger third": logged(stranger, third, 4),
        "own second": logged(user, second, 5),
        "colleague first": logged(colleague, first, 6),
    }


def test_the_log_holds_own_and_organisations_exports_once_newest_first(log):
    user, made = log
    seen = ["own first", "colleague second", "own third", "own second", "colleague first"]

    assert export_log(user)[0:10] == [made[name] for name in seen]
    assert export_log(user)[2:4] == [made["own third"], made["own second"]]
    assert export_log(user).count() == 5


def test_the_api_pages_of_the_log(log):
    user, made = log
    client = api(user)

    first = client.get("/api/v1/exports/", {"page_size": 2}).json()
    last = client.get("/api/v1/exports/", {"page_size": 2, "page": 3}).json()

    assert [row["id"] for row in first["results"]] == [
        made["own first"].pk,
        made["colleague second"].pk,
    ]
    assert first["count"] is None
    assert ([row["id"] for row in last["results"]], last["count"]) == (
        [made["colleague first"].pk],
        5,
    )
