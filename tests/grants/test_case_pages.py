"""Issue 12, the evaluator and the official: the evaluator sees who applies before the
declaration and the whole application after it, beside the scoring form; the official
sees the whole case (members, schedule, indicators, budget, account, attachments,
reviews with scores, an art. 19a offer's public comments, history in their language)
and acts on it from its page."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role
from grants import services
from grants.models import Application, Call
from workflows.audit import AuditEntry
from workflows.engine import transition_apply

pytestmark = pytest.mark.django_db


def client_for(user, language="pl") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def assigned(world):
    application = world.formally_accepted()
    [review, _other] = services.reviews_assign(
        application=application, evaluators=world.evaluators, actor=world.official
    )
    return review


def test_before_the_declaration_the_evaluator_sees_only_who_applies(world, assigned):
    page = client_for(assigned.evaluator).get(f"/granty/oceny/{assigned.pk}/").content.decode()

    assert "Sąsiedzi z Zielonej" in page
    assert [f"<li>Członek {i}</li>" in page for i in (1, 2, 3)] == [True] * 3
    for hidden in ("Ogród społeczny na Zielonej", "Sadzonki i ziemia", "Spotkania sąsiedzkie"):
        assert hidden not in page
    assert 'name="points_' not in page


def test_one_click_declares_and_the_whole_application_is_beside_the_form(world, assigned):
    client = client_for(assigned.evaluator)
    page = client.get(f"/granty/oceny/{assigned.pk}/").content.decode()
    # The declaration is a button on the page, not a link to a confirmation page.
    assert f'action="/granty/oceny/{assigned.pk}/czynnosc/declare/"' in page

    answer = client.post(f"/granty/oceny/{assigned.pk}/czynnosc/declare/", {})

    assert answer.status_code == 302
    assigned.refresh_from_db()
    assert assigned.state == "declared"
    page = client.get(f"/granty/oceny/{assigned.pk}/").content.decode()
    for shown in (
        "Ogród społeczny na Zielonej",
        "Sadzonki i ziemia",  # a budget line
        "3 000,00 zł",  # its total
        "Sadzenie",  # the schedule
        "Spotkania sąsiedzkie",  # an indicator
        "20 godz. × 30,00 zł = 600,00 zł",  # volunteer work in the own contribution
        "Załączniki",
        'name="points_',
    ):
        assert shown in page, shown
    # The bank account is the official's business, not the evaluator's.
    assert "61109010140000071219812874" not in page
    assert page.index("Sadzonki i ziemia") < page.index('name="points_')


def test_the_official_sees_the_whole_case_with_reviews_and_history(world):
    application = world.evaluated()

    page = client_for(world.official).get(f"/granty/wnioski/{application.pk}/").content.decode()

    for shown in (
        "Członek 1",
        "czlonek1@example.org",
        "61109010140000071219812874",
        "Sadzenie",
        "Spotkania sąsiedzkie",
        "Obsługa księgowa",
        "Uzasadnienie.",  # an evaluator's justification
        "8 / 10",  # a score against its maximum
        "Złóż wniosek",  # the history, in Polish
        "Przyjmij formalnie",
    ):
        assert shown in page, shown
    assert "submit" not in page.split('id="history-heading"')[1].split("</section>")[0]


def test_the_official_sees_the_public_comments_on_an_art_19a_offer(world, frozen_now):
    cache.clear()  # the public page limits comments per address
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )
    public = Client()
    public.post(f"/granty/oferty/{offer.pk}/", {"author_name": "Jan Sąsiad", "text": "Popieram."})
    public.post(f"/granty/oferty/{offer.pk}/", {"author_name": "", "text": "Za drogo."})
    frozen_now.shift(datetime.timedelta(days=7))
    transition_apply(obj=offer, name="end_comment_period", actor=None)

    page = client_for(world.official).get(f"/granty/wnioski/{offer.pk}/").content.decode()

    assert (
        '<h2 id="comments-heading">Uwagi publiczne</h2>\n    '
        "<blockquote><p>Popieram.</p><footer>Jan Sąsiad, 23 listopada 2026, 10:00</footer>"
        "</blockquote><blockquote><p>Za drogo.</p><footer>anonimowo, 23 listopada 2026, 10:00"
        "</footer></blockquote>"
    ) in page


def test_the_history_is_in_the_reader_s_language(world):
    application = world.evaluated()

    page = client_for(world.official, "en").get(f"/granty/wnioski/{application.pk}/")

    history = page.content.decode().split('id="history-heading"')[1].split("</section>")[0]
    assert "Submit the application" in history
    assert "Pass the formal check" in history


def test_approval_starts_at_the_requested_amount_with_a_text_area(world):
    application = world.evaluated()

    page = client_for(world.official).get(f"/granty/wnioski/{application.pk}/").content.decode()

    approve = page.split(f'action="/granty/wnioski/{application.pk}/czynnosc/approve/"')[1]
    approve = approve.split("</form>")[0]
    assert 'name="amount"' in approve and 'value="3000.00"' in approve
    assert '<textarea name="justification"' in approve


def test_a_correction_request_starts_at_the_call_s_days(world):
    application = world.submitted()

    page = client_for(world.official).get(f"/granty/wnioski/{application.pk}/").content.decode()

    form = page.split(f'action="/granty/wnioski/{application.pk}/czynnosc/request_corrections/"')
    form = form[1].split("</form>")[0]
    assert 'name="days"' in form and 'value="7"' in form
    assert '<textarea name="corrections"' in form


def test_an_action_without_input_is_one_click_from_the_case(world):
    application = world.submitted()
    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={i.pk: True for i in application.call.checklist.all()},
    )
    client = client_for(world.official)
    page = client.get(f"/granty/wnioski/{application.pk}/").content.decode()
    form = page.split(f'action="/granty/wnioski/{application.pk}/czynnosc/pass_formal_check/"')
    assert "<textarea" not in form[1].split("</form>")[0]

    answer = client.post(f"/granty/wnioski/{application.pk}/czynnosc/pass_formal_check/", {})

    assert answer.status_code == 302
    assert answer["Location"] == f"/granty/wnioski/{application.pk}/"
    application.refresh_from_db()
    assert (application.state, application.handler) == ("formally_accepted", world.official)


def test_a_refused_approval_shows_the_error_and_keeps_what_was_typed(world):
    application = world.evaluated()

    answer = client_for(world.official).post(
        f"/granty/wnioski/{application.pk}/czynnosc/approve/",
        {"amount": "trzy tysiące", "justification": "Dobry projekt sąsiedzki."},
    )

    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Dobry projekt sąsiedzki." in page
    assert 'value="trzy tysiące"' in page
    assert Application.objects.get(pk=application.pk).state == "evaluated"


def test_an_official_takes_the_case_and_may_give_it_to_another(world):
    application = world.submitted()
    second = world.member(Role.OFFICIAL)
    client = client_for(world.official)

    client.post(f"/granty/wnioski/{application.pk}/prowadzacy/", {"handler": second.pk})

    application.refresh_from_db()
    assert application.handler == second
    entry = AuditEntry.objects.filter(action="application_handler_assign").get()
    assert (entry.actor, entry.before, entry.after) == (
        world.official,
        {"handler": None},
        {"handler": second.pk},
    )


def test_a_case_cannot_be_given_to_someone_who_is_not_an_official(world):
    application = world.submitted()

    answer = client_for(world.official).post(
        f"/granty/wnioski/{application.pk}/prowadzacy/",
        {"handler": world.evaluators[0].pk},
        follow=True,
    )

    assert answer.status_code == 200
    assert Application.objects.get(pk=application.pk).handler is None
    assert not AuditEntry.objects.filter(action="application_handler_assign").exists()


def test_the_home_page_lists_the_cases_the_official_handles(world):
    # The official who passed the formal check took the case.
    application = world.evaluated()
    other = world.member(Role.OFFICIAL)

    def home_of(user):
        return client_for(user).get("/").content.decode()

    mine = (
        f'<a href="/granty/wnioski/{application.pk}/">Zdecyduj o {application.number} '
        "(Twoja sprawa)</a>"
    )
    assert application.handler == world.official
    assert mine in home_of(world.official)
    assert "Twoja sprawa" not in home_of(other)


def test_a_call_names_its_handlers_audited_and_only_officials(world):
    from grants.services.handlers import call_handlers_set
    from workflows.errors import InvalidInput

    second = world.member(Role.OFFICIAL)

    call_handlers_set(call=world.call, handlers=[second], actor=world.official)
    with pytest.raises(InvalidInput) as refused:
        call_handlers_set(call=world.call, handlers=[world.evaluators[0]], actor=world.official)

    assert list(world.call.handlers.all()) == [second]
    assert refused.value.field_errors == {"handlers": ["Wybierz urzędników organizacji."]}
    entry = AuditEntry.objects.get(action="call_handlers_set")
    assert (entry.before, entry.after) == ({"handlers": []}, {"handlers": [second.pk]})


def test_the_call_page_names_its_handlers_and_refuses_a_stranger_at_the_field(world):
    from tests.forms_support import form_data

    second = world.member(Role.OFFICIAL)
    url = f"/granty/nabory/{world.call.pk}/edycja/"
    client = client_for(world.official)
    page = client.get(url).content.decode()
    data = form_data(page)
    assert "Urzędnicy prowadzący wnioski" in page
    assert f'value="{second.pk}"' in page
    # An evaluator is not an official: not offered, and refused when posted anyway.
    assert f'value="{world.evaluators[0].pk}"' not in page

    refused = client.post(
        url, {**data, "title": "Nabór z prowadzącymi", "handlers": [world.evaluators[0].pk]}
    )
    saved = client.post(url, {**data, "handlers": [second.pk]})

    assert refused.status_code == 200
    refused_page = refused.content.decode()
    assert 'id="id_handlers_errors"' in refused_page
    assert (
        f"Wybierz poprawną wartość. {world.evaluators[0].pk} nie jest żadną z dostępnych opcji."
        in refused_page
    )
    assert 'value="Nabór z prowadzącymi"' in refused_page
    assert (saved.status_code, saved["Location"]) == (302, f"/granty/nabory/{world.call.pk}/")
    assert list(world.call.handlers.all()) == [second]
    entry = AuditEntry.objects.get(action="call_handlers_set")
    assert (entry.before, entry.after) == ({"handlers": []}, {"handlers": [second.pk]})
    # Saving again unchanged writes no second audit entry.
    client.post(url, form_data(client.get(url).content.decode()))
    assert AuditEntry.objects.filter(action="call_handlers_set").count() == 1
