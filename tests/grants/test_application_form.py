"""The application form, phone first (#12): the fields of the applicant's kind, as many
member rows as the call needs plus "add a member" without JavaScript, an account typed
with spaces, every valid field saved when another is not, the errors listed at the top
with links, the outline's progress, and the live check of the call's rules."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from grants import services
from grants.models import Application
from tests.forms_support import form_data

pytestmark = pytest.mark.django_db

ACCOUNT_TYPED = "61 1090 1014 0000 0712 1981 2874"
ACCOUNT_STORED = "61109010140000071219812874"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fresh(world, kind="informal_group", call=None) -> Application:
    return services.application_create(call=call or world.call, applicant=world.resident, kind=kind)


def edit_url(application) -> str:
    return f"/granty/wnioski/{application.pk}/edycja/"


def member_rows(html: str) -> list[str]:
    return re.findall(r'name="(members-\d+)-full_name"', html)


def test_a_call_needing_three_members_shows_three_member_rows(world):
    assert world.call.min_group_size == 3
    application = fresh(world)

    html = client_for(world.resident).get(edit_url(application)).content.decode()

    assert member_rows(html) == ["members-0", "members-1", "members-2"]
    assert 'name="add_member"' in html


def test_an_account_typed_with_spaces_is_stored_as_26_digits(world):
    application = fresh(world)
    client = client_for(world.resident)
    html = client.get(edit_url(application)).content.decode()
    field = re.search(r'<input[^>]*name="account_number"[^>]*>', html).group(0)
    assert "maxlength" not in field
    assert 'inputmode="numeric"' in field

    data = _page_data(html)
    data.update(account_number=ACCOUNT_TYPED, save="1")
    response = client.post(edit_url(application), data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.account_number == ACCOUNT_STORED


def _page_data(html: str) -> dict:
    """What the application form posts as a browser would (the page's largest form)."""
    return form_data(html)


def test_an_informal_group_and_a_resident_see_no_organisation_numbers(world):
    world.call.allows_resident = True
    client = client_for(world.resident)
    for kind, members in (("informal_group", True), ("resident", False)):
        html = client.get(edit_url(fresh(world, kind))).content.decode()
        for name in ("krs", "nip", "regon", "representatives"):
            assert f'name="{name}"' not in html, (kind, name)
        assert bool(member_rows(html)) is members
    ngo = client.get(edit_url(fresh(world, "ngo"))).content.decode()
    assert all(f'name="{n}"' in ngo for n in ("krs", "nip", "regon", "representatives"))
    assert member_rows(ngo) == []


def test_add_a_member_is_a_plain_button_that_saves_and_adds_a_row(world):
    application = fresh(world)
    client = client_for(world.resident)
    data = _page_data(client.get(edit_url(application)).content.decode())
    data.update(
        {
            "title": "Ogród",
            "members-0-full_name": "Anna Lider",
            "members-0-email": "anna@example.org",
            "members-0-is_leader": "on",
            "add_member": "1",
        }
    )
    response = client.post(edit_url(application), data)

    assert response.status_code == 302
    assert response["Location"] == f"{edit_url(application)}?members=4#members-3"
    html = client.get(response["Location"]).content.decode()
    assert member_rows(html) == ["members-0", "members-1", "members-2", "members-3"]
    assert 'id="members-3" tabindex="-1" role="group" aria-label="Członek 4"' in html
    assert 'value="Anna Lider"' in html
    application.refresh_from_db()
    assert application.title == "Ogród"
    assert list(application.members.values_list("full_name", "is_leader")) == [("Anna Lider", True)]


def test_every_valid_field_is_saved_and_the_errors_are_listed_with_links(world):
    application = fresh(world)
    client = client_for(world.resident)
    data = _page_data(client.get(edit_url(application)).content.decode())
    data.update(
        {
            "title": "Ogród na Zielonej",
            "account_number": "61 1090 1014 0000 0712 1981 2875",  # a wrong check digit
            "start_date": "2026-13-01",
            "members-0-full_name": "Anna Lider",
            "members-0-email": "anna@example.org",
            "members-1-full_name": "Bartek",
            "members-1-email": "not-an-address",
            "save": "1",
        }
    )
    response = client.post(edit_url(application), data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert 'tabindex="-1" autofocus' in html[html.index('<div class="error-summary"') :][:120]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)
    assert [href for href, _text in links] == [
        "#id_account_number",
        "#id_start_date",
        "#id_members-1-email",
    ]
    assert links[2][1] == "Członek 2, e-mail: Podaj poprawny adres e-mail."
    assert 'value="not-an-address"' in html and 'value="2026-13-01"' in html
    application.refresh_from_db()
    assert (application.title, application.account_number, application.start_date) == (
        "Ogród na Zielonej",
        "",
        None,
    )
    assert list(application.members.values_list("full_name", flat=True)) == ["Anna Lider"]
    # The page carries the saved version: saving again is not a conflict.
    again = client.post(edit_url(application), {**data, **form_data(html), "save": "1"})
    assert again.status_code == 200
    assert "Ktoś inny" not in again.content.decode()


def test_the_outline_shows_the_sections_and_how_many_are_complete(world):
    application = world.draft()
    html = client_for(world.resident).get(edit_url(application)).content.decode()

    # Its capacity and declarations are left empty: optional, so not counted.
    assert "7 z 7 sekcji ukończonych" in html
    assert '<progress max="7" value="7"' in html
    assert html.count('<span class="section-state">nieobowiązkowa</span>') == 2
    blank = client_for(world.resident).get(edit_url(fresh(world))).content.decode()
    # The optional ones (capacity, other sources and volunteer work, declarations) are
    # not counted, nor shown complete, until something is typed in them.
    assert "0 z 6 sekcji ukończonych" in blank
    assert '<progress max="6" value="0"' in blank
    assert blank.count('<span class="section-state">nieobowiązkowa</span>') == 3
    assert "ukończona" not in blank.split('id="outline-title"')[1].split("</nav>")[0]


def test_a_broken_member_count_answers_the_page_not_an_error(world):
    application = world.draft()
    client = client_for(world.resident)
    data = _page_data(client.get(edit_url(application)).content.decode())
    data.update({"members-TOTAL_FORMS": "x", "add_member": "1", "title": "Nowy"})
    response = client.post(edit_url(application), data)

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.title == "Nowy"
    assert application.members.count() == 3  # the list was left as saved


def test_the_live_check_gives_the_submission_messages_and_sums_and_keeps_nothing(world):
    application = world.draft()
    client = client_for(world.resident)
    data = _page_data(client.get(edit_url(application)).content.decode())
    data.update({"lines-0-own_money": "0", "lines-0-from_grant": "3000.00", "volunteer_hours": "0"})

    response = client.post(f"/granty/wnioski/{application.pk}/sprawdz/", data)

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["errors"] == [
        {
            "href": "#lines_errors",
            "text": "Wkład własny (0,00 zł) musi wynosić co najmniej 10% całkowitego "
            "kosztu (330,00 zł).",
        }
    ]
    assert body["totals"] == {
        "total_cost": "3 300,00 zł",
        "requested_amount": "3 300,00 zł",
        "own_contribution": "0,00 zł",
        "own_share": "0%",
    }
    application.refresh_from_db()
    assert (application.own_money, application.volunteer_hours) == (
        Decimal("300.00"),
        Decimal("20.00"),
    )
    ok = json.loads(
        client.post(
            f"/granty/wnioski/{application.pk}/sprawdz/",
            _page_data(client.get(edit_url(application)).content.decode()),
        ).content
    )
    assert ok["errors"] == []
    assert ok["totals"]["own_share"] == "23,1%"


def test_the_live_check_is_the_applicants_own(world):
    application = world.draft()
    stranger = client_for(world.official)
    assert stranger.post(f"/granty/wnioski/{application.pk}/sprawdz/", {}).status_code == 404
    anonymous = Client().post(f"/granty/wnioski/{application.pk}/sprawdz/", {})
    assert anonymous.status_code == 302
    assert (
        client_for(world.resident).get(f"/granty/wnioski/{application.pk}/sprawdz/").status_code
        == 405
    )
