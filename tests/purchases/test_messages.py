"""Issue 12: the purchase process's messages carry their values (amounts net and gross,
dates, the justification of an override, the reason of a cancellation)."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Role
from notifications.models import Notification
from workflows.engine import transition_apply

from .factories import Team, purchase_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


def told(user, kind) -> tuple[str, str]:
    [message] = Notification.objects.filter(recipient=user, kind=kind)
    with translation.override("pl"):
        return message.rendered()


def test_a_submitted_need_carries_its_value_dates_and_what_to_do(team, group):
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(
        organisation=team.organisation, official=official, group=group, title="Warsztaty"
    )

    purchase = transition_apply(obj=purchase, name="submit", actor=official)

    subject, body = told(team[Role.UNIT_HEAD], "purchases.purchase.submit")
    assert subject == f"Zamówienie {purchase.number} złożone: 30 000,00 zł netto"
    assert body == (
        f"Zapotrzebowanie {purchase.number} „Warsztaty” (Wydział Spraw Społecznych) zostało "
        "złożone: szacunkowo 30 000,00 zł netto, 36 900,00 zł brutto, planowane od 1 kwietnia "
        "2026 do 30 czerwca 2026. Księgowość: potwierdź, że środki są zaplanowane. Kierownik "
        "komórki: następnie zatwierdź je lub zwróć do poprawy."
    )


def test_a_cancellation_carries_its_reason(team, group):
    official = team[Role.OFFICIAL]
    purchase = purchase_draft(
        organisation=team.organisation,
        official=official,
        group=group,
        title="Warsztaty",
        estimated_net=Decimal("10000.00"),
    )
    purchase = transition_apply(obj=purchase, name="submit", actor=official)

    transition_apply(
        obj=purchase, name="cancel", actor=official, payload={"reason": "Zmiana planów."}
    )

    assert told(team[Role.FINANCE], "purchases.purchase.cancel") == (
        f"Zamówienie {purchase.number} unieważnione",
        f"Zamówienie {purchase.number} „Warsztaty” zostało unieważnione.\n\nPowód:\n"
        "Zmiana planów.\n\nJego wartość nie wlicza się już do grupy; nic więcej nie trzeba "
        "robić.",
    )
