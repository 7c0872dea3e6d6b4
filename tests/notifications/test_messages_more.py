"""Issue 12, messages beyond the grant decisions: finance's payments and batches, the
deadline reminders and the daily digest each say what happened, what to do and by
when, with the figures, in the reader's language; no transition of any process sends
the generic notice instead of a message of its own."""

import datetime
import zoneinfo

import pytest
from django.apps import apps
from django.utils import translation

from accounts.models import Role
from finance.models import PaymentBatch, PaymentOrder
from finance.services import batches
from finance.services.batches import ItemResult
from grants.models import Agreement, Application, Call, GroupInvoice, Report, Review
from notifications.digest import digest_send_all
from notifications.models import Notification
from purchases.models import Purchase
from tests.finance.batches_support import TODAY
from tests.finance.batches_support import World as FinanceWorld
from tests.purchases.factories import GroupFactory, Team, bands_create, drive, purchase_draft
from workflows.engine import transition_apply, transitions_of
from workflows.models import WorkflowModel
from workflows.timers import fire_due

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def latest(email: str, language: str = "pl") -> tuple[str, str]:
    message = Notification.objects.filter(email=email).latest("pk")
    with translation.override(language):
        return message.rendered()


@pytest.fixture
def money(db):
    return FinanceWorld()


def test_an_approved_batch_says_how_many_how_much_and_by_when(money):
    batch = money.batch([money.order("100.00"), money.order("1234.56")])

    transition_apply(obj=batch, name="approve", actor=money.approver)

    assert latest(money.preparer.email) == (
        "Zatwierdzono paczkę P/2026/0001: 1 334,56 zł",
        "Paczka przelewów P/2026/0001 została zatwierdzona: przelewów 2, łącznie "
        "1 334,56 zł. Wygeneruj plik bankowy (Elixir-O) i wyślij go do banku przed datą "
        "realizacji, 25 listopada 2026.",
    )
    assert latest(money.preparer.email, "en") == (
        "Batch P/2026/0001 approved: 1 334,56 zł",
        "The payment batch P/2026/0001 was approved: 2 transfers, 1 334,56 zł in all. "
        "Export its bank file (Elixir-O) and send it to the bank before the execution "
        "date, 25 November 2026.",
    )


def test_a_rejected_transfer_carries_the_reason_the_account_and_the_due_date(money):
    order = money.order("200.50")
    batch = money.exported([order])
    [item] = batch.items.all()

    batches.batch_results_record(
        batch=batch,
        actor=money.approver,
        results=[ItemResult(item.pk, "rejected", reason="Rachunek odbiorcy zamknięty")],
    )

    order.refresh_from_db()
    assert latest(money.official.email) == (
        "Bank odrzucił przelew: 200,50 zł dla Stowarzyszenie Łączy Nas 1",
        f"Bank odrzucił przelew „Mikrogrant GMŁ/2026/1 transza 1” na kwotę 200,50 zł dla "
        f"Stowarzyszenie Łączy Nas 1 (rachunek {order.account_number}).\n\nPowód:\n"
        "Rachunek odbiorcy zamknięty\n\nDyspozycja wróciła do niezapłaconych: popraw z "
        "urzędnikiem prowadzącym sprawę rachunek lub dane odbiorcy i dołącz ją do nowej "
        "paczki; termin płatności to 1 grudnia 2026.",
    )
    # The whole batch is closed with the figures of what the bank did.
    assert latest(money.preparer.email)[1] == (
        "Paczka przelewów P/2026/0001 jest zamknięta: zapłacono 0 z 1 przelewów, bank "
        "odrzucił 1, łącznie 200,50 zł. Odrzucone przelewy wróciły do niezapłaconych "
        "dyspozycji. W sprawie tej paczki nie trzeba już nic robić."
    )


def test_a_cancelled_order_carries_the_reason_typed_when_cancelling(money):
    order = money.order("99.99")

    transition_apply(
        obj=order, name="cancel", actor=money.preparer, payload={"reason": "Podwójny wpis."}
    )

    assert latest(money.official.email, "en") == (
        "Payment cancelled: 99,99 zł to Stowarzyszenie Łączy Nas 1",
        'The payment order "Mikrogrant GMŁ/2026/1 transza 1" of 99,99 zł to Stowarzyszenie '
        "Łączy Nas 1, due on 1 December 2026, was cancelled.\n\nReason:\nPodwójny wpis.\n\n"
        "If the money is still owed, issue a new payment order from the case before "
        "1 December 2026.",
    )


def test_a_paid_order_says_when_it_was_paid(money):
    order = money.order("10.00")

    transition_apply(obj=order, name="mark_paid", actor=money.preparer, payload={"paid_on": TODAY})

    assert latest(money.official.email)[1] == (
        "Płatność „Mikrogrant GMŁ/2026/1 transza 1” na kwotę 10,00 zł dla Stowarzyszenie "
        f"Łączy Nas 1 (rachunek {order.account_number}) została zrealizowana 23 listopada "
        "2026. W sprawie tej płatności nie trzeba już nic robić."
    )


# Every model whose transitions tell people something: none may send the generic notice
# (its state and what comes next) instead of a message of its own (issue 12).
NOTIFYING_MODELS = [
    PaymentOrder,
    PaymentBatch,
    Call,
    Application,
    Review,
    Agreement,
    Report,
    GroupInvoice,
    Purchase,
]


def notices(model) -> list[tuple[str, object]]:
    """The transitions' ``notify`` effects: (transition, its message or ``None``)."""
    return [
        (transition.name, effect.message)
        for transition in transitions_of(model)
        for effect in transition.custom.get("spec").effects
        if effect.label.startswith("notify")
    ]


@pytest.mark.parametrize("model", NOTIFYING_MODELS, ids=lambda model: model.__name__)
def test_every_notice_has_its_own_message(model):
    generic = sorted({name for name, message in notices(model) if message is None})

    assert generic == []


def test_every_model_that_notifies_is_checked():
    notifying = {
        model for model in apps.get_models() if issubclass(model, WorkflowModel) and notices(model)
    }

    assert notifying == set(NOTIFYING_MODELS)


def test_a_reminder_says_what_the_deadline_is_for_and_what_to_do(world, frozen_now):
    application = world.submitted()
    transition_apply(
        obj=application,
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołącz oświadczenia członków.", "days": 7},
    )
    frozen_now.move_to(datetime.datetime(2026, 11, 30, 8, 0, tzinfo=WARSAW))

    fire_due()

    subject, body = latest("mieszkaniec@example.org")
    assert subject == "Przypomnienie: GMP/2026/FS1/0001, termin 2 grudnia 2026, 23:59"
    assert body == (
        "Wniosek GMP/2026/FS1/0001 (skierowany do poprawy): termin na poprawki, termin "
        "upływa 2 grudnia 2026, 23:59.\n\nCo dalej:\n- Złóż poprawiony wniosek\n"
        "- Wycofaj wniosek"
    )


def test_the_digest_is_read_in_the_reader_s_language(world):
    transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Popraw.", "days": 3},
    )
    world.submitted(applicant=world.member("evaluator"))

    digest_send_all()

    [digest] = Notification.objects.filter(kind="digest", email=world.official.email)
    with translation.override("en"):
        subject, body = digest.rendered()
    assert subject == "Mikrowsparcia: your day, 23 November 2026"
    assert "- Formal check: 1 application(s)" in body
    assert "- GMP/2026/FS1/0001 (corrections due): 26 November 2026" in body
    with translation.override("pl"):
        assert "- Ocena formalna – liczba wniosków: 1" in digest.rendered()[1]


def test_a_purchase_returned_for_changes_carries_the_reason(organisation):
    bands_create(organisation)
    team = Team(organisation)
    group = GroupFactory(organisation=organisation)
    purchase = drive(
        purchase_draft(organisation=organisation, official=team[Role.OFFICIAL], group=group),
        team,
        "submit",
    )

    transition_apply(
        obj=purchase,
        name="return_for_changes",
        actor=team[Role.UNIT_HEAD],
        payload={"reason": "Dopisz rozeznanie cen z 2026 r."},
    )

    assert latest(team[Role.OFFICIAL].email) == (
        f"Zakup {purchase.number} zwrócony do zmian",
        f"Kierownik jednostki zwrócił do zmian zapotrzebowanie {purchase.number} "
        "„Warsztaty dla seniorów” (30 000,00 zł netto).\n\nPowód:\nDopisz rozeznanie cen z "
        "2026 r.\n\nZmień zapotrzebowanie zgodnie z uwagami i złóż je ponownie; potem środki "
        "zostaną ponownie potwierdzone.",
    )


def test_the_submit_takes_its_number_after_writing_its_messages(
    world, django_capture_on_commit_callbacks
):
    """#18: the call's counter row is locked from the number to the commit; the number
    is taken after the notifications, which name it lazily and say it when read and
    when sent."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft = world.draft()
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        application = transition_apply(obj=draft, name="submit", actor=world.resident)

    statements = [q["sql"] for q in queries.captured_queries]
    written = next(i for i, sql in enumerate(statements) if "notifications_notification" in sql)
    numbered = next(i for i, sql in enumerate(statements) if "next_number + 1" in sql)
    assert written < numbered
    # On PostgreSQL the number is taken and written in one statement, the transition's
    # last: then the release of its savepoint (the commit, outside a test).
    assert numbered == len(statements) - 2
    assert statements[-1].startswith("RELEASE SAVEPOINT")
    message = Notification.objects.get(email="mieszkaniec@example.org")
    assert message.params["values"]["object"] == {
        "later": ["grants.application", application.pk, "number"]
    }
    assert message.subject == "Wniosek GMP/2026/FS1/0001 wpłynął"  # as the e-mail said
    assert [m.subject for m in mail.outbox if m.to == ["mieszkaniec@example.org"]] == [
        "Wniosek GMP/2026/FS1/0001 wpłynął"
    ]


def test_a_transition_writes_its_notices_in_one_statement_and_publishes_them_once(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """#18: the notifications of one transition and their deliveries are one INSERT
    (on PostgreSQL, which the suite runs on), their e-mails one publish after the
    commit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import Delivery
    from notifications.tasks import send_notification_emails

    if connection.vendor != "postgresql":
        pytest.skip("one statement on PostgreSQL; SQLite writes them in two")
    published = []
    monkeypatch.setattr(
        send_notification_emails, "apply_async", lambda *args, **kwargs: published.append(kwargs)
    )
    draft = world.draft()
    before = set(Delivery.objects.values_list("pk", flat=True))
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        transition_apply(obj=draft, name="submit", actor=world.resident)

    writing = [q["sql"] for q in queries.captured_queries if "notifications_" in q["sql"]]
    assert len(writing) == 1
    assert writing[0].startswith('WITH n AS (INSERT INTO "notifications_notification"')
    assert 'd AS (INSERT INTO "notifications_delivery"' in writing[0]
    told = Notification.objects.filter(object_id=draft.pk, kind="grants.application.submit")
    deliveries = list(
        Delivery.objects.exclude(pk__in=before).order_by("pk").values_list("pk", flat=True)
    )
    assert sorted(told.values_list("email", flat=True)) == [
        "czlonek1@example.org",
        "czlonek2@example.org",
        "czlonek3@example.org",
        "mieszkaniec@example.org",
    ]
    assert deliveries == sorted(told.values_list("delivery__pk", flat=True))
    assert published == [{"kwargs": {"delivery_ids": deliveries}}]


def test_the_inbox_reads_the_numbers_of_a_page_in_one_query(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.messages import Later
    from notifications.recipients import Recipient
    from notifications.services import notify

    def tell_of(application) -> None:
        notify(
            recipients=[Recipient(email=world.resident.email, user=world.resident)],
            kind="test.later",
            subject="%(object)s",
            body="%(object)s",
            context={"object": Later.of(application, "number")},
        )

    def inbox() -> tuple[int, str]:
        client.force_login(world.resident)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/wiadomosci/").content.decode()
        return len(queries), page

    applications = [world.submitted(applicant=world.member("evaluator")) for _ in range(3)]
    tell_of(applications[0])
    one, _page = inbox()
    for application in applications[1:]:
        tell_of(application)
    three, page = inbox()

    assert one == three
    for application in applications:
        assert page.count(application.number) == 2  # the subject and the body
