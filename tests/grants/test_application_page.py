"""The resident's application page: a submission the call's rules refuse answers the
page again (never a server error), with each error where it belongs and everything
typed still in the form; the draft keeps what was saved and stays a draft."""

import html
from decimal import Decimal

import pytest
from django.test import Client

from grants.models import Application

pytestmark = pytest.mark.django_db

REFUSED = "Wniosek nie spełnia zasad naboru; niczego nie złożono."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_post(world, application, **changes) -> dict:
    """What the application page posts for the world's standard draft, with ``changes``
    (``members``, ``lines`` replace the lists; other keys replace the main fields)."""
    payload = world.draft_payload()
    members = changes.pop("members", payload.pop("members"))
    lines = changes.pop("lines", payload.pop("budget_lines"))
    payload.pop("members", None)
    payload.pop("budget_lines", None)
    activities = payload.pop("activities")
    indicators = payload.pop("indicators")
    payload.update(changes)
    data = {k: v for k, v in payload.items()}
    for prefix, rows in [
        ("members", members),
        ("activities", activities),
        ("indicators", indicators),
        ("lines", lines),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))  # the saved rows, as the page has
        for i, row in enumerate(rows):
            for key, value in row.items():
                if value is True:
                    data[f"{prefix}-{i}-{key}"] = "on"
                elif value is not False:
                    data[f"{prefix}-{i}-{key}"] = str(value)
    data["submit"] = "1"
    return data


def field_errors(response, field_id: str) -> list[str]:
    """The errors the page shows under one field (by its id)."""
    text = response.content.decode()
    start = text.find(f'<ul class="field-errors" id="{field_id}_errors"')
    if start == -1:
        return []
    block = text[start : text.index("</ul>", start)]
    return [html.unescape(item.split("</li>")[0]) for item in block.split("<li>")[1:]]


def refuse(world, **changes):
    application = world.draft()
    response = client_for(world.resident).post(
        f"/granty/wnioski/{application.pk}/edycja/", page_post(world, application, **changes)
    )
    application.refresh_from_db()
    return application, response


def assert_refused(response, application):
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [REFUSED]
    assert (application.state, application.number, application.submitted_at) == (
        "draft",
        "",
        None,
    )


def lines_with(world, **line_changes):
    """The standard two budget lines, with changes to each by index."""
    lines = world.draft_payload()["budget_lines"]
    for index, changes in line_changes.items():
        lines[int(index[1:])].update(changes)
    return lines


def test_own_contribution_too_low_is_shown_above_the_budget(world):
    lines = lines_with(world, l0={"from_grant": "3000.00", "own_money": "0"})
    application, response = refuse(world, lines=lines, volunteer_hours="0", title="Ogród 2")

    assert_refused(response, application)
    assert field_errors(response, "lines") == [
        "Wkład własny (0,00 zł) musi wynosić co najmniej 10% całkowitego kosztu (330,00 zł)."
    ]
    form = response.context["form"]
    budget = response.context["formsets"]["budget_lines"]
    assert (form["volunteer_hours"].value(), form["title"].value()) == ("0", "Ogród 2")
    assert budget.forms[0]["from_grant"].value() == "3000.00"
    assert 'value="Ogród 2"' in response.content.decode()
    # The submit saved the draft first: what was typed is kept, not submitted.
    assert (application.title, application.own_money, application.volunteer_hours) == (
        "Ogród 2",
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_fewer_members_than_the_call_requires_is_shown_above_the_members(world):
    members = world.draft_payload()["members"]
    members[1]["full_name"] = "Ewa Sąsiadka"
    members[2]["DELETE"] = True
    application, response = refuse(world, members=members)

    assert_refused(response, application)
    assert field_errors(response, "members") == [
        "Grupa nieformalna musi mieć co najmniej tylu członków: 3."
    ]
    rows = response.context["formsets"]["members"].forms
    assert [row["full_name"].value() for row in rows] == ["Członek 1", "Ewa Sąsiadka", "Członek 3"]
    assert rows[2]["DELETE"].value() is True
    assert 'value="Ewa Sąsiadka"' in response.content.decode()
    assert list(application.members.values_list("full_name", flat=True)) == [
        "Członek 1",
        "Ewa Sąsiadka",
    ]


def test_a_member_without_declarations_is_shown_at_that_member(world):
    members = world.draft_payload()["members"]
    members[0]["is_leader"] = False
    members[2]["is_leader"] = True  # read back first: the error names row 0 of the saved list
    members[1]["consents_to_processing"] = False
    application, response = refuse(world, members=members)

    assert_refused(response, application)
    rows = response.context["formsets"]["members"].forms
    assert [row.non_field_errors() for row in rows] == [
        [],
        [
            (
                "Każdy członek grupy musi oświadczyć, że jest pełnoletnim mieszkańcem, i wyrazić "
                "zgodę na przetwarzanie danych."
            )
        ],
        [],
    ]


def test_an_end_before_the_start_is_shown_at_the_end_date(world):
    application, response = refuse(world, start_date="2026-12-20", end_date="2026-12-01")

    assert_refused(response, application)
    assert field_errors(response, "id_end_date") == [
        "Data zakończenia jest wcześniejsza niż data rozpoczęcia."
    ]
    assert field_errors(response, "id_start_date") == []
    form = response.context["form"]
    assert (form["start_date"].value(), form["end_date"].value()) == ("2026-12-20", "2026-12-01")
    assert 'aria-describedby="id_end_date_errors"' in response.content.decode()
    assert (str(application.start_date), str(application.end_date)) == (
        "2026-12-20",
        "2026-12-01",
    )


@pytest.mark.parametrize(
    ("line0", "message"),
    [
        (
            {"unit_cost": "600.00", "from_grant": "5400.00", "own_money": "600.00"},
            "Wnioskowana dotacja (5 700,00 zł) przekracza maksimum naboru, 5 000,00 zł.",
        ),
        (
            {"unit_cost": "330.00", "from_grant": "0", "own_money": "3300.00"},
            "Wnioskowana dotacja (300,00 zł) jest niższa niż minimum naboru, 500,00 zł.",
        ),
    ],
    ids=["over-the-maximum", "under-the-minimum"],
)
def test_an_amount_outside_the_calls_limits_is_shown_above_the_budget(world, line0, message):
    application, response = refuse(world, lines=lines_with(world, l0=line0))

    assert_refused(response, application)
    assert field_errors(response, "lines") == [message]
    budget = response.context["formsets"]["budget_lines"]
    assert budget.forms[0]["unit_cost"].value() == line0["unit_cost"]
    assert application.budget_lines.first().unit_cost == Decimal(line0["unit_cost"])


def test_a_category_over_its_cap_is_shown_above_the_budget(world):
    lines = lines_with(world, l1={"unit_cost": "1000.00", "from_grant": "1000.00"})
    application, response = refuse(world, lines=lines)

    assert_refused(response, application)
    assert field_errors(response, "lines") == [
        "„Koszty administracyjne” może stanowić najwyżej 10% kosztów (400,00 zł)."
    ]
    assert response.context["formsets"]["budget_lines"].forms[1]["unit_cost"].value() == ("1000.00")
    assert application.requested_amount == Decimal("3700.00")


def test_a_required_field_left_empty_is_shown_at_that_field(world):
    application, response = refuse(world, title="", place="Skwer przy szkole")

    assert_refused(response, application)
    assert field_errors(response, "id_title") == ["To pole jest wymagane do złożenia wniosku."]
    assert field_errors(response, "id_place") == []
    assert response.context["form"]["place"].value() == "Skwer przy szkole"
    assert 'value="Skwer przy szkole"' in response.content.decode()
    assert (application.title, application.place) == ("", "Skwer przy szkole")


def test_a_shape_error_keeps_what_was_typed_and_saves_every_valid_field(world):
    """A wrong number is refused by the form itself: that line is not saved, everything
    else typed is (the draft never loses what was typed)."""
    lines = lines_with(world, l0={"unit_cost": "1,2,3"})
    application, response = refuse(world, lines=lines, title="Nowy tytuł")

    assert response.status_code == 200
    budget = response.context["formsets"]["budget_lines"]
    assert budget.forms[0].errors == {"unit_cost": ["Wpisz liczbę."]}
    assert response.context["form"]["title"].value() == "Nowy tytuł"
    assert (application.state, application.title) == ("draft", "Nowy tytuł")
    assert list(application.budget_lines.values_list("description", flat=True)) == [
        "Obsługa księgowa"
    ]


def test_a_submission_that_keeps_the_rules_is_submitted(world):
    """The same page and data without a broken rule: the refusals above are the rules."""
    application, response = refuse(world)

    assert (response.status_code, response["Location"]) == (
        302,
        f"/granty/wnioski/{application.pk}/",
    )
    assert application.state == "submitted"
    assert Application.objects.get(pk=application.pk).number == "GMP/2026/FS1/0001"
