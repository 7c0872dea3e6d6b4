"""The resident's status page (#12): where the application is, what happens next, by
when, what the resident must do, and its history in words, not code names."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from workflows.engine import transition_apply

pytestmark = pytest.mark.django_db


def page(user, application) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/granty/wnioski/{application.pk}/status/")
    assert response.status_code == 200
    return response.content.decode()


def fact(html: str, term: str) -> str:
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def history(html: str) -> list[str]:
    block = html[html.index('<ol class="history">') :]
    block = block[: block.index("</ol>")]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in block.split("<li>")[1:]]


def test_a_draft_says_what_to_do_and_by_when(world):
    html = page(world.resident, world.draft())

    assert fact(html, "Stan") == "szkic"
    assert fact(html, "Co musisz zrobić") == ("Uzupełnij wniosek i złóż go przed końcem naboru.")
    assert fact(html, "Termin") == "3 grudnia 2026, 10:00"
    assert 'aria-current="step">Szkic' in html
    assert "Jeszcze nic się nie wydarzyło: wniosek jest szkicem." in html


def test_corrections_show_the_request_the_deadline_and_the_history_in_words(world):
    application = transition_apply(
        obj=world.submitted(),
        name="request_corrections",
        actor=world.official,
        payload={"corrections": "Dołączcie zgodę zarządcy.", "days": 7},
    )

    html = page(world.resident, application)

    assert fact(html, "Co musisz zrobić") == (
        "Popraw wniosek zgodnie z wezwaniem i złóż go ponownie przed terminem."
    )
    deadline = timezone.localtime(application.correction_deadline)
    assert fact(html, "Termin") == date_format(deadline, "j E Y, H:i")
    assert deadline.date().isoformat() == "2026-12-02"
    assert "Dołączcie zgodę zarządcy." in html
    assert history(html) == [
        "23 listopada 2026, 10:00: złożony (przez Ciebie)",
        "23 listopada 2026, 10:00: skierowany do poprawy (przez urząd)",
    ]
    for code in ("request_corrections", "submit", "corrections_requested"):
        assert code not in html.split("<main")[1].split("</main>")[0].replace(
            'name="csrfmiddlewaretoken"', ""
        ), code


def test_an_agreement_in_implementation_asks_for_the_report_by_its_deadline(world):
    agreement = world.agreement_in_implementation()

    html = page(world.resident, agreement.application)

    assert fact(html, "Stan") == "w realizacji"
    assert fact(html, "Co musisz zrobić") == (
        "Zrealizuj zadanie, zachowaj faktury i złóż sprawozdanie końcowe w terminie."
    )
    assert fact(html, "Termin") == date_format(agreement.report_deadline, "j E Y")
    assert agreement.report_deadline.isoformat() == "2027-01-19"
    assert 'aria-current="step">Umowa i realizacja' in html


def test_the_status_page_is_the_applicants_own(world):
    application = world.submitted()
    for user in (world.official, world.member("evaluator")):
        client = Client()
        client.force_login(user)
        assert client.get(f"/granty/wnioski/{application.pk}/status/").status_code == 404
    assert Client().get(f"/granty/wnioski/{application.pk}/status/").status_code == 302
