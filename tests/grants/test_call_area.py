"""Issue 16: an official sets a call's area of public tasks on the call's page and in
the API; only an area in use may be chosen (a retired one the call already carries
stays); a published call's change is audited; the call's page names the area in
Polish."""

import pytest
from django.test import Client

from areas.models import Area
from grants import services
from grants.models import Call
from notifications.models import Notification
from tests.conftest import NOW
from tests.forms_support import form_data
from workflows.audit import audit_entries_for

from .conftest import api
from .test_pages import client_for

pytestmark = pytest.mark.django_db

NOT_IN_USE = "Wybierz jedną ze sfer zadań publicznych, które są w użyciu."
FACT = "<dt>Sfera zadań publicznych</dt><dd>{}</dd>"


@pytest.fixture
def sport():
    return Area.objects.get(code="sport")


@pytest.fixture
def culture():
    return Area.objects.get(code="culture")


def edit_form(client, call) -> dict:
    """The call's edit form as the browser would send it back."""
    page = client.get(f"/granty/nabory/{call.pk}/edycja/")
    assert page.status_code == 200
    return form_data(page.content.decode())


def test_the_call_form_offers_the_areas_in_use(world, sport):
    Area.objects.filter(code="spatial-planning").update(active=False)

    field = client_for(world.official).get("/granty/nabory/nowy/").context["form"]["area"]

    choices = [label for _value, label in field.field.choices]
    assert choices[0] == "---------"
    assert len(choices) == 1 + 8
    assert "sport i kultura fizyczna" in choices
    assert "planowanie przestrzenne" not in choices


def test_an_official_sets_the_area_on_the_page_and_the_change_is_audited(world, sport):
    client = client_for(world.official)
    data = edit_form(client, world.call)
    assert data["area"] == ""

    response = client.post(f"/granty/nabory/{world.call.pk}/edycja/", {**data, "area": sport.pk})

    assert response.status_code == 302 and response.url == f"/granty/nabory/{world.call.pk}/"
    call = Call.objects.get(pk=world.call.pk)
    assert (call.area, call.version) == (sport, 2)
    assert [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(call)] == [
        (world.official, NOW, "call_update", {"area": None}, {"area": sport.pk})
    ]
    # The form shows the area chosen; saved again unchanged, nothing more is written.
    again = edit_form(client, call)
    assert again["area"] == str(sport.pk)
    assert client.post(f"/granty/nabory/{call.pk}/edycja/", again).status_code == 302
    assert Call.objects.get(pk=call.pk).version == 2
    assert len(audit_entries_for(call)) == 1


def test_a_refused_area_is_shown_at_its_field_and_keeps_what_was_typed(world, sport):
    client = client_for(world.official)
    data = edit_form(client, world.call)

    response = client.post(
        f"/granty/nabory/{world.call.pk}/edycja/",
        {**data, "area": "999999", "title": "Zielone podwórka 2026"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"area": [NOT_IN_USE]}
    assert (form["title"].value(), form["area"].value()) == ("Zielone podwórka 2026", "999999")
    assert 'aria-invalid="true"' in response.content.decode()
    call = Call.objects.get(pk=world.call.pk)
    assert (call.title, call.area, call.version) == ("Fundusz sąsiedzki 2026", None, 1)
    assert list(audit_entries_for(call)) == []


def test_a_retired_area_stays_on_its_call_but_is_not_chosen_anew(world, sport, culture):
    services.call_update(call=world.call, actor=world.official, area=sport)
    Area.objects.filter(pk__in=[sport.pk, culture.pk]).update(active=False)
    client = client_for(world.official)
    data = edit_form(client, Call.objects.get(pk=world.call.pk))
    assert data["area"] == str(sport.pk)

    kept = client.post(f"/granty/nabory/{world.call.pk}/edycja/", {**data, "title": "Nowy"})
    refused = client.post(f"/granty/nabory/{world.call.pk}/edycja/", {**data, "area": culture.pk})

    assert kept.status_code == 302
    assert refused.status_code == 200
    assert refused.context["form"].errors == {"area": [NOT_IN_USE]}
    call = Call.objects.get(pk=world.call.pk)
    assert (call.title, call.area) == ("Nowy", sport)


def test_a_new_call_takes_its_area_from_the_page(world, culture):
    data = form_data(client_for(world.official).get("/granty/nabory/nowy/").content.decode())
    data.update(
        organisation=world.organisation.pk,
        procedure="neighbourhood_fund",
        code="FS9",
        title="Zielone podwórka",
        area=culture.pk,
        year="2026",
        pool="50000.00",
        min_grant="500.00",
        max_grant="8000.00",
        max_duration_days="60",
        opens_at="2026-12-01T08:00",
        closes_at="2026-12-31T23:59",
    )

    response = client_for(world.official).post("/granty/nabory/nowy/", data)

    call = Call.objects.get(code="FS9")
    assert response.status_code == 302 and response.url == f"/granty/nabory/{call.pk}/"
    assert (call.state, call.area) == ("draft", culture)


def test_the_call_pages_name_the_area_in_polish(world, sport):
    url = f"/granty/nabory/{world.call.pk}/"
    assert "Sfera zadań publicznych" not in Client().get(url).content.decode()
    services.call_update(call=world.call, actor=world.official, area=sport)

    public = Client().get(url).content.decode()
    office = client_for(world.official).get(url).content.decode()

    assert FACT.format("sport i kultura fizyczna") in public
    assert FACT.format("sport i kultura fizyczna") in office
    assert "Edytuj nabór" in office and "Edytuj nabór" not in public


def test_the_api_creates_and_changes_a_call_with_its_area(world, sport, culture):
    client = api(world.official)
    created = client.post(
        "/api/v1/grant-calls/",
        {
            "organisation": world.organisation.pk,
            "procedure": "neighbourhood_fund",
            "code": "FS8",
            "title": "Sportowe podwórka",
            "area": sport.pk,
            "year": 2026,
            "pool": "20000.00",
            "max_grant": "5000.00",
            "max_duration_days": 60,
            "opens_at": "2026-12-01T00:00:00+01:00",
            "closes_at": "2026-12-31T00:00:00+01:00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["area"] == sport.pk
    pk = created.json()["id"]
    assert Call.objects.get(pk=pk).area == sport

    # A published call's area changes too: audited, and its applicants are told.
    world.submitted()
    changed = client.patch(
        f"/api/v1/grant-calls/{world.call.pk}/", {"area": culture.pk}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["area"] == culture.pk
    entry = audit_entries_for(world.call).get()
    assert (entry.action, entry.before, entry.after) == (
        "call_update",
        {"area": None},
        {"area": culture.pk},
    )
    told = Notification.objects.get(kind="grants.call_changed")
    assert told.body == (
        "Organizator zmienił nabór Fundusz sąsiedzki 2026, do którego masz wniosek: "
        "sfera zadań publicznych. Sprawdź swój wniosek względem aktualnych zasad naboru."
    )

    cleared = client.patch(f"/api/v1/grant-calls/{pk}/", {"area": None}, format="json")
    assert (cleared.status_code, cleared.json()["area"]) == (200, None)
    assert Call.objects.get(pk=pk).area is None


def test_the_api_refuses_an_area_not_in_use_at_the_field(world, sport):
    Area.objects.filter(pk=sport.pk).update(active=False)
    client = api(world.official)

    for value in (999999, sport.pk, "sport"):
        response = client.patch(
            f"/api/v1/grant-calls/{world.call.pk}/", {"area": value}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"area": [NOT_IN_USE]}
    call = Call.objects.get(pk=world.call.pk)
    assert (call.area, call.version) == (None, 1)
