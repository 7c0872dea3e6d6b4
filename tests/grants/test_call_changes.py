"""Issue 11, section 8: a published call's rules. Before any application is submitted
they may change; once one is, the rules of eligibility and amounts stay (the pool may
grow, the period may lengthen); every change of a published call is audited and its
applicants are told in their inbox."""

import datetime
from decimal import Decimal

import pytest

from grants import services
from grants.models import Call
from notifications.models import Notification
from tests.conftest import NOW
from tests.factories import UserFactory
from workflows.audit import audit_entries_for
from workflows.errors import InvalidInput

from .conftest import api

SUBMITTED = "Do tego naboru złożono już wnioski: tej zasady nie można już zmienić."


def test_eligibility_and_amount_rules_stay_once_an_application_is_submitted(world):
    world.submitted()
    call = world.call

    with pytest.raises(InvalidInput) as refused:
        services.call_update(
            call=call,
            actor=world.official,
            max_grant=Decimal("4000.00"),
            min_own_share=Decimal("0.20"),
            max_duration_days=30,
            pool=Decimal("9000.00"),
            closes_at=NOW + datetime.timedelta(days=5),
        )

    assert refused.value.field_errors == {
        "max_grant": [SUBMITTED],
        "min_own_share": [SUBMITTED],
        "max_duration_days": [SUBMITTED],
        "pool": ["Do tego naboru złożono już wnioski: pulę można tylko zwiększyć."],
        "closes_at": [
            "Do tego naboru złożono już wnioski: okres składania wniosków można tylko wydłużyć."
        ],
    }
    call.refresh_from_db()
    assert (call.max_grant, call.pool, call.version) == (
        Decimal("5000.00"),
        Decimal("10000.00"),
        1,
    )
    assert list(audit_entries_for(call)) == []


def test_the_api_refuses_a_locked_rule_with_a_400(world):
    world.submitted()

    response = api(world.official).patch(
        f"/api/v1/grant-calls/{world.call.pk}/", {"min_grant": "100.00"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"min_grant": [SUBMITTED]}


def test_other_changes_of_a_published_call_are_audited_and_applicants_are_told(world):
    submitted = world.submitted()
    other = world.draft(applicant=UserFactory())  # a second applicant, with a draft
    call = world.call
    closes_at = NOW + datetime.timedelta(days=20)

    services.call_update(
        call=call,
        actor=world.official,
        pool=Decimal("12000.00"),
        closes_at=closes_at,
        description="Nabór przedłużony.",
    )

    call.refresh_from_db()
    assert (call.pool, call.closes_at, call.version) == (Decimal("12000.00"), closes_at, 2)
    assert [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(call)] == [
        (
            world.official,
            NOW,
            "call_update",
            {
                "pool": "10000.00",
                "closes_at": "2026-12-03T09:00:00Z",
                "description": "",
            },
            {
                "pool": "12000.00",
                "closes_at": "2026-12-13T09:00:00Z",
                "description": "Nabór przedłużony.",
            },
        )
    ]
    told = Notification.objects.filter(kind="grants.call_changed").order_by("recipient_id")
    assert [(n.recipient, n.subject, n.body) for n in told] == [
        (
            applicant,
            "Zmieniły się zasady naboru Fundusz sąsiedzki 2026",
            "Organizator zmienił nabór Fundusz sąsiedzki 2026, do którego masz wniosek: "
            "pula środków, zakończenie składania wniosków, opis. Sprawdź swój wniosek "
            "względem aktualnych zasad naboru.",
        )
        for applicant in sorted([submitted.applicant, other.applicant], key=lambda u: u.pk)
    ]


def test_a_call_without_submissions_changes_freely_and_a_draft_call_is_not_audited(world):
    world.draft()  # a draft application does not freeze the rules
    call = world.call

    services.call_update(call=call, actor=world.official, max_grant=Decimal("4000.00"))
    draft_call = Call.objects.create(
        organisation=world.organisation,
        procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
        code="FS2",
        title="Szkic",
        year=2026,
        pool=Decimal("1000.00"),
        max_grant=Decimal("500.00"),
        max_duration_days=30,
        opens_at=NOW,
        closes_at=NOW + datetime.timedelta(days=5),
    )
    services.call_update(call=draft_call, actor=world.official, title="Szkic 2")

    call.refresh_from_db()
    assert call.max_grant == Decimal("4000.00")
    assert [e.after for e in audit_entries_for(call)] == [{"max_grant": "4000.00"}]
    assert list(audit_entries_for(draft_call)) == []
