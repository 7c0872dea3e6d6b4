"""The queue and list endpoints do the same number of queries for 10 and for 200 rows."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from finance.models import PaymentOrder
from grants.models import Agreement, Application, Call, Report, Review, Tranche
from tests.factories import UserFactory

from .conftest import api

pytestmark = pytest.mark.django_db


STATES = ["submitted", "evaluated", "approved", "formally_accepted"]


def make_rows(world, count: int, start: int = 1) -> None:
    Call.objects.bulk_create(
        Call(
            organisation=world.organisation,
            procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
            code=f"Q{i}",
            title=f"Nabór {i}",
            year=2026,
            pool=Decimal("1000"),
            max_grant=Decimal("500"),
            max_duration_days=30,
            opens_at=world.call.opens_at,
            closes_at=world.call.closes_at,
            state="published" if i % 2 else "draft",
        )
        for i in range(start, start + count)
    )
    applicants = UserFactory.create_batch(count)
    applications = Application.objects.bulk_create(
        Application(
            call=world.call,
            applicant=applicant,
            kind="informal_group",
            number=f"GMP/2026/FS1/{i:04d}",
            sequence=i,
            title=f"Inicjatywa {i}",
            state=state,
            requested_amount=Decimal("1000.00"),
            approved_amount=Decimal("1000.00") if state == "approved" else None,
            average_score=Decimal("20.00") if state != "submitted" else None,
        )
        for i, (applicant, state) in enumerate(
            zip(applicants, STATES * count, strict=False),
            start=start,
        )
    )
    Review.objects.bulk_create(
        Review(application=a, evaluator=world.evaluators[0])
        for a in applications
        if a.state == "formally_accepted"
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            application=a,
            organisation=world.organisation,
            number=f"U/{a.number}",
            amount=Decimal("1000.00"),
            spending_deadline=datetime.date(2026, 12, 31),
            report_deadline=datetime.date(2027, 1, 30),
        )
        for a in applications
        if a.state == "approved"
    )
    Report.objects.bulk_create(Report(agreement=a) for a in agreements)
    for agreement in agreements:
        Tranche.objects.create(
            agreement=agreement,
            amount=Decimal("1000.00"),
            due_date=datetime.date(2026, 12, 1),
            payment_order=PaymentOrder.objects.create(
                organisation=world.organisation,
                kind="grant_tranche",
                source_type_id=1,
                source_id=agreement.pk,
                beneficiary_name="Grupa",
                beneficiary_address="Adres",
                account_number="61109010140000071219812874",
                title="Transza",
                amount=Decimal("1000.00"),
                due_date=datetime.date(2026, 12, 1),
            ),
        )


ENDPOINTS = [
    ("/api/v1/grant-applications/?page_size=500", "official"),
    ("/api/v1/grant-applications/?page_size=500&state=submitted", "official"),
    ("/api/v1/grant-calls/?page_size=500", "official"),
    ("/api/v1/grant-reviews/?page_size=500", "evaluator"),
    ("/api/v1/grant-agreements/?page_size=500", "official"),
    ("/api/v1/grant-reports/?page_size=500", "official"),
    ("/api/v1/payment-orders/?page_size=500", "finance"),
]


def count_queries(world, url: str, role: str) -> tuple[int, int]:
    user = {"official": world.official, "evaluator": world.evaluators[0], "finance": world.finance}[
        role
    ]
    client = api(User.objects.get(pk=user.pk))  # a fresh user: nothing cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize(("url", "role"), ENDPOINTS)
def test_list_endpoints_do_a_constant_number_of_queries(world, url, role):
    make_rows(world, 10)
    small, small_count = count_queries(world, url, role)
    make_rows(world, 190, start=11)
    large, large_count = count_queries(world, url, role)

    assert large_count > small_count >= 1
    assert large == small


def test_a_submit_reads_the_application_once_for_its_answer(world, django_assert_num_queries):
    """#18: the submit on the evening a call closes. Before: 62 queries for a group of
    three (the object read with eleven prefetches before the transition and again
    after it); the transition action reads it plainly, and the answer once (52); each
    guard runs once and the notifications are written in one insert (38); the effects
    take the engine's instance and log entry instead of reading them again, the members
    are read once for the rules, the notification and the document, and the number is
    taken in one UPDATE ... RETURNING (31: the first of them the content type, cached
    in a running process); the "received" message names its call from the instance
    the engine holds, so it costs nothing more. The lists are read once onto the
    engine's instance for the rules, the document and the answer, which is given from
    that instance; the notifications take no savepoint and, their key being the new
    log entry's, are not read back (22). The number is taken last, after the
    notifications (which name it lazily), so that the call's counter row is locked
    for the number's own update and the document alone (23). The locked instance keeps
    the call and the applicant the action read to find the application, and a draft,
    which has no timers, has none to cancel (20). The action finds and locks the
    application in one query, a transition without a payload writes no payload row,
    the effects' two outbox messages are written in one insert, and the caps are checked
    on the categories the budget lines are read with (16); on PostgreSQL the number is
    taken and written on the application in one statement (15); the notifications and
    their deliveries are one statement (14). The applicant's own application is found
    without working out what else the user may see (the memberships are read once, for
    the answer's transitions)."""
    application = world.draft()
    client = api(User.objects.get(pk=world.resident.pk))
    ContentType.objects.clear_cache()  # as in a fresh process, whichever tests ran before

    with django_assert_num_queries(14) as captured:
        response = client.post(
            f"/api/v1/grant-applications/{application.pk}/transitions/submit/", {}, format="json"
        )

    assert response.status_code == 200
    sqls = [query["sql"] for query in captured.captured_queries]
    found = [sql for sql in sqls if sql.startswith('SELECT "grants_application"."id"')]
    assert len(found) == 1
    assert f'"grants_application"."applicant_id" = {world.resident.pk}' in found[0]
    assert found[0].endswith('FOR UPDATE OF "grants_application"')
    assert "grants_review" not in found[0]
    assert len([sql for sql in sqls if 'FROM "accounts_membership"' in sql]) == 1
    # The two outbox messages (the document's context is a few kilobytes) as VALUES rows,
    # not Django's UNNEST of a jsonb[] array, three times as slow for them.
    outbox = [sql for sql in sqls if sql.startswith('INSERT INTO "workflows_outboxmessage"')]
    assert len(outbox) == 1
    assert "UNNEST" not in outbox[0]
    assert outbox[0].count("::jsonb") == 2  # one placeholder per message
    # One application's lists are read without joining it and its call to sort by them.
    lists = [
        query["sql"]
        for query in captured.captured_queries
        for table in ("groupmember", "budgetline", "activity", "indicator")
        if query["sql"].startswith(f'SELECT "grants_{table}"')
    ]
    assert len(lists) == 4
    assert [sql for sql in lists if 'JOIN "grants_application"' in sql] == []
    assert response.json()["number"] == "GMP/2026/FS1/0001"
    assert [m["full_name"] for m in response.json()["members"]] == [
        m.full_name for m in application.members.all()
    ]


@pytest.mark.parametrize("url", ["/granty/kolejka/", "/granty/kolejka/?q=inicjatywa"])
def test_the_queue_page_does_a_constant_number_of_queries(world, url):
    make_rows(world, 2)
    small = count_page_queries(world, url)
    make_rows(world, 10, start=3)
    large = count_page_queries(world, url)

    assert large == small


def count_page_queries(world, url: str) -> int:
    client = api(User.objects.get(pk=world.official.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_application_search_has_trigram_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'grants_application' "
            "AND indexname LIKE '%%trgm' ORDER BY indexname"
        )
        rows = cursor.fetchall()
    assert [name for name, _definition in rows] == [
        "grants_application_number_trgm",
        "grants_application_title_trgm",
    ]
    assert all("gin_trgm_ops" in definition for _name, definition in rows)
