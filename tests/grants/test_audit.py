"""Issue 11, section 8: writes that are not transitions leave an append-only audit
entry (who, when, what changed), and a return is recorded once."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from grants import services
from grants.models import Expense, Report, Return
from tests.conftest import NOW
from workflows.audit import audit_entries_for
from workflows.errors import Conflict
from workflows.models import AuditEntry

from .conftest import api


def entries(obj) -> list[tuple]:
    return [
        (entry.actor, entry.at, entry.action, entry.before, entry.after)
        for entry in audit_entries_for(obj)
    ]


@pytest.fixture
def agreement(world):
    return world.agreement_in_implementation()


@pytest.fixture
def unused_return(agreement):
    return Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.UNUSED,
        amount=Decimal("600.00"),
        deadline=datetime.date(2026, 12, 1),
        interest_from=datetime.date(2026, 12, 2),
    )


def test_recording_a_return_is_audited_and_a_second_recording_is_refused(
    world, agreement, unused_return
):
    services.return_record(
        ret=unused_return, actor=world.official, returned_on=datetime.date(2026, 11, 20)
    )

    assert entries(unused_return) == [
        (
            world.official,
            NOW,
            "return_record",
            {"returned_on": None, "interest": None},
            {"returned_on": "2026-11-20", "interest": "0.00"},
        )
    ]
    with pytest.raises(Conflict) as refused:
        services.return_record(
            ret=unused_return, actor=world.official, returned_on=datetime.date(2026, 11, 22)
        )
    assert str(refused.value.message) == (
        "Ten zwrot został już odnotowany jako dokonany 20.11.2026; odnotowanego zwrotu "
        "nie można odnotować ponownie."
    )
    unused_return.refresh_from_db()
    assert (unused_return.returned_on, unused_return.interest) == (
        datetime.date(2026, 11, 20),
        Decimal("0.00"),
    )
    assert len(entries(unused_return)) == 1


def test_a_second_recording_of_a_return_through_the_api_is_a_409(world, agreement, unused_return):
    url = f"/api/v1/grant-agreements/{agreement.pk}/returns/{unused_return.pk}/record/"
    first = api(world.official).post(url, {"returned_on": "2026-11-20"}, format="json")
    second = api(world.official).post(url, {"returned_on": "2026-11-22"}, format="json")

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json() == {
        "detail": "Ten zwrot został już odnotowany jako dokonany 20.11.2026; odnotowanego "
        "zwrotu nie można odnotować ponownie."
    }
    unused_return.refresh_from_db()
    assert unused_return.returned_on == datetime.date(2026, 11, 20)


def test_a_return_dated_in_the_future_is_refused_at_its_field(world, agreement, unused_return):
    url = f"/api/v1/grant-agreements/{agreement.pk}/returns/{unused_return.pk}/record/"
    response = api(world.official).post(url, {"returned_on": "2026-11-24"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "returned_on": ["Data zapłaty nie może być późniejsza niż dzisiejsza (23 listopada 2026)."]
    }
    unused_return.refresh_from_db()
    assert (unused_return.returned_on, audit_entries_for(unused_return).count()) == (None, 0)


def test_marking_an_expense_ineligible_is_audited(world, agreement):
    report = Report.objects.create(agreement=agreement, state="under_review")
    expense = Expense.objects.create(
        report=report,
        document_number="FV 1/2026",
        document_date=datetime.date(2026, 12, 3),
        issuer="Sklep Ogrodniczy",
        purpose="Sadzonki",
        budget_line=agreement.application.budget_lines.first(),
        amount=Decimal("300.00"),
        from_grant=Decimal("300.00"),
    )

    services.expense_mark_ineligible(
        expense=expense, actor=world.official, reason="Zakup poza okresem realizacji."
    )

    assert entries(expense) == [
        (
            world.official,
            NOW,
            "expense_mark_ineligible",
            {"eligible": True, "ineligible_reason": ""},
            {"eligible": False, "ineligible_reason": "Zakup poza okresem realizacji."},
        )
    ]


def test_audit_entries_cannot_be_changed_or_deleted(world, agreement, unused_return):
    services.return_record(
        ret=unused_return, actor=world.official, returned_on=datetime.date(2026, 11, 20)
    )
    entry = audit_entries_for(unused_return).get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "return_record"


def test_formal_check_answers_are_audited_when_they_change(world):
    application = world.submitted()
    first, second = application.call.checklist.all()

    services.formal_check_record(
        application=application, actor=world.official, answers={first.pk: True, second.pk: False}
    )
    services.formal_check_record(
        application=application, actor=world.official, answers={first.pk: True, second.pk: True}
    )

    assert entries(application) == [
        (
            world.official,
            NOW,
            "formal_check_record",
            {str(first.pk): None, str(second.pk): None},
            {str(first.pk): True, str(second.pk): False},
        ),
        (
            world.official,
            NOW,
            "formal_check_record",
            {str(second.pk): False},
            {str(second.pk): True},
        ),
    ]
