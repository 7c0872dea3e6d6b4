"""Issue 11, section 9: wrong passwords typed by someone else do not lock the owner
out. Failed sign-ins are limited per client and account together (allauth's rate
limits in the shared cache); the owner is told of repeated failures."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from notifications.models import Notification
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOO_MANY = "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie później."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    user = UserFactory(email="wlasciciel@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client: Client, password: str):
    return client.post(LOGIN, {"login": "wlasciciel@example.org", "password": password})


def test_wrong_passwords_from_one_client_do_not_lock_the_owner_out_elsewhere(owner):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        wrong = sign_in(attacker, "zle-haslo-123")
        assert wrong.status_code == 200
        assert "Podany adres e-mail i/lub hasło są niepoprawne." in wrong.content.decode()

    refused = sign_in(attacker, PASSWORD)  # even the right password, from that client
    owner_client = Client(REMOTE_ADDR="198.51.100.20")
    signed_in = sign_in(owner_client, PASSWORD)

    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert signed_in.status_code == 302
    assert owner_client.get("/").context["user"] == owner


def test_the_owner_is_told_of_repeated_failed_sign_ins_once(owner):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        sign_in(attacker, "zle-haslo-123")
    assert not Notification.objects.filter(kind="accounts.login_failed").exists()

    sign_in(attacker, "zle-haslo-123")
    sign_in(Client(REMOTE_ADDR="203.0.113.8"), "zle-haslo-456")  # the 6th: told already

    [told] = Notification.objects.filter(kind="accounts.login_failed")
    assert (told.recipient, told.email, told.essential, told.url) == (
        owner,
        "wlasciciel@example.org",
        True,
        "/accounts/password/reset/",
    )
    assert told.subject == "Nieudane próby logowania do Twojego konta"
    assert told.body == (
        "Ktoś próbował zalogować się do Twojego konta wlasciciel@example.org z błędnym "
        "hasłem 5 razy (ostatnio z adresu 203.0.113.7, 23.11.2026 10:00). Jeśli to Ty, nic "
        "nie musisz robić. Jeśli nie, Twoje hasło jest nadal bezpieczne; dla pewności "
        "możesz je zmienić. Te próby nie blokują logowania z Twojego urządzenia."
    )


def test_many_clients_together_are_still_limited_per_account(owner, settings):
    settings.ACCOUNT_LOGIN_FAILED_PER_ACCOUNT = "6/h/key"
    for n in range(6):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), "zle-haslo-123")

    refused = sign_in(Client(REMOTE_ADDR="203.0.113.99"), "zle-haslo-123")

    assert TOO_MANY in refused.content.decode()
