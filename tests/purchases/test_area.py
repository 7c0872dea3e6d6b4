"""Issue 16: an official sets a need's area of public tasks when the need is created and
while it is a draft, on the pages and in the API; only an area in use may be chosen (a
retired one the need already carries stays); the purchase's page names the area in
Polish."""

import pytest

from accounts.models import Role
from areas.models import Area
from purchases.models import Purchase
from tests.clients import api, web
from tests.forms_support import form_data
from workflows.engine import transition_apply

from .factories import Team, purchase_draft
from .test_form_fuzz import need_post

pytestmark = pytest.mark.django_db

NOT_IN_USE = "Wybierz jedną ze sfer zadań publicznych, które są w użyciu."
FACT = "<dt>sfera zadań publicznych</dt><dd>{}</dd>"


@pytest.fixture
def team(organisation, bands):
    return Team(organisation)


@pytest.fixture
def culture():
    return Area.objects.get(code="culture")


@pytest.fixture
def education():
    return Area.objects.get(code="education")


def test_a_need_is_created_with_its_area_on_the_page_and_shows_it(team, group, culture):
    client = web(team[Role.OFFICIAL])

    response = client.post("/zakupy/nowe/", {**need_post(group), "area": culture.pk})

    purchase = Purchase.objects.get()
    assert response.status_code == 302 and response.url == f"/zakupy/{purchase.pk}/"
    assert (purchase.state, purchase.area) == ("draft", culture)
    page = client.get(f"/zakupy/{purchase.pk}/").content.decode()
    assert FACT.format("kultura, tradycja i zabytki") in page


def test_a_need_without_an_area_shows_none(team, group):
    client = web(team[Role.OFFICIAL])
    assert client.post("/zakupy/nowe/", need_post(group)).status_code == 302

    purchase = Purchase.objects.get()
    assert purchase.area is None
    assert "sfera zadań publicznych" not in client.get(f"/zakupy/{purchase.pk}/").content.decode()


def test_the_draft_page_changes_the_area_and_a_refusal_keeps_what_was_typed(
    team, group, culture, education
):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(organisation=team.organisation, official=official, group=group)
    client = web(official)
    url = f"/zakupy/{draft.pk}/edycja/"
    data = form_data(client.get(url).content.decode())
    assert data["area"] == ""

    refused = client.post(url, {**data, "area": "999999", "title": "Koncert w parku"})

    assert refused.status_code == 200
    form = refused.context["form"]
    assert form.errors == {"area": [NOT_IN_USE]}
    assert (form["title"].value(), form["area"].value()) == ("Koncert w parku", "999999")
    assert 'aria-invalid="true"' in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.area, draft.version) == ("Warsztaty dla seniorów", None, 1)

    saved = client.post(url, {**data, "area": education.pk})

    assert saved.status_code == 302 and saved.url == f"/zakupy/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.area, draft.version) == (education, 2)
    assert form_data(client.get(url).content.decode())["area"] == str(education.pk)
    page = client.get(f"/zakupy/{draft.pk}/").content.decode()
    assert FACT.format("edukacja i wychowanie") in page
    assert "Zmień zapotrzebowanie" in page


def test_a_retired_area_stays_on_its_draft_but_is_not_chosen_anew(team, group, culture, education):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, area=culture
    )
    Area.objects.filter(pk__in=[culture.pk, education.pk]).update(active=False)
    client = web(official)
    url = f"/zakupy/{draft.pk}/edycja/"
    data = form_data(client.get(url).content.decode())
    assert data["area"] == str(culture.pk)

    refused = client.post(url, {**data, "area": education.pk})
    kept = client.post(url, {**data, "title": "Koncert w parku"})

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"area": [NOT_IN_USE]}
    assert kept.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.area) == ("Koncert w parku", culture)
    refused = api(official).patch(
        f"/api/v1/purchases/{draft.pk}/", {"area": education.pk}, format="json"
    )
    assert (refused.status_code, refused.json()["errors"]) == (400, {"area": [NOT_IN_USE]})
    kept = api(official).patch(
        f"/api/v1/purchases/{draft.pk}/", {"area": culture.pk}, format="json"
    )
    assert (kept.status_code, kept.json()["area"]) == (200, culture.pk)


def test_the_api_creates_and_changes_a_draft_with_its_area(team, group, culture, education):
    client = api(team[Role.OFFICIAL])
    payload = {**need_post(group), "group": group.pk, "area": culture.pk}

    created = client.post("/api/v1/purchases/", payload, format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["area"] == culture.pk
    pk = created.json()["id"]
    assert Purchase.objects.get(pk=pk).area == culture

    changed = client.patch(f"/api/v1/purchases/{pk}/", {"area": education.pk}, format="json")
    assert (changed.status_code, changed.json()["area"]) == (200, education.pk)
    for value in (999999, "kultura"):
        refused = client.patch(f"/api/v1/purchases/{pk}/", {"area": value}, format="json")
        assert (refused.status_code, refused.json()["errors"]) == (400, {"area": [NOT_IN_USE]})
    cleared = client.patch(f"/api/v1/purchases/{pk}/", {"area": None}, format="json")
    assert (cleared.status_code, cleared.json()["area"]) == (200, None)
    purchase = Purchase.objects.get(pk=pk)
    assert (purchase.area, purchase.version) == (None, 3)


def test_the_area_stays_once_the_need_is_submitted(team, group, culture, education):
    official = team[Role.OFFICIAL]
    draft = purchase_draft(
        organisation=team.organisation, official=official, group=group, area=culture
    )
    transition_apply(obj=draft, name="submit", actor=official)

    refused = api(official).patch(
        f"/api/v1/purchases/{draft.pk}/", {"area": education.pk}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json()["detail"] == "Zmieniać można tylko projekt."
    assert Purchase.objects.get(pk=draft.pk).area == culture
    page = web(official).get(f"/zakupy/{draft.pk}/").content.decode()
    assert FACT.format("kultura, tradycja i zabytki") in page
    assert "Zmień zapotrzebowanie" not in page
