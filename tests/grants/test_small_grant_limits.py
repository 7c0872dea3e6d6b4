"""The art. 19a limits are law kept as effective-dated data (``SmallGrantLimits``):
every 19a call and offer obeys the row in force; a call may be stricter, never looser."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from grants import services
from grants.models import Application, Call, SmallGrantLimits
from tests.factories import UserFactory
from workflows.errors import InvalidInput

from .conftest import api

SMALL_GRANT = Call.Procedure.SMALL_GRANT_19A


def test_the_limits_in_force_are_seeded_by_the_migration(world):
    limits = SmallGrantLimits.in_force(datetime.date(2026, 11, 23))

    assert (
        limits.max_grant,
        limits.max_duration_days,
        limits.yearly_cap,
        limits.comment_period_days,
        limits.ngo_only,
    ) == (Decimal("10000.00"), 90, Decimal("20000.00"), 7, True)


def test_a_19a_call_looser_than_the_law_is_refused_at_each_field(world):
    response = api(world.official).post(
        "/api/v1/grant-calls/",
        {
            "organisation": world.organisation.pk,
            "procedure": SMALL_GRANT,
            "code": "M19",
            "title": "Małe granty 2026",
            "year": 2026,
            "pool": "100000.00",
            "max_grant": "50000.00",
            "max_duration_days": 200,
            "yearly_cap": "30000.00",
            "comment_period_days": 3,
            "allows_informal_group": True,
            "allows_resident": True,
            "opens_at": "2026-11-24T00:00:00+01:00",
            "closes_at": "2026-12-15T00:00:00+01:00",
        },
        format="json",
    )

    assert response.status_code == 400, response.json()
    not_ngo = (
        "W trybie art. 19a dotację otrzymują tylko organizacje pozarządowe i podmioty "
        "wymienione w art. 3 ust. 3 ustawy."
    )
    assert response.json()["errors"] == {
        "max_grant": [
            "Art. 19a pozwala na dotację najwyżej 10 000,00 zł; nabór może ustalić mniej, "
            "nigdy więcej."
        ],
        "max_duration_days": [
            "Art. 19a pozwala na zadanie trwające najwyżej 90 dni; nabór może ustalić mniej, "
            "nigdy więcej."
        ],
        "yearly_cap": [
            "Art. 19a pozwala przyznać jednej organizacji najwyżej 20 000,00 zł w roku "
            "kalendarzowym; nabór może ustalić mniej, nigdy więcej."
        ],
        "comment_period_days": [
            "Art. 19a przewiduje publikację oferty do zgłaszania uwag na 7 dni."
        ],
        "allows_informal_group": [not_ngo],
        "allows_resident": [not_ngo],
    }
    assert not Call.objects.filter(code="M19").exists()


def test_a_stricter_19a_call_is_accepted(world):
    call = world.make_call(
        code="M19",
        procedure=SMALL_GRANT,
        max_grant=Decimal("8000.00"),
        max_duration_days=60,
        yearly_cap=Decimal("15000.00"),
    )

    assert (call.state, call.max_grant, call.max_duration_days, call.yearly_cap) == (
        "published",
        Decimal("8000.00"),
        60,
        Decimal("15000.00"),
    )


def test_a_19a_call_cannot_be_loosened_later(world):
    call = world.make_call(code="M19", procedure=SMALL_GRANT)

    response = api(world.official).patch(
        f"/api/v1/grant-calls/{call.pk}/", {"max_grant": "10000.01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "max_grant": [
            "Art. 19a pozwala na dotację najwyżej 10 000,00 zł; nabór może ustalić mniej, "
            "nigdy więcej."
        ]
    }
    call.refresh_from_db()
    assert call.max_grant == Decimal("5000.00")


def _offer_with_grant(world, call, from_grant: str):
    """A draft offer whose first budget line asks ``from_grant`` from the grant (and
    300 zł of own money), saved through the service as the applicant would."""
    offer = world.draft(call=call)
    payload = world.draft_payload(call)
    lines = payload.pop("budget_lines")
    for row in lines:
        row["category_id"] = row.pop("category")
    lines[0].update(unit_cost=str(Decimal(from_grant) / 10 + 30), from_grant=from_grant)
    return services.application_save_draft(
        application=offer,
        actor=offer.applicant,
        fields={},
        budget_lines=lines,
    )


def test_an_offer_over_the_statutory_limit_in_force_is_refused(world):
    call = world.make_call(code="M19", procedure=SMALL_GRANT, max_grant=Decimal("10000.00"))
    # The act is amended from today: 8 000 zł per offer; the call still says 10 000.
    SmallGrantLimits.objects.create(
        valid_from=datetime.date(2026, 11, 23),
        max_grant=Decimal("8000.00"),
        max_duration_days=90,
        yearly_cap=Decimal("20000.00"),
        comment_period_days=7,
        legal_basis="art. 19a (po nowelizacji)",
    )
    offer = _offer_with_grant(world, call, "8700.00")

    response = api(world.resident).post(
        f"/api/v1/grant-applications/{offer.pk}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["requested_amount"] == [
        "Wnioskowana dotacja (9 000,00 zł) przekracza maksimum z art. 19a, 8 000,00 zł."
    ]
    offer.refresh_from_db()
    assert (offer.state, offer.number) == ("draft", "")


def test_an_offer_from_an_informal_group_is_refused_by_the_law(world):
    call = world.make_call(code="M19", procedure=SMALL_GRANT)
    offer = world.draft(call=call)
    offer.kind = "informal_group"
    offer.save(update_fields=["kind"])
    # The call allows NGOs only, so the call's own rule speaks first.
    response = api(world.resident).post(
        f"/api/v1/grant-applications/{offer.pk}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["kind"] == [
        "Ten rodzaj wnioskodawcy nie może składać wniosków w tym naborze."
    ]


def test_the_yearly_cap_of_the_law_applies_when_the_call_sets_none(world):
    call = world.make_call(code="M19", procedure=SMALL_GRANT, max_grant=Decimal("10000.00"))
    assert call.yearly_cap is None
    first = world.submitted(call=call)
    # Granted 18 000 zł earlier this year (set directly: the approval is not the point).
    Application.objects.filter(pk=first.pk).update(
        approved_amount=Decimal("18000.00"), state="approved"
    )
    offer = world.draft(applicant=UserFactory(), call=call)

    response = api(offer.applicant).post(
        f"/api/v1/grant-applications/{offer.pk}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["requested_amount"] == [
        "Ta organizacja otrzymała już w tym roku dotacje w wysokości 18 000,00 zł; z kwotą "
        "3 000,00 zł przekroczyłaby roczny limit 20 000,00 zł."
    ]


def test_a_change_of_the_limits_from_a_future_date_does_not_affect_today(world, frozen_now):
    SmallGrantLimits.objects.create(
        valid_from=datetime.date(2027, 1, 1),
        max_grant=Decimal("5000.00"),
        max_duration_days=30,
        yearly_cap=Decimal("10000.00"),
        comment_period_days=7,
        legal_basis="art. 19a (nowelizacja od 2027 r.)",
    )

    call = world.make_call(
        code="M19", procedure=SMALL_GRANT, max_grant=Decimal("10000.00"), max_duration_days=90
    )
    offer = world.submitted(call=call)

    assert (call.max_grant, call.max_duration_days) == (Decimal("10000.00"), 90)
    assert (offer.state, offer.number) == ("submitted", "GMP/2026/M19/0001")
    assert SmallGrantLimits.in_force(datetime.date(2026, 11, 23)).max_grant == Decimal("10000.00")
    # A call opening once the amendment is in force obeys the new limits.
    with pytest.raises(InvalidInput) as refused:
        world.make_call(
            code="M20",
            procedure=SMALL_GRANT,
            max_grant=Decimal("10000.00"),
            opens_at=datetime.datetime(2027, 1, 4, tzinfo=datetime.UTC),
            closes_at=datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC),
            year=2027,
        )
    assert sorted(refused.value.field_errors) == ["max_duration_days", "max_grant"]


@pytest.mark.parametrize("url", ["/admin/grants/interestrate/", "/admin/grants/smallgrantlimits/"])
def test_the_keepers_edit_rates_and_limits_in_the_admin(world, url):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(url)

    assert response.status_code == 200
    add = client.get(f"{url}add/")
    assert add.status_code == 200


def test_a_rate_added_in_the_admin_goes_through_its_service_and_stays_read_only(world):
    from grants.models import InterestRate
    from workflows.models import AuditEntry

    keeper = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(keeper)

    response = client.post(
        "/admin/grants/interestrate/add/",
        {"valid_from": "2031-01-01", "annual_rate": "12.25"},
    )

    assert response.status_code == 302
    rate = InterestRate.objects.get(valid_from=datetime.date(2031, 1, 1))
    assert rate.annual_rate == Decimal("12.25")
    entry = AuditEntry.objects.get(action="interest_rate_add", object_id=rate.pk)
    assert entry.actor == keeper
    assert entry.after == {"valid_from": "2031-01-01", "annual_rate": "12.25"}
    change = client.post(
        f"/admin/grants/interestrate/{rate.pk}/change/",
        {"valid_from": "2031-01-01", "annual_rate": "1.00"},
    )
    assert change.status_code == 403
    rate.refresh_from_db()
    assert rate.annual_rate == Decimal("12.25")
    assert client.post(f"/admin/grants/interestrate/{rate.pk}/delete/").status_code == 403
