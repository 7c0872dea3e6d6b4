"""Issue 13, self-administration: each user's profile (name, language, which optional
messages to get), the unsubscribe link of optional e-mails, the user's API key."""

import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from notifications.models import Notification
from notifications.recipients import Recipient
from notifications.services import notify
from tests.clients import web
from tests.conftest import NOW
from tests.factories import UserFactory
from workflows.audit import audit_entries_for

pytestmark = pytest.mark.django_db

URL = "/konto/profil/"


def entries(user) -> list[tuple]:
    return [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(user)]


def tell(user, kind: str, *, essential: bool = False) -> list[Notification]:
    user = User.objects.get(pk=user.pk)  # as a caller loads it: the current preferences
    return notify(
        recipients=[Recipient(email=user.email, user=user)],
        kind=kind,
        subject="Temat",
        body="Treść",
        essential=essential,
    )


def test_the_profile_shows_and_saves_name_language_and_wanted_messages():
    user = UserFactory(first_name="Ewa", last_name="Nowa")
    client = web(user)

    page = client.get(URL)
    saved = client.post(
        URL,
        {
            "first_name": "Ewa",
            "last_name": "Kowalska",
            "language": "en",
            "wants_optional_messages": "on",
            "wanted_kinds": ["grants", "finance", "digest"],
        },
    )

    assert page.status_code == 200
    assert page.context["form"].initial["wanted_kinds"] == [
        "grants",
        "purchases",
        "finance",
        "timer",
        "digest",
    ]
    assert saved["Location"] == URL
    user = User.objects.get(pk=user.pk)
    assert (user.last_name, user.language, user.muted_message_kinds) == (
        "Kowalska",
        "en",
        ["purchases", "timer"],
    )
    assert entries(user) == [
        (
            user,
            NOW,
            "profile_update",
            {"last_name": "Nowa", "language": "", "muted_message_kinds": []},
            {
                "last_name": "Kowalska",
                "language": "en",
                "muted_message_kinds": ["purchases", "timer"],
            },
        )
    ]


def test_a_refused_profile_keeps_what_was_typed():
    user = UserFactory(last_name="Nowa")

    response = web(user).post(URL, {"first_name": "Ewa", "last_name": "K" * 151, "language": "de"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "last_name": ["Upewnij się, że ta wartość ma co najwyżej 150 znaków (obecnie ma 151)."],
        "language": ["Wybierz poprawną wartość. de nie jest żadną z dostępnych opcji."],
    }
    assert 'value="Ewa"' in response.text
    assert User.objects.get(pk=user.pk).last_name == "Nowa"
    assert entries(user) == []


def test_the_profile_needs_sign_in():
    assert Client().get(URL)["Location"] == f"/accounts/login/?next={URL}"


def test_muted_kinds_are_not_sent_but_essential_ones_are():
    user = UserFactory()
    web(user).post(URL, {"wants_optional_messages": "on", "wanted_kinds": ["grants"]})

    assert len(tell(user, "grants.application.submit")) == 1
    assert tell(user, "purchases.purchase.approve") == []
    assert tell(user, "timer.reminder") == []
    assert len(tell(user, "purchases.purchase.approve", essential=True)) == 1


def test_an_optional_e_mail_carries_an_unsubscribe_link_that_works_signed_out(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell(user, "grants.application.submit")
        tell(user, "grants.application.approve", essential=True)
    optional, essential = mail.outbox
    link = re.search(r"http://\S+(/konto/wypisz/\S+/)", optional.body).group(1)
    client = Client()

    asked = client.get(link)
    done = client.post(link)
    again = client.post(link)

    assert "Wypisz się" not in essential.body and "/konto/wypisz/" not in essential.body
    assert "Wiadomości nieobowiązkowe tego rodzaju: Nabory, wnioski i umowy." in optional.body
    assert link in optional.alternatives[0][0]
    assert "Przestać wysyłać na adres" in asked.text
    assert User.objects.get(pk=user.pk).muted_message_kinds == ["grants"]
    assert "Nie będziesz już dostawać wiadomości nieobowiązkowych tego rodzaju" in done.text
    assert again.status_code == 200
    assert [e[2:] for e in entries(user)] == [
        ("profile_update", {"muted_message_kinds": []}, {"muted_message_kinds": ["grants"]})
    ]
    assert tell(user, "grants.application.submit") == []


def test_a_broken_unsubscribe_link_says_what_to_do():
    response = Client().get("/konto/wypisz/abc:def/")

    assert response.status_code == 400
    assert "Link jest niepełny." in response.text


def test_the_user_creates_replaces_and_revokes_an_api_key():
    user = UserFactory()
    client = web(user)

    created = client.post("/konto/profil/klucz-api/", {"action": "create"})
    first = created.context["new_key"]
    replaced = client.post("/konto/profil/klucz-api/", {"action": "create"})
    second = replaced.context["new_key"]
    works = APIClient(HTTP_AUTHORIZATION=f"Token {second}").get("/api/v1/grant-calls/")
    old = APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/v1/grant-calls/")
    revoked = client.post("/konto/profil/klucz-api/", {"action": "revoke"}, follow=True)

    assert first != second and second in replaced.text
    assert (works.status_code, old.status_code) == (200, 403)
    assert [str(m) for m in revoked.context["messages"]] == ["Klucz API został unieważniony."]
    assert not Token.objects.filter(user=user).exists()
    assert "Nie masz klucza API." in revoked.text
    assert [e[2] for e in entries(user)] == [
        "api_token_create",
        "api_token_regenerate",
        "api_token_revoke",
    ]
    assert all(first not in str(e) and second not in str(e) for e in entries(user))
