"""Issue 11, section 8: concurrent edits. A draft application and a call carry a
version: the API gives it as the ETag and honours If-Match (a stale edit is a 409 that
changes nothing; no If-Match is accepted, as before), and the pages keep it in a
hidden field (a stale edit shows the conflict with what was typed)."""

from django.test import Client

from grants import services
from grants.models import Application, Call
from tests.forms_support import form_data

from .conftest import api

STALE = (
    "Ktoś inny zmienił tę pozycję po tym, jak ją otworzyłeś (jest teraz w wersji {current}, "
    "a Ty edytowałeś wersję {expected}). Nic nie zostało zapisane: wczytaj ją ponownie i "
    "wprowadź zmianę jeszcze raz."
)
MEANWHILE = (
    "Ktoś inny zapisał tę pozycję, gdy ją edytowałeś. Twoje zmiany nie są jeszcze "
    "zapisane, a to, co wpisałeś, pozostało poniżej: porównaj je z aktualną wersją "
    "(otwórz stronę w nowej karcie) i zapisz ponownie, aby zachować swoje zmiany."
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_draft_edit_with_a_stale_if_match_is_a_409_and_changes_nothing(world):
    draft = world.draft()
    url = f"/api/v1/grant-applications/{draft.pk}/"
    client = api(world.resident)

    detail = client.get(url)
    fresh = client.patch(url, {"title": "Ogród A"}, format="json", HTTP_IF_MATCH='"2"')
    stale = client.patch(url, {"title": "Ogród B"}, format="json", HTTP_IF_MATCH='"2"')

    assert (detail.status_code, detail["ETag"], detail.json()["version"]) == (200, '"2"', 2)
    assert (fresh.status_code, fresh["ETag"], fresh.json()["title"]) == (200, '"3"', "Ogród A")
    assert stale.status_code == 409
    assert stale.json() == {"detail": STALE.format(current=3, expected=2)}
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Ogród A", 3)


def test_a_draft_edit_without_if_match_is_accepted(world):
    draft = world.draft()

    response = api(world.resident).patch(
        f"/api/v1/grant-applications/{draft.pk}/", {"title": "Bez wersji"}, format="json"
    )

    assert (response.status_code, response["ETag"]) == (200, '"3"')
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Bez wersji", 3)


def test_a_call_edit_with_a_stale_if_match_is_a_409(world):
    url = f"/api/v1/grant-calls/{world.call.pk}/"
    client = api(world.official)

    detail = client.get(url)
    fresh = client.patch(url, {"title": "Fundusz A"}, format="json", HTTP_IF_MATCH=detail["ETag"])
    stale = client.patch(url, {"title": "Fundusz B"}, format="json", HTTP_IF_MATCH='W/"1"')

    assert (detail.status_code, detail["ETag"]) == (200, '"1"')
    assert (fresh.status_code, fresh["ETag"]) == (200, '"2"')
    assert stale.status_code == 409
    assert stale.json() == {"detail": STALE.format(current=2, expected=1)}
    assert Call.objects.get(pk=world.call.pk).title == "Fundusz A"


def test_the_application_page_shows_a_conflict_and_keeps_what_was_typed(world):
    draft = world.draft()
    url = f"/granty/wnioski/{draft.pk}/edycja/"
    client = client_for(world.resident)
    data = form_data(client.get(url).content.decode())
    assert data["version"] == "2"
    # Meanwhile the same applicant saves from another tab (or the API).
    services.application_save_draft(
        application=draft, actor=world.resident, fields={"title": "Zapisane w innej karcie"}
    )

    response = client.post(url, {**data, "title": "Wpisane na tej stronie"})

    assert response.status_code == 200
    page = response.content.decode()
    assert MEANWHILE in page
    assert 'value="Wpisane na tej stronie"' in page
    assert form_data(page)["version"] == "3"
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Zapisane w innej karcie", 3)

    # Saving again, knowingly, keeps what was typed.
    again = client.post(url, form_data(page))
    assert (again.status_code, again["Location"]) == (302, url)
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Wpisane na tej stronie", 4)


def test_a_fresh_edit_of_the_application_page_saves(world):
    draft = world.draft()
    url = f"/granty/wnioski/{draft.pk}/edycja/"
    client = client_for(world.resident)
    data = form_data(client.get(url).content.decode())

    response = client.post(url, {**data, "title": "Nowy tytuł"})

    assert (response.status_code, response["Location"]) == (302, url)
    assert Application.objects.values_list("title", "version").get(pk=draft.pk) == (
        "Nowy tytuł",
        3,
    )


def test_the_call_page_shows_a_conflict_and_keeps_what_was_typed(world):
    url = f"/granty/nabory/{world.call.pk}/edycja/"
    client = client_for(world.official)
    data = form_data(client.get(url).content.decode())
    services.call_update(call=world.call, actor=world.official, title="Zmienione przez kogoś")

    response = client.post(url, {**data, "title": "Moja zmiana"})

    assert response.status_code == 200
    page = response.content.decode()
    assert MEANWHILE in page
    assert 'value="Moja zmiana"' in page
    assert Call.objects.values_list("title", "version").get(pk=world.call.pk) == (
        "Zmienione przez kogoś",
        2,
    )
