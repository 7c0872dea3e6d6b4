"""Issue 13, self-administration: the purchase rules pages. The organisation
administrator changes value bands and same-kind groups from a date (today or later);
the rules in force before it stay as they were, and the guard picks the band in force."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from purchases import services
from purchases.models import SameKindGroup, ValueBand
from purchases.selectors import aggregate_for
from tests.clients import web
from tests.conftest import NOW
from workflows.audit import audit_entries_for
from workflows.errors import InvalidInput, NotPermitted

from .factories import GroupFactory, purchase_draft, user_with

pytestmark = pytest.mark.django_db

DEC_1 = datetime.date(2026, 12, 1)


@pytest.fixture
def org_admin(organisation):
    return user_with(organisation, Role.ORG_ADMIN)


def rules_url(organisation) -> str:
    return f"/zakupy/zasady/{organisation.pk}/"


def band_url(organisation, band) -> str:
    return f"/zakupy/zasady/{organisation.pk}/pasma/{band.pk}/"


def band_post(**overrides) -> dict:
    data = {
        "valid_from": "2026-12-01",
        "lower_net": "20000.00",
        "upper_net": "50000.00",
        "procedure": "public_inquiry",
        "suppliers_to_ask": "0",
        "min_offers": "1",
        "publication_days": "7",
        "required_documents": ["estimate_note", "order"],
        "regulation": "Zarządzenie nr 40/2026",
    }
    data.update(overrides)
    return data


def test_the_administrator_changes_a_band_from_a_date_and_the_past_stays(
    organisation, org_admin, bands, group, official, clock
):
    survey = bands[1]
    purchase = purchase_draft(organisation=organisation, official=official, group=group)

    response = web(org_admin).post(band_url(organisation, survey), band_post())

    assert response.status_code == 302
    assert response["Location"] == rules_url(organisation)
    survey.refresh_from_db()
    assert (survey.valid_from, survey.valid_to, survey.procedure) == (
        datetime.date(2021, 1, 1),
        datetime.date(2026, 11, 30),
        ValueBand.Procedure.PRICE_SURVEY,
    )
    new = ValueBand.objects.get(organisation=organisation, valid_from=DEC_1)
    assert (new.lower_net, new.upper_net, new.procedure, new.valid_to) == (
        Decimal("20000.00"),
        Decimal("50000.00"),
        ValueBand.Procedure.PUBLIC_INQUIRY,
        None,
    )
    assert new.required_documents == ["estimate_note", "order"]
    assert aggregate_for(purchase).band == survey
    clock.move_to(datetime.datetime(2026, 12, 1, 8, 0, tzinfo=NOW.tzinfo))
    assert aggregate_for(purchase).band == new
    [ended] = audit_entries_for(survey)
    assert (ended.actor, ended.action, ended.before, ended.after) == (
        org_admin,
        "valueband_update",
        {"valid_to": None},
        {"valid_to": "2026-11-30"},
    )
    [created] = audit_entries_for(new)
    assert (created.action, created.after["procedure"], created.after["valid_from"]) == (
        "valueband_create",
        "public_inquiry",
        "2026-12-01",
    )


def test_a_date_in_the_past_is_refused_at_the_field_and_the_values_stay(
    organisation, org_admin, bands
):
    response = web(org_admin).post(
        band_url(organisation, bands[1]), band_post(valid_from="2026-11-22")
    )

    assert response.status_code == 200
    field = response.context["form"]
    assert field.errors == {
        "valid_from": ["Zmiana obowiązuje od dziś (2026-11-23) lub później, nigdy wstecz."]
    }
    assert field["regulation"].value() == "Zarządzenie nr 40/2026"
    assert ValueBand.objects.filter(organisation=organisation).count() == 3
    assert list(audit_entries_for(bands[1])) == []


def test_a_new_band_that_overlaps_one_in_force_is_refused(organisation, org_admin, bands):
    response = web(org_admin).post(
        f"/zakupy/zasady/{organisation.pk}/pasma/nowe/",
        band_post(lower_net="40000.00", upper_net="60000.00"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Ten przedział nakłada się na przedział {bands[1]} obowiązujący w tym samym czasie."
    ]
    assert ValueBand.objects.filter(organisation=organisation).count() == 3


def test_a_new_band_above_the_others_is_added_and_audited(organisation, org_admin, bands):
    response = web(org_admin).post(
        f"/zakupy/zasady/{organisation.pk}/pasma/nowe/",
        band_post(lower_net="130000.00", upper_net="", valid_from="2026-11-23"),
    )

    assert response.status_code == 302
    band = ValueBand.objects.get(organisation=organisation, lower_net=Decimal("130000.00"))
    assert (band.upper_net, band.valid_from) == (None, datetime.date(2026, 11, 23))
    [entry] = audit_entries_for(band)
    assert (entry.actor, entry.action) == (org_admin, "valueband_create")


def test_a_new_version_must_start_after_the_band(organisation, org_admin, bands):
    future = services.value_band_add(
        organisation=organisation,
        actor=org_admin,
        valid_from=datetime.date(2027, 1, 1),
        lower_net=Decimal("130000.00"),
        upper_net=None,
        procedure=ValueBand.Procedure.PUBLIC_INQUIRY,
    )

    with pytest.raises(InvalidInput) as refused:
        services.value_band_change(band=future, actor=org_admin, valid_from=DEC_1)

    assert refused.value.field_errors == {
        "valid_from": ["Nowa wersja musi zaczynać się po początku tego przedziału, 2027-01-01."]
    }


def test_bad_input_shows_the_form_not_an_error(organisation, org_admin, bands):
    response = web(org_admin).post(
        band_url(organisation, bands[1]),
        band_post(lower_net="abc", procedure="auction", valid_from="tomorrow"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"lower_net", "procedure", "valid_from"}
    assert ValueBand.objects.filter(organisation=organisation).count() == 3


def test_ending_a_band_in_the_past_is_refused_and_today_is_kept(organisation, org_admin, bands):
    client = web(org_admin)
    url = f"/zakupy/zasady/{organisation.pk}/pasma/{bands[2].pk}/koniec/"

    refused = client.post(url, {"valid_to": "2026-11-01"})
    done = client.post(url, {"valid_to": "2026-12-31"})

    assert refused.status_code == 200
    assert refused.context["end_form"].errors == {
        "valid_to": ["Przedział kończy się dziś (2026-11-23) lub później, nigdy wstecz."]
    }
    assert done.status_code == 302
    bands[2].refresh_from_db()
    assert bands[2].valid_to == datetime.date(2026, 12, 31)
    [entry] = audit_entries_for(bands[2])
    assert (entry.action, entry.after) == ("valueband_update", {"valid_to": "2026-12-31"})


def test_an_official_reads_the_rules_but_may_not_change_them(organisation, official, bands, group):
    client = web(official)

    page = client.get(rules_url(organisation))

    assert page.status_code == 200
    text = page.content.decode()
    assert "rozeznanie cenowe" in text
    assert "80500000-9, 92300000-4" in text
    assert f"/pasma/{bands[1].pk}/" not in text
    assert client.get(band_url(organisation, bands[1])).status_code == 403
    assert client.post(band_url(organisation, bands[1]), band_post()).status_code == 403
    assert client.post(f"/zakupy/zasady/{organisation.pk}/grupy/nowa/").status_code == 403
    assert ValueBand.objects.filter(organisation=organisation).count() == 3
    with pytest.raises(NotPermitted):
        services.value_band_change(band=bands[1], actor=official, valid_from=DEC_1)


def test_a_resident_may_not_read_the_rules(organisation, resident, bands):
    assert web(resident).get(rules_url(organisation)).status_code == 403


def test_a_group_is_added_and_changed_with_cpv_codes_audited(organisation, org_admin):
    client = web(org_admin)
    base = f"/zakupy/zasady/{organisation.pk}/grupy/"

    bad = client.post(base + "nowa/", {"name": "Usługi kulturalne", "cpv_codes": "9230\n"})
    added = client.post(
        base + "nowa/", {"name": "Usługi kulturalne", "cpv_codes": "92300000-4\n80500000-9"}
    )
    group = SameKindGroup.objects.get(organisation=organisation)
    changed = client.post(
        base + f"{group.pk}/", {"name": "Usługi kulturalne", "cpv_codes": "92300000-4"}
    )

    assert bad.status_code == 200
    assert bad.context["form"].errors == {
        "cpv_codes": ["Podaj kody CPV w postaci 80500000-9, po jednym w wierszu; błędne: 9230."]
    }
    assert (added.status_code, changed.status_code) == (302, 302)
    group.refresh_from_db()
    assert group.cpv_codes == ["92300000-4"]
    created, updated = sorted(audit_entries_for(group), key=lambda e: e.pk)
    assert (created.action, created.after) == (
        "samekindgroup_create",
        {"name": "Usługi kulturalne", "cpv_codes": ["92300000-4", "80500000-9"]},
    )
    assert (updated.action, updated.before, updated.after) == (
        "samekindgroup_update",
        {"cpv_codes": ["92300000-4", "80500000-9"]},
        {"cpv_codes": ["92300000-4"]},
    )


def test_the_rules_page_reads_a_fixed_number_of_queries(organisation, org_admin, bands, group):
    client = web(org_admin)
    client.get(rules_url(organisation))
    with CaptureQueriesContext(connection) as few:
        client.get(rules_url(organisation))
    for band in bands:
        services.value_band_change(band=band, actor=org_admin, valid_from=DEC_1)
    GroupFactory(organisation=organisation)

    with CaptureQueriesContext(connection) as more:
        response = client.get(rules_url(organisation))

    assert len(response.context["bands"]) == 6
    assert (len(few), len(more)) == (10, 10)
