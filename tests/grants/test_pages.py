"""The grant pages, driven with Django's test client (the browser journey is in
tests/browser)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from grants import services
from grants.models import Call, Return
from tests.conftest import NOW
from workflows.engine import transition_apply

from .test_query_counts import make_rows

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_official_creates_a_call_with_its_rules(world):
    response = client_for(world.official).post(
        "/granty/nabory/nowy/",
        {
            "organisation": world.organisation.pk,
            "procedure": "neighbourhood_fund",
            "code": "FS9",
            "title": "Zielone podwórka",
            "year": "2026",
            "pool": "50000.00",
            "min_grant": "500.00",
            "max_grant": "8000.00",
            "min_own_share": "0.1",
            "min_own_money_share": "0",
            "allows_informal_group": "on",
            "min_group_size": "3",
            "group_model": "direct",
            "max_duration_days": "60",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-31T23:59",
            "evaluators_per_application": "2",
            "score_gap": "10",
            "min_average_score": "12",
            "tie_break": "earlier_submission",
            "report_deadline_days": "30",
            "budget_shift_tolerance": "0.1",
            "correction_days": "7",
            "comment_period_days": "7",
            "criteria-TOTAL_FORMS": "3",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "Wpływ na sąsiedztwo",
            "criteria-0-max_points": "10",
            "categories-TOTAL_FORMS": "3",
            "categories-INITIAL_FORMS": "0",
            "categories-0-name": "Materiały",
            "checklist-TOTAL_FORMS": "3",
            "checklist-INITIAL_FORMS": "0",
            "checklist-0-text": "Wniosek podpisany",
        },
    )

    call = Call.objects.get(code="FS9")
    assert response.status_code == 302
    assert response.url == f"/granty/nabory/{call.pk}/"
    assert (call.state, call.pool, call.closes_at.isoformat()) == (
        "draft",
        Decimal("50000.00"),
        "2026-12-31T22:59:00+00:00",
    )
    assert [c.name for c in call.criteria.all()] == ["Wpływ na sąsiedztwo"]
    assert [i.text for i in call.checklist.all()] == ["Wniosek podpisany"]


def test_a_resident_cannot_create_a_call(world):
    assert client_for(world.resident).get("/granty/nabory/nowy/").status_code == 404


def test_report_written_and_judged_through_the_pages(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = world.agreement_in_implementation()
    application = agreement.application
    line = application.budget_lines.first()
    indicator = application.indicators.get()
    url = f"/granty/umowy/{agreement.pk}/sprawozdanie/"

    response = client_for(world.resident).post(
        url,
        {
            "narrative": "Ogród założony.",
            "volunteer_hours": "22",
            f"achieved_{indicator.pk}": "5",
            "expenses-TOTAL_FORMS": "2",
            "expenses-INITIAL_FORMS": "0",
            "expenses-0-document_number": "FV 1/2026",
            "expenses-0-document_date": "2026-12-03",
            "expenses-0-issuer": "Szkółka",
            "expenses-0-purpose": "Sadzonki",
            "expenses-0-budget_line": line.pk,
            "expenses-0-amount": "2700.00",
            "expenses-0-from_grant": "2700.00",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    report = agreement.report
    report.refresh_from_db()
    indicator.refresh_from_db()
    assert (report.state, indicator.achieved) == ("submitted", Decimal("5.00"))

    official = client_for(world.official)
    official.post(f"{url}czynnosc/start_review/", {})
    expense = report.expenses.get()
    official.post(f"{url}wydatki/{expense.pk}/niekwalifikowalny/", {"reason": "Bez faktury."})
    expense.refresh_from_db()
    assert (expense.eligible, expense.ineligible_reason) == (False, "Bez faktury.")
    assert "Uznaj za niekwalifikowalny" not in official.get(url).content.decode()


def test_returns_are_recorded_from_the_agreement_page(world, clock):
    application = transition_apply(
        obj=world.evaluated(),
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "J"},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 11, 30))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    ret = Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.UNUSED,
        amount=Decimal("600.00"),
        deadline=datetime.date(2027, 1, 15),
        interest_from=datetime.date(2027, 1, 16),
    )
    clock.move_to(NOW.replace(year=2027, month=1, day=21))  # money is returned in the past

    response = client_for(world.official).post(
        f"/granty/umowy/{agreement.pk}/zwroty/{ret.pk}/", {"returned_on": "2027-01-20"}
    )

    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.returned_on, ret.interest) == (datetime.date(2027, 1, 20), Decimal("0.99"))
    assert (
        client_for(world.resident)
        .post(f"/granty/umowy/{agreement.pk}/zwroty/{ret.pk}/", {"returned_on": "2027-01-21"})
        .status_code
        == 302
    )
    ret.refresh_from_db()
    assert ret.returned_on == datetime.date(2027, 1, 20)  # the grantee cannot record it


def test_an_art_19a_offer_is_published_for_comments_with_a_rate_limit(world, frozen_now):
    cache.clear()
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )
    anonymous = Client()
    url = f"/granty/oferty/{offer.pk}/"

    page = anonymous.get(url)
    for i in range(6):
        anonymous.post(url, {"author_name": "", "text": f"Uwaga {i}"})

    assert page.status_code == 200
    assert "Ogród społeczny na Zielonej" in page.content.decode()
    assert "mieszkaniec@example.org" not in page.content.decode()
    assert [c.text for c in offer.public_comments.all()] == [f"Uwaga {i}" for i in range(5)]
    refused = anonymous.post(url, {"text": "Jeszcze jedna"}).content.decode()
    assert "Z tego adresu zgłoszono zbyt wiele uwag; spróbuj ponownie za godzinę." in refused

    frozen_now.shift(datetime.timedelta(days=7))
    approved = transition_apply(
        obj=offer,
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "Po konsultacjach."},
    )
    assert approved.state == "approved"
    assert anonymous.get(url).status_code == 404


def test_an_art_19a_offer_cannot_be_approved_during_the_comment_period(world, frozen_now):
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )

    response = client_for(world.official).post(
        f"/granty/wnioski/{offer.pk}/czynnosc/approve/",
        {"amount": "3000.00", "justification": "Za wcześnie."},
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == "published_for_comment"


def test_home_lists_what_waits_for_an_evaluator_and_an_official(world):
    application = world.formally_accepted()
    services.reviews_assign(
        application=application, evaluators=[world.evaluators[0]], actor=world.official
    )
    world.submitted(applicant=User.objects.create_user(email="x@example.org", password="p-1234-x"))

    evaluator_home = client_for(world.evaluators[0]).get("/").content.decode()
    official_home = client_for(world.official).get("/").content.decode()

    assert "Oceń wniosek GMP/2026/FS1/0001" in evaluator_home
    assert "Ocena formalna – liczba wniosków: 1" in official_home


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/granty/kolejka/", "official"),
        ("/granty/kolejka/?state=submitted", "official"),
        ("/granty/", "official"),
        ("/granty/umowy/", "official"),
        ("/granty/oceny/", "evaluator"),
    ],
)
def test_list_pages_do_a_constant_number_of_queries(world, url, role):
    def count() -> int:
        user = {"official": world.official, "evaluator": world.evaluators[0]}[role]
        client = client_for(User.objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_rows(world, 10)
    small = count()
    make_rows(world, 40, start=11)
    assert count() == small
