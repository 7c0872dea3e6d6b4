"""One rule for every date of payment: not later than today in Europe/Warsaw (earlier
than the order's or the invoice's date is allowed). The same validator in the purchase's
and the payment order's ``mark_paid``, the batch's bank date and results, and the
return of grant money."""

import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import Role
from finance.forms.batches import ResultForm
from finance.workflow import BankDateForm
from grants.forms import ReturnForm
from tests.purchases.factories import GroupFactory, Team, bands_create, drive, purchase_draft
from workflows.engine import transition_apply
from workflows.errors import InvalidInput

from .batches_support import World

pytestmark = pytest.mark.django_db

FUTURE = "Data zapłaty nie może być późniejsza niż dzisiejsza (23 listopada 2026)."


def test_a_payment_order_paid_by_hand_cannot_be_paid_tomorrow_but_before_its_order_can():
    world = World()
    order = world.order()

    with pytest.raises(InvalidInput) as refused:
        transition_apply(
            obj=order, name="mark_paid", actor=world.preparer, payload={"paid_on": "2026-11-24"}
        )
    paid = transition_apply(
        obj=order, name="mark_paid", actor=world.preparer, payload={"paid_on": "2026-11-02"}
    )

    assert refused.value.field_errors == {"paid_on": [FUTURE]}
    assert (paid.state, paid.paid_on) == ("paid", datetime.date(2026, 11, 2))


def test_a_purchase_cannot_be_marked_paid_tomorrow(organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bands_create(organisation)
    team = Team(organisation)
    purchase = drive(
        purchase_draft(
            organisation=organisation,
            official=team[Role.OFFICIAL],
            group=GroupFactory(organisation=organisation),
        ),
        team,
        "record_invoice",
    )

    with pytest.raises(InvalidInput) as refused:
        transition_apply(
            obj=purchase, name="mark_paid", actor=team[Role.FINANCE], payload={"on": "2026-11-24"}
        )

    assert refused.value.field_errors == {"on": [FUTURE]}
    assert type(purchase).objects.get(pk=purchase.pk).state == "invoiced"


def test_today_is_the_day_in_warsaw_not_in_utc():
    world = World()
    order = world.order()
    # 23:30 UTC on 23 November is already 24 November in Warsaw.
    late = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))

    with time_machine.travel(late, tick=False):
        paid = transition_apply(
            obj=order, name="mark_paid", actor=world.preparer, payload={"paid_on": "2026-11-24"}
        )

    assert paid.paid_on == datetime.date(2026, 11, 24)


def test_every_form_with_a_date_of_payment_uses_the_rule():
    forms = [
        BankDateForm(data={"paid_on": "2026-11-24"}),
        ResultForm(data={"outcome": "paid", "paid_on": "2026-11-24"}),
        ReturnForm(data={"returned_on": "2026-11-24"}),
    ]
    today = [
        BankDateForm(data={"paid_on": "2026-11-23"}),
        ResultForm(data={"outcome": "paid", "paid_on": "2026-11-23"}),
        ReturnForm(data={"returned_on": "2026-11-23"}),
    ]

    assert [dict(f.errors) for f in forms] == [
        {"paid_on": [FUTURE]},
        {"paid_on": [FUTURE]},
        {"returned_on": [FUTURE]},
    ]
    assert [f.is_valid() for f in today] == [True, True, True]
