"""Issue 11, section 8: a plan line's changes are audited, and a stale edit of a line
(API with If-Match, the plan page with its hidden version) is refused, not applied."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from finance.models import BudgetPlanLine
from tests.conftest import NOW
from tests.forms_support import form_data
from tests.grants.conftest import GrantWorld, api
from workflows.audit import audit_entries_for

from .budget_support import classification, plan

pytestmark = pytest.mark.django_db

LINE = "921-92105-2360"
STALE = (
    "Ktoś inny zmienił tę pozycję po tym, jak ją otworzyłeś (jest teraz w wersji 2, a Ty "
    "edytowałeś wersję 1). Nic nie zostało zapisane: wczytaj ją ponownie i wprowadź "
    "zmianę jeszcze raz."
)


@pytest.fixture
def world():
    return GrantWorld()


def test_setting_a_plan_line_is_audited(world):
    line = plan(world.organisation, classification(LINE), "1000.00", world.finance)
    plan(world.organisation, line.classification, "1500.00", world.finance)
    plan(world.organisation, line.classification, "1500.00", world.finance)  # no change

    assert [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(line)] == [
        (world.finance, NOW, "plan_line_set", {}, {"planned": "1000.00"}),
        (world.finance, NOW, "plan_line_set", {"planned": "1000.00"}, {"planned": "1500.00"}),
    ]


def test_a_stale_plan_line_edit_through_the_api_is_a_409(world):
    line = plan(world.organisation, classification(LINE), "1000.00", world.finance)
    url = f"/api/v1/budget-plan-lines/{line.pk}/"
    client = api(world.finance)

    detail = client.get(url)
    fresh = client.patch(url, {"planned": "1200.00"}, format="json", HTTP_IF_MATCH='"1"')
    stale = client.patch(url, {"planned": "900.00"}, format="json", HTTP_IF_MATCH='"1"')

    assert (detail.status_code, detail["ETag"]) == (200, '"1"')
    assert (fresh.status_code, fresh["ETag"]) == (200, '"2"')
    assert (stale.status_code, stale.json()) == (409, {"detail": STALE})
    line.refresh_from_db()
    assert (line.planned, line.version) == (Decimal("1200.00"), 2)


def test_the_plan_page_shows_a_stale_edit_as_a_conflict(world):
    line = plan(world.organisation, classification(LINE), "1000.00", world.finance)
    client = Client()
    client.force_login(world.finance)
    page = client.get(reverse("finance:plan"), {"year": 2026}).content.decode()
    data = form_data(page, action_contains=reverse("finance:plan_line_set"))
    assert (data["classification"], data["version"]) == (str(line.classification_id), "1")
    plan(world.organisation, line.classification, "1100.00", world.finance)  # someone else

    response = client.post(reverse("finance:plan_line_set"), {**data, "planned": "2000.00"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ktoś inny zapisał tę pozycję, gdy ją edytowałeś." in html
    assert 'value="2000.00"' in html
    assert BudgetPlanLine.objects.values_list("planned", "version").get(pk=line.pk) == (
        Decimal("1100.00"),
        2,
    )
    fresh = client.post(reverse("finance:plan_line_set"), {**data, "version": "2"})
    assert fresh.status_code == 302
    assert BudgetPlanLine.objects.get(pk=line.pk).planned == Decimal("1000.00")
