"""Issue 12, messages: each says what happened, what to do and by when, with the
figures; it is kept as a key and parameters and rendered in the reader's language;
only the case's handler among the officials is told."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.models import Role
from finance.models import BankAccount
from grants import services
from notifications.models import Notification
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.engine import transition_apply

pytestmark = pytest.mark.django_db

APPLICANT = "mieszkaniec@example.org"


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Apply a transition, run what it queued; return the object and the messages."""

    def apply(obj, name, actor, **payload):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            obj = transition_apply(obj=obj, name=name, actor=actor, payload=payload)
        return obj, Notification.objects.exclude(pk__in=before).order_by("email")

    return apply


def told(messages, email=APPLICANT) -> tuple[str, str]:
    [message] = [m for m in messages if m.email == email]
    with translation.override("pl"):
        return message.text_subject, message.text_body


def test_a_received_application_says_received_and_what_comes_next(world, run):
    _application, messages = run(world.draft(), "submit", world.resident)

    assert told(messages) == (
        "Wniosek GMP/2026/FS1/0001 wpłynął",
        "Wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) w naborze „Fundusz "
        "sąsiedzki 2026” wpłynął 23 listopada 2026, 10:00. Wpłynięcie nie oznacza jeszcze "
        "przyjęcia: teraz wniosek przechodzi ocenę formalną. Nie musisz teraz nic robić; "
        "jeśli coś trzeba poprawić, dostaniesz wiadomość, co i do kiedy.",
    )
    assert [m.message_key for m in messages] == ["grants.application.received"] * 4
    # The e-mail says the same.
    [email] = [m for m in mail.outbox if m.to == [APPLICANT]]
    assert email.subject == "Wniosek GMP/2026/FS1/0001 wpłynął"
    assert email.body.startswith("Wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”)")


def test_a_correction_request_carries_what_to_correct_and_the_deadline(world, run):
    _application, messages = run(
        world.submitted(),
        "request_corrections",
        world.official,
        corrections="Dołącz zgodę rodzica niepełnoletniego uczestnika.",
    )

    # Seven working days from Monday 23 November 2026: Wednesday 2 December, end of day.
    assert told(messages) == (
        "Wniosek GMP/2026/FS1/0001: popraw go do 2 grudnia 2026, 23:59",
        "Wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) wymaga poprawek, zanim "
        "przejdzie ocenę formalną.\n\nCo poprawić:\nDołącz zgodę rodzica niepełnoletniego "
        "uczestnika.\n\nPopraw wniosek i złóż go ponownie do 2 grudnia 2026, 23:59. Jeśli do "
        "tego czasu nie zostanie poprawiony, zostanie odrzucony formalnie.",
    )


def test_a_decision_carries_the_amount_granted_and_the_next_step(world, run):
    _application, messages = run(
        world.evaluated(), "approve", world.official, amount="2500.00", justification="Dobry plan."
    )

    assert told(messages, "czlonek1@example.org") == (
        "Wniosek GMP/2026/FS1/0001: przyznano 2 500,00 zł",
        "Na wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) przyznano dotację w "
        "kwocie 2 500,00 zł; wnioskowano o 3 000,00 zł.\n\nUzasadnienie:\nDobry plan.\n\n"
        "Kwota jest niższa od wnioskowanej: dostosuj pozycje budżetu do przyznanej kwoty i "
        "złóż poprawiony budżet na stronie wniosku. Potem przygotujemy umowę.",
    )


def test_a_rejection_carries_its_justification(world, run):
    _application, messages = run(
        world.evaluated(), "reject", world.official, justification="Za mało punktów."
    )

    assert told(messages) == (
        "Wniosek GMP/2026/FS1/0001: bez dotacji",
        "Wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) nie otrzymał dotacji."
        "\n\nUzasadnienie:\nZa mało punktów.\n\nW sprawie tego wniosku nie musisz już nic "
        "robić.",
    )


def test_a_signed_agreement_carries_the_payments_and_the_deadlines(world, run):
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
    for name in ("generate", "send_for_signature"):
        agreement, _messages = run(agreement, name, world.official)
    agreement, messages = run(agreement, "sign", world.official, signed_on="2026-11-24")

    assert told(messages) == (
        f"Umowa {agreement.number} podpisana: 3 000,00 zł",
        f"Umowa {agreement.number} na „Ogród społeczny na Zielonej” została podpisana 24 "
        "listopada 2026. Wypłaty:\n- 3 000,00 zł, wypłata do 30 listopada 2026\n\n"
        "Wykorzystaj dotację do 31 grudnia 2026 i złóż sprawozdanie końcowe do 19 stycznia "
        "2027.",
    )


def test_a_settlement_carries_each_return_its_due_date_and_the_account(world, run):
    BankAccount.objects.create(
        organisation=world.organisation, name="Dochody", number="61109010140000071219812874"
    )
    agreement = world.agreement_in_implementation()
    [tranche] = agreement.tranches.all()
    transition_apply(
        obj=tranche.payment_order,
        name="mark_paid",
        actor=world.finance,
        payload={"paid_on": "2026-11-23"},
    )
    lines = list(agreement.application.budget_lines.order_by("pk"))
    report = services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Zrobione.",
        expenses=[
            {
                "document_number": f"FV {i}",
                "document_date": datetime.date(2026, 12, 2),
                "issuer": "Sklep",
                "purpose": "Materiały",
                "budget_line_id": line.pk,
                "amount": amount,
                "from_grant": amount,
            }
            for i, (line, amount) in enumerate(
                zip(lines[:2], (Decimal("2400.00"), Decimal("300.00")), strict=True), start=1
            )
        ],
    )
    report = transition_apply(obj=report, name="submit", actor=world.resident)
    report = transition_apply(obj=report, name="start_review", actor=world.official)
    services.expense_mark_ineligible(
        expense=report.expenses.get(document_number="FV 2"), actor=world.official, reason="Poza"
    )
    transition_apply(obj=report, name="accept", actor=world.official)
    agreement = transition_apply(obj=agreement, name="complete", actor=world.official)

    agreement, messages = run(agreement, "settle", world.official, finding_date="2026-12-10")

    assert told(messages) == (
        f"Umowa {agreement.number} rozliczona: do zwrotu 600,00 zł",
        f"Umowa {agreement.number} na „Ogród społeczny na Zielonej” została rozliczona.\n\n"
        "Do zwrotu, łącznie 600,00 zł:\n"
        "- 300,00 zł (dotacja wykorzystana niezgodnie z przeznaczeniem (art. 252)) do 25 grudnia "
        "2026; odsetki od 23 listopada 2026\n"
        "- 300,00 zł (dotacja niewykorzystana (art. 251)) do 31 stycznia 2027; odsetki od 1 lutego "
        "2027\n\n"
        "Przelej każdą kwotę do jej terminu na rachunek 61109010140000071219812874, z "
        f"numerem umowy {agreement.number} w tytule. Po terminie naliczane są odsetki jak "
        "dla zaległości podatkowych.",
    )
    assert told(messages, world.finance.email)[0] == told(messages)[0]


def test_an_inbox_read_in_english_shows_english_text(world, run):
    run(world.submitted(), "request_corrections", world.official, corrections="Popraw budżet.")
    client = Client()
    client.force_login(world.resident)

    polish = client.get("/wiadomosci/", headers={"accept-language": "pl"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/wiadomosci/").content.decode()

    assert "Wniosek GMP/2026/FS1/0001: popraw go do 2 grudnia 2026, 23:59" in polish
    assert "Application GMP/2026/FS1/0001: correct it by 2 December 2026, 23:59" in english
    assert "Correct the application and submit it again by 2 December 2026, 23:59." in english
    assert "popraw go" not in english


def test_the_e_mail_is_in_the_recipient_s_language(world, run):
    world.resident.language = "en"
    world.resident.save(update_fields=["language"])

    run(world.submitted(), "request_corrections", world.official, corrections="Popraw budżet.")

    [email] = [m for m in mail.outbox if m.to == [APPLICANT]]
    assert email.subject == "Application GMP/2026/FS1/0001: correct it by 2 December 2026, 23:59"
    assert "What to correct:\nPopraw budżet.\n\nCorrect the application" in email.body


def test_an_old_message_without_parameters_shows_its_stored_text(world):
    old = Notification.objects.create(
        recipient=world.resident, email=APPLICANT, kind="grants.x", subject="Stary", body="Treść"
    )

    assert old.rendered() == ("Stary", "Treść")


def test_a_message_s_values_keep_their_kind(world):
    [message] = notify(
        recipients=[Recipient(email=APPLICANT, user=world.resident)],
        kind="test.money",
        subject="%(amount)s",
        body="%(day)s",
        context={"amount": Decimal("1234.5"), "day": datetime.date(2026, 12, 1)},
    )

    assert message.params["values"] == {
        "amount": {"money": "1234.5"},
        "day": {"date": "2026-12-01"},
    }
    with translation.override("pl"):
        assert message.rendered() == ("1 234,50 zł", "1 grudnia 2026")
    with translation.override("en"):
        assert message.rendered() == ("1 234,50 zł", "1 December 2026")


class TestTheHandler:
    """Only the official handling the case is told; the others see it in their lists."""

    @pytest.fixture
    def second(self, world):
        return world.member(Role.OFFICIAL)

    def test_before_anyone_takes_it_every_official_is_told(self, world, run, second):
        _application, messages = run(world.submitted(), "withdraw", world.resident)

        officials = [m.email for m in messages if m.recipient_id is not None]
        assert sorted(officials) == sorted([world.official.email, second.email])

    def test_the_official_who_acts_takes_the_case_and_alone_is_told(self, world, run, second):
        application, _messages = run(
            world.submitted(), "request_corrections", second, corrections="Popraw."
        )
        assert application.handler == second

        _application, messages = run(application, "resubmit", world.resident)

        assert [m.email for m in messages] == [second.email]
        assert told(messages, second.email)[0] == "Wniosek GMP/2026/FS1/0001 poprawiony"

    def test_the_call_names_its_handlers(self, world, run, second):
        world.call.handlers.set([second])

        _application, messages = run(world.submitted(), "withdraw", world.resident)

        officials = [m.email for m in messages if m.recipient_id is not None]
        assert officials == [second.email]
