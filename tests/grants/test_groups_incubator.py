"""The incubator: a group asks the operator for a consultation on its draft, the
adviser comments (the comments are not part of the application), and a first-time
group is flagged to the operator."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grants.document_contexts import application_context
from grants.models import Consultation
from grants.services.incubator import consultation_request
from notifications.models import Notification
from tests.factories import UserFactory
from workflows.engine import transition_apply
from workflows.errors import Conflict


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_first_time_group_asks_and_the_adviser_comments_outside_the_application(world):
    draft = world.draft()
    group = web(world.resident)
    url = f"/granty/wnioski/{draft.pk}/konsultacja/"
    empty = group.post(url, {"question": ""})
    assert empty.status_code == 400
    asked = group.post(url, {"question": "Czy koszty księgowe są kwalifikowalne?"})
    assert asked.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.first_time is True
    told = Notification.objects.get(kind="grants.incubator", email=world.official.email)
    assert told.subject == (
        "Grupa, która pierwszy raz składa wniosek, prosi o konsultację: Ogród społeczny na Zielonej"
    )

    adviser = web(world.official)
    listing = adviser.get("/granty/inkubator/")
    assert "pierwszy raz" in listing.content.decode()
    page_url = f"/granty/inkubator/{consultation.pk}/"
    page = adviser.get(page_url)
    assert page.status_code == 200
    assert "Zakładamy wspólny ogród." in page.content.decode()
    refused = adviser.post(page_url, {"text": ""})
    assert refused.status_code == 400
    sent = adviser.post(page_url, {"text": "Tak, do 10% kosztów."})
    assert sent.status_code == 302
    reply = Notification.objects.get(kind="grants.incubator", email=world.resident.email)
    assert (reply.body, reply.url) == ("Tak, do 10% kosztów.", url)
    assert "Tak, do 10% kosztów." in group.get(url).content.decode()

    # The comments are not part of the application: not in its document, not on its page.
    submitted = transition_apply(obj=draft, name="submit", actor=world.resident)
    assert "Tak, do 10%" not in repr(application_context(submitted))
    assert "Tak, do 10%" not in adviser.get(f"/granty/wnioski/{draft.pk}/").content.decode()
    with pytest.raises(Conflict):
        consultation_request(application=submitted, actor=world.resident, question="Jeszcze?")


def test_a_group_that_submitted_before_is_not_flagged_and_others_see_nothing(world):
    world.submitted()
    second = world.draft(call=world.make_call(code="FS3"))
    consultation = consultation_request(
        application=second, actor=world.resident, question="Budżet?"
    )
    assert consultation.first_time is False
    told = Notification.objects.get(kind="grants.incubator")
    assert told.subject == "Grupa prosi o konsultację: Ogród społeczny na Zielonej"
    assert web(world.evaluators[0]).get("/granty/inkubator/").status_code == 403
    stranger = web(UserFactory())
    assert stranger.get(f"/granty/wnioski/{second.pk}/konsultacja/").status_code == 404


def test_the_incubator_list_costs_the_same_queries_for_one_or_three(world):
    adviser = web(world.official)
    for n in range(3):
        applicant = UserFactory()
        draft = world.draft(applicant=applicant)
        consultation_request(application=draft, actor=applicant, question=f"Pytanie {n}")
        if n == 0:
            adviser.get("/granty/inkubator/")
            with CaptureQueriesContext(connection) as one:
                adviser.get("/granty/inkubator/")
    with CaptureQueriesContext(connection) as three:
        page = adviser.get("/granty/inkubator/")
    assert page.content.decode().count('<tr id="consultation-') == 3
    assert len(three.captured_queries) == len(one.captured_queries)
