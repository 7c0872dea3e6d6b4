import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from accounts.services import membership_grant
from finance.models import PaymentOrder
from finance.selectors import payment_orders_for_source
from finance.services import payment_order_create
from tests.factories import UserFactory
from workflows.engine import transition_apply
from workflows.errors import NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(organisation, resident):
    return payment_order_create(
        organisation=organisation,
        kind=PaymentOrder.Kind.GRANT_TRANCHE,
        source=resident,
        beneficiary_name="Anna Mieszkanka",
        beneficiary_address="ul. Polna 1, 00-001 Testowo",
        account_number="61 1090 1014 0000 0712 1981 2874",
        title="Mikrogrant GT/2026/1 transza 1",
        amount=Decimal("1500.00"),
        due_date=datetime.date(2026, 12, 1),
    )


def test_payment_order_is_created_with_a_normalised_account(order, resident):
    assert order.account_number == "61109010140000071219812874"
    assert order.state == "ordered"
    assert list(payment_orders_for_source(source=resident)) == [order]


def test_wrong_account_checksum_is_refused(organisation, resident):
    with pytest.raises(ValidationError) as caught:
        payment_order_create(
            organisation=organisation,
            kind=PaymentOrder.Kind.INVOICE,
            source=resident,
            beneficiary_name="X",
            beneficiary_address="Y",
            account_number="61109010140000071219812875",
            title="T",
            amount=Decimal("1.00"),
            due_date=datetime.date(2026, 12, 1),
        )
    assert caught.value.message_dict == {
        "account_number": [
            "Numer rachunku musi mieć 26 cyfr z poprawnymi cyframi kontrolnymi (NRB)."
        ]
    }


def test_finance_marks_an_order_paid_and_others_may_not(order, organisation, official):
    finance = UserFactory()
    membership_grant(user=finance, organisation=organisation, role=Role.FINANCE)

    with pytest.raises(NotPermitted):
        transition_apply(
            obj=order, name="mark_paid", actor=official, payload={"paid_on": "2026-11-20"}
        )
    paid = transition_apply(
        obj=order, name="mark_paid", actor=finance, payload={"paid_on": "2026-11-20"}
    )

    assert (paid.state, paid.paid_on) == ("paid", datetime.date(2026, 11, 20))


def test_an_unpaid_order_reminds_finance_and_is_overdue_after_its_due_date(
    order, organisation, official, django_capture_on_commit_callbacks
):
    import time_machine
    from django.utils import timezone

    from notifications.models import Notification
    from workflows.timers import fire_due

    finance = UserFactory(email="ksiegowa@example.org")
    membership_grant(user=finance, organisation=organisation, role=Role.FINANCE)

    with time_machine.travel(
        datetime.datetime(2026, 11, 29, 9, 0, tzinfo=timezone.get_current_timezone())
    ):
        with django_capture_on_commit_callbacks(execute=True):
            fire_due()
        reminded = list(Notification.objects.values_list("email", "subject"))
    with time_machine.travel(
        datetime.datetime(2026, 12, 2, 0, 1, tzinfo=timezone.get_current_timezone())
    ):
        with django_capture_on_commit_callbacks(execute=True):
            fire_due()
        overdue = list(
            Notification.objects.filter(kind="timer.deadline")
            .order_by("email")
            .values_list("email", "subject")
        )

    assert reminded == [
        (
            "ksiegowa@example.org",
            "Przypomnienie: Mikrogrant GT/2026/1 transza 1: 1 500,00 zł, "
            "termin 1 grudnia 2026, 23:59",
        )
    ]
    subject = (
        "Po terminie: Mikrogrant GT/2026/1 transza 1: 1 500,00 zł, "
        "termin minął 1 grudnia 2026, 23:59"
    )
    assert overdue == sorted([("ksiegowa@example.org", subject), (official.email, subject)])
