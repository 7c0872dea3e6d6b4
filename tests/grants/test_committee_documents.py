"""A call's committee and decision documents: the protocol with each score, each
average, the third-evaluator case and the ranking, signed off by the chair; the
decision list; a letter to each applicant naming the amount (PDF and e-mail); the
call notice from the call's rules."""

import datetime
import subprocess

import pytest
from django.core import mail

from accounts.models import Role
from documents.models import Document
from grants import services
from grants.models import ProtocolSignOff
from tests.factories import UserFactory
from workflows.engine import transition_apply
from workflows.models import AuditEntry
from workflows.outbox import outbox_flush

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_user_names():
    """Evaluators named as late in a full run ("Test User12345"): wide name columns
    must not wrap the criterion's name away from its scores."""
    UserFactory.reset_sequence(12345)


def words(document: Document, *options: str) -> str:
    with document.file.open("rb") as f:
        text = subprocess.run(
            ["pdftotext", *options, "-", "-"], input=f.read(), capture_output=True, check=True
        ).stdout.decode()
    if options:
        return "\n".join(" ".join(line.split()) for line in text.splitlines())
    return " ".join(text.split())


def ranking_row(layout: str, start: str) -> str:
    rows = [line for line in layout.splitlines() if line.startswith(start)]
    assert len(rows) == 1, layout[layout.find("4. Lista") :]
    return rows[0]


def third_evaluator_case(world):
    """Scores 5 and 25 differ by more than the call's 10 points: a third evaluator
    scores 15, the average of the three is 15."""
    application = world.evaluated(
        points=((2, 3), (9, 16)), complete=False, applicant=UserFactory(email="b@example.org")
    )
    assert application.needs_third_evaluator is True
    third = world.member(Role.EVALUATOR)
    [review] = services.reviews_assign(
        application=application, evaluators=[third], actor=world.official
    )
    review = transition_apply(obj=review, name="declare", actor=third)
    criteria = list(application.call.criteria.all())
    services.review_score(
        review=review,
        actor=third,
        scores=[
            {"criterion": c.pk, "points": p, "justification": "Uzasadnienie."}
            for c, p in zip(criteria, (5, 10), strict=True)
        ],
    )
    transition_apply(obj=review, name="submit", actor=third)
    return transition_apply(obj=application, name="complete_evaluation", actor=None)


@pytest.fixture
def decided_call(world, settings, tmp_path, clock):
    settings.MEDIA_ROOT = tmp_path
    first = world.evaluated()
    second = third_evaluator_case(world)
    clock.shift(datetime.timedelta(days=11))
    call = transition_apply(obj=world.call, name="start_evaluation", actor=world.official)
    return call, first, second


def test_the_protocol_holds_every_score_average_and_the_ranking_and_is_signed_off(
    world, decided_call, client
):
    call, _first, second = decided_call
    client.force_login(world.official)
    url = f"/granty/nabory/{call.pk}/dokumenty/"
    # Nothing to sign off before the protocol exists: the page says why (409).
    refused = client.post(url, {"action": "sign-off"})
    assert refused.status_code == 409
    assert "Najpierw wygeneruj protokół komisji" in refused.content.decode()

    assert client.post(url, {"action": "protocol"}).status_code == 302
    outbox_flush()
    [protocol] = Document.objects.filter(kind="protocol", object_id=call.pk)
    text = words(protocol)
    layout = words(protocol, "-layout")
    for heading in (
        "1. Skład komisji",
        "2. Oświadczenia o bezstronności",
        "3. Oceny według kryteriów",
        "4. Lista rankingowa i proponowane kwoty",
    ):
        assert heading in text, heading
    # Each score and each average per criterion; the totals and their average.
    assert "Wartość dla sąsiedztwa (10) 8,00 9,00 8,50" in layout
    assert "Jakość planu (20) 15,00 16,00 15,50" in layout
    assert "Razem 23,00 25,00 24,00" in layout
    assert (
        f"Wniosek {second.number}: Ogród społeczny na Zielonej (Sąsiedzi z Zielonej) – "
        "ocena trzeciego oceniającego" in text
    )
    assert "Wartość dla sąsiedztwa (10) 2,00 9,00 5,00 5,33" in layout
    assert "Jakość planu (20) 3,00 16,00 10,00 9,67" in layout
    assert "Razem 5,00 25,00 15,00 15,00" in layout
    assert "Oceny rozbieżne o więcej niż 10,00 pkt" in text
    # The ranking with the proposed amounts (place, number, ..., average, requested,
    # proposed; the title and name may wrap onto the next line).
    assert ranking_row(layout, "1 GMP/").endswith("24,00 3 000,00 zł 3 000,00 zł")
    assert ranking_row(layout, "2 GMP/").endswith("15,00 3 000,00 zł 3 000,00 zł")
    ranking = layout[layout.find("4. Lista rankingowa") :].replace("\n", "")
    assert ranking.index("FS1/0001") < ranking.index("FS1/0002")
    assert "Łącznie proponowane dotacje: 6 000,00 zł." in text

    assert client.post(url, {"action": "sign-off"}).status_code == 302
    [sign_off] = ProtocolSignOff.objects.filter(call=call)
    assert (sign_off.chair, sign_off.document, sign_off.sha256) == (
        world.official,
        protocol,
        protocol.sha256,
    )
    assert AuditEntry.objects.filter(action="protocol_sign_off", object_id=call.pk).count() == 1
    again = client.post(url, {"action": "sign-off"})
    assert again.status_code == 409
    assert "Wersja 1 protokołu jest już zatwierdzona." in again.content.decode()
    page = client.get(url).content.decode()
    assert "Wersja 1 zatwierdzona przez przewodniczącego" in page
    assert f"Protokół komisji {call.code}/{call.year}/P (v1, PDF)" in page


def test_decision_list_and_letters_name_the_amounts(world, decided_call, client):
    call, first, second = decided_call
    transition_apply(
        obj=first,
        name="approve",
        actor=world.official,
        payload={"amount": "2500.00", "justification": "Cięcie kosztów."},
    )
    transition_apply(
        obj=second,
        name="reject",
        actor=world.official,
        payload={"justification": "Średnia poniżej progu jakości."},
    )
    client.force_login(world.official)
    url = f"/granty/nabory/{call.pk}/dokumenty/"
    early = client.post(url, {"action": "decision-list"})
    assert early.status_code == 409
    transition_apply(obj=call, name="announce_results", actor=world.official)
    mail.outbox.clear()
    assert client.post(url, {"action": "decision-list"}).status_code == 302
    assert client.post(url, {"action": "letters"}).status_code == 302
    assert client.post(url, {"action": "call-notice"}).status_code == 302
    outbox_flush()

    [decisions] = Document.objects.filter(kind="decision-list", object_id=call.pk)
    layout = words(decisions, "-layout")
    assert f"1 {first.number} Ogród społeczny na Sąsiedzi z 2 500,00 zł" in layout
    assert "Razem 2 500,00 zł" in layout
    text = words(decisions)
    assert "Wykaz rozstrzygnięć naboru „Fundusz sąsiedzki 2026” (Gmina Miasto Próbne)" in text
    assert "2. Lista rezerwowa" in text and "3. Wnioski, którym odmówiono dotacji" in text

    granted = words(Document.objects.get(kind="decision-letter", object_id=first.pk))
    assert (
        "przyznano dotację w kwocie 2 500,00 zł (słownie: dwa tysiące pięćset złotych 00/100)"
        in granted
    )
    assert "Kwota jest niższa od wnioskowanej (3 000,00 zł)" in granted
    refused = words(Document.objects.get(kind="decision-letter", object_id=second.pk))
    assert "nie przyznano dotacji. Uzasadnienie: Średnia poniżej progu jakości." in refused

    bodies = {m.to[0]: m.body for m in mail.outbox if "Decyzja" in m.subject}
    assert "przyznano 2 500,00 zł" in bodies["mieszkaniec@example.org"]
    assert "Średnia poniżej progu jakości." in bodies["b@example.org"]

    notice = words(Document.objects.get(kind="call-notice", object_id=call.pk))
    assert "Gmina Miasto Próbne ogłasza nabór „Fundusz sąsiedzki 2026”" in notice
    assert "Pula środków: 10 000,00 zł (słownie: dziesięć tysięcy złotych 00/100)" in notice
    assert "Dotacja na jedno zadanie: od 500,00 zł do 5 000,00 zł." in notice
    assert "Oferta realizacji zadania publicznego (Dz.U. 2018 poz. 2057)." in notice

    # Not an official: no page, nothing done.
    client.force_login(world.resident)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "protocol"}).status_code == 404
    client.force_login(world.official)
    assert client.post(url, {"action": "nonsense"}).status_code == 409


def test_a_reserve_letter_says_the_application_waits_for_money_to_become_free(
    world, decided_call, client
):
    call, first, second = decided_call
    transition_apply(
        obj=first,
        name="approve",
        actor=world.official,
        payload={"amount": "3000.00", "justification": "Celowe."},
    )
    transition_apply(
        obj=second,
        name="put_on_reserve",
        actor=world.official,
        payload={"justification": "Pula wyczerpana."},
    )
    transition_apply(obj=call, name="announce_results", actor=world.official)
    mail.outbox.clear()
    client.force_login(world.official)
    url = f"/granty/nabory/{call.pk}/dokumenty/"
    assert client.post(url, {"action": "letters"}).status_code == 302
    outbox_flush()

    reserve = words(Document.objects.get(kind="decision-letter", object_id=second.pk))
    assert (
        "Uprzejmie informujemy, że wniosek został wpisany na listę rezerwową. Dotacja może "
        "zostać przyznana, jeżeli zwolnią się środki w puli naboru. "
        "Średnia ocena komisji: 15,00 pkt. Gmina Miasto Próbne Strona 1 z 1" in reserve
    )
    assert "przyznano dotację" not in reserve and "nie przyznano" not in reserve
    [letter] = [m for m in mail.outbox if m.subject == f"Decyzja w sprawie wniosku {second.number}"]
    assert letter.to == ["b@example.org"]
    assert letter.body.startswith(
        "Wniosek jest na liście rezerwowej: dotacja zostanie przyznana, jeśli zwolnią się środki."
    )


def test_the_call_documents_page_reads_a_constant_number_of_queries(world, client):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.retention import retain_until

    client.force_login(world.official)
    url = f"/granty/nabory/{world.call.pk}/dokumenty/"

    def add_documents(start: int, count: int) -> None:
        for version in range(start, start + count):
            Document.objects.create(
                content_type=ContentType.objects.get_for_model(world.call),
                object_id=world.call.pk,
                kind="call-notice",
                number=f"FS1/2026/{version}",
                title="Ogłoszenie o naborze",
                version=version,
                file=f"documents/x-{version}.pdf",
                size=1,
                sha256="0" * 64,
                template_name="documents/grants/call_notice.html",
                context_hash=str(version) * 64,
                retain_until=retain_until(kind="call-notice"),
            )

    add_documents(1, 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_documents(2, 5)
    with CaptureQueriesContext(connection) as six:
        page = client.get(url)
    assert page.content.decode().count("Ogłoszenie o naborze FS1/2026/") == 6
    assert len(six) == len(one)
