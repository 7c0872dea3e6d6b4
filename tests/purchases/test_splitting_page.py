"""Issue 12, the purchase page: the splitting guard's refusal is a table of the counted
purchases with their values, the sum against the threshold and the legal basis; the
unit head sees it beside the override form (a text area); cancelling comes last."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from workflows.engine import transition_apply

from .factories import Team, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


@pytest.fixture
def refused(team, group):
    official = team[Role.OFFICIAL]
    first = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty wiosenne",
        estimated_net=Decimal("60000.00"),
    )
    transition_apply(obj=first, name="submit", actor=official)
    second = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty jesienne",
        estimated_net=Decimal("70000.00"),
    )
    return first, second


def page_for(user, purchase) -> str:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "pl"
    return client.get(f"/zakupy/{purchase.pk}/").content.decode()


def refusal_of(page: str) -> str:
    return page.split('id="refusal-heading"')[1].split('id="need-heading"')[0]


def test_the_refusal_is_a_table_with_the_sum_the_threshold_and_the_law(team, refused):
    first, second = refused

    refusal = refusal_of(page_for(team[Role.OFFICIAL], second))

    assert (
        f"<tr><td>{first.number}</td><td>Warsztaty wiosenne</td><td>60 000,00 zł</td>"
        "<td>szacunek</td></tr>"
    ) in refusal
    assert "<td>Warsztaty jesienne (to zamówienie)</td><td>70 000,00 zł</td>" in refusal
    assert '<th scope="row" colspan="2">Suma</th><td><strong>130 000,00 zł</strong>' in refusal
    assert "<td>130 000,00 zł</td>" in refusal
    assert "art. 29 Pzp" in refusal and "art. 30 Pzp" in refusal
    # The official cannot override: no form beside it.
    assert 'name="submit_with_override-justification"' not in refusal


def test_the_unit_head_sees_the_override_form_beside_the_table(team, refused):
    _first, second = refused

    refusal = refusal_of(page_for(team[Role.UNIT_HEAD], second))

    assert "<td>Warsztaty jesienne (to zamówienie)</td>" in refusal
    assert '<textarea name="submit_with_override-justification"' in refusal


def test_cancelling_is_the_last_action_and_secondary(team, refused):
    _first, second = refused

    page = page_for(team[Role.OFFICIAL], second)

    actions = page.split('id="actions-heading"')[1]
    buttons = [part.split("</button>")[0] for part in actions.split("<button")[1:]]
    headings = [part.split("</h3>")[0] for part in actions.split("<h3")[1:]]
    assert buttons[-1] == ' type="submit" class="secondary">Unieważnij zamówienie'
    assert headings[-1].endswith(">Unieważnij zamówienie")
    assert headings[0].endswith(">Złóż zapotrzebowanie")
