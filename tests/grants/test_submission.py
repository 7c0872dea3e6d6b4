"""An invalid submission returns field errors or a clear refusal and leaves the draft
exactly as it was."""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import translation

from grants import services
from grants.models import Application
from grants.rules.applications import application_rule_errors

from .conftest import NOW, api

pytestmark = pytest.mark.django_db


def snapshot(application_id: int) -> dict:
    application = Application.objects.get(pk=application_id)
    return {
        "application": model_to_dict(application, exclude=["updated_at"]),
        "lines": list(application.budget_lines.values()),
        "members": list(application.members.values()),
    }


def submit(user, application):
    return api(user).post(
        f"/api/v1/grant-applications/{application.pk}/transitions/submit/", {}, format="json"
    )


def test_over_the_maximum_and_missing_own_contribution_give_field_errors(world):
    application = world.draft()
    line = application.budget_lines.get(description="Sadzonki i ziemia")
    payload = world.draft_payload()
    payload["volunteer_hours"] = "0"
    payload["budget_lines"][0].update(
        {"unit_cost": "600.00", "from_grant": "6000.00", "own_money": "0"}
    )
    response = api(world.resident).patch(
        f"/api/v1/grant-applications/{application.pk}/", payload, format="json"
    )
    assert response.status_code == 200
    before = snapshot(application.pk)
    assert line.pk not in [row["id"] for row in before["lines"]]  # the list was replaced

    response = submit(world.resident, application)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Wniosek nie spełnia zasad naboru; niczego nie złożono.",
        "errors": {
            "requested_amount": [
                "Wnioskowana dotacja (6 300,00 zł) przekracza maksimum naboru, 5 000,00 zł."
            ],
            "own_contribution": [
                "Wkład własny (0,00 zł) musi wynosić co najmniej 10% całkowitego kosztu "
                "(630,00 zł)."
            ],
        },
    }
    assert snapshot(application.pk) == before
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_missing_fields_are_named_one_by_one(world):
    application = world.draft()
    api(world.resident).patch(
        f"/api/v1/grant-applications/{application.pk}/",
        {"title": "", "goals": ""},
        format="json",
    )
    before = snapshot(application.pk)

    response = submit(world.resident, application)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {
        "title": ["To pole jest wymagane do złożenia wniosku."],
        "goals": ["To pole jest wymagane do złożenia wniosku."],
    }
    assert snapshot(application.pk) == before


def test_after_the_deadline_the_submission_is_refused_with_the_date(world, frozen_now):
    application = world.draft()
    before = snapshot(application.pk)
    frozen_now.move_to(world.call.closes_at + datetime.timedelta(seconds=1))

    response = submit(world.resident, application)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Nabór zakończył się 3 grudnia 2026, 10:00; nie można już składać wniosków."
    }
    assert snapshot(application.pk) == before


def test_the_window_is_honoured_to_the_second(world, frozen_now):
    application = world.draft()
    frozen_now.move_to(world.call.closes_at - datetime.timedelta(seconds=1))

    assert submit(world.resident, application).status_code == 200


def test_a_draft_saves_half_done_and_keeps_what_was_typed(world):
    application = world.draft()

    response = api(world.resident).patch(
        f"/api/v1/grant-applications/{application.pk}/",
        {"title": "Nowy tytuł", "budget_lines": [{"quantity": "abc"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["budget_lines[0].quantity"] == [
        "Wartością „abc” musi być liczba dziesiętna."
    ]
    application.refresh_from_db()
    assert application.title == "Ogród społeczny na Zielonej"
    assert application.budget_lines.count() == 2


def test_someone_else_cannot_see_or_edit_a_draft(world):
    application = world.draft()
    stranger = world.member("evaluator")

    response = api(stranger).patch(
        f"/api/v1/grant-applications/{application.pk}/", {"title": "X"}, format="json"
    )

    assert response.status_code == 404


def test_attachments_are_checked_by_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = world.draft()
    url = f"/api/v1/grant-applications/{application.pk}/attachments/"
    fake = SimpleUploadedFile("skan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    real = SimpleUploadedFile("skan.pdf", b"%PDF-1.7\n%...", content_type="application/pdf")

    refused = api(world.resident).post(url, {"file": fake}, format="multipart")
    accepted = api(world.resident).post(url, {"file": real}, format="multipart")

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "file": ["skan.pdf nie jest plikiem PDF, JPEG, PNG, ODT ani DOCX (sprawdzono zawartość)."]
    }
    assert accepted.status_code == 201
    assert accepted.json()["content_type"] == "application/pdf"


def test_now_is_frozen_for_these_tests():
    assert NOW.isoformat() == "2026-11-23T10:00:00+01:00"


def test_a_category_over_its_cap_is_named_whether_the_lines_hold_their_categories(world):
    """The caps are checked on the categories the lines are in: those the submit reads
    with the lines, or read by id when the lines came without them."""
    application = world.draft()
    admin = application.budget_lines.get(description="Obsługa księgowa")
    admin.unit_cost = admin.from_grant = Decimal("600.00")
    admin.save()
    services.application_recompute_totals(application)
    expected = {
        "budget_lines": ["„Koszty administracyjne” może stanowić najwyżej 10% kosztów (360,00 zł)."]
    }

    plain = Application.objects.get(pk=application.pk)
    with translation.override("pl"):
        assert application_rule_errors(plain) == expected
    response = submit(world.resident, application)

    assert response.status_code == 400
    assert response.json()["errors"] == expected
    assert Application.objects.get(pk=application.pk).state == "draft"


@pytest.mark.parametrize("key", ["abc", "99999999999999999999", "-1"])
def test_a_transition_of_no_such_application_is_not_found(world, key):
    """The applicant's own applications are looked in first (#18); a key that is none
    of them, or no key at all, is looked for in all the user may see, and not found."""
    world.draft()

    response = api(world.resident).post(
        f"/api/v1/grant-applications/{key}/transitions/submit/", {}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Nie znaleziono."}


def test_an_official_transition_finds_the_application_among_the_organisations_cases(world):
    """An official is not the applicant: the application is found among the cases of
    the organisations they serve, as before the applicant's own were looked in first."""
    application = world.submitted()

    response = api(world.official).post(
        f"/api/v1/grant-applications/{application.pk}/transitions/request_corrections/",
        {"corrections": "Brak podpisu lidera.", "days": 7},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "corrections_requested"
    assert response.json()["correction_request"] == "Brak podpisu lidera."


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?call=abc", {"call": ["Wymagana poprawna liczba całkowita."]}),
        ("?call=0", {"call": ["Upewnij się, że ta wartość jest większa lub równa 1."]}),
        ("?state=zzz", {"state": ['"zzz" nie jest poprawnym wyborem.']}),
    ],
)
def test_a_malformed_filter_is_refused_at_its_name(world, query, errors):
    """``?call=abc`` was a 500 (the filter's ``int`` failed in the database layer); an
    empty filter is still no filter."""
    application = world.draft()
    client = api(world.resident)

    listed = client.get(f"/api/v1/grant-applications/{query}")
    submitted = client.post(
        f"/api/v1/grant-applications/{application.pk}/transitions/submit/{query}", {}
    )

    assert (listed.status_code, submitted.status_code) == (400, 400)
    assert listed.json() == submitted.json()
    assert listed.json() == {"detail": "Popraw błędy poniżej.", "errors": errors}
    assert Application.objects.get(pk=application.pk).state == "draft"
    unfiltered = client.get("/api/v1/grant-applications/?call=&state=&search=")
    assert [row["id"] for row in unfiltered.json()["results"]] == [application.pk]
