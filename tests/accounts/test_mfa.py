"""Issue 13, security: two-factor login. Staff (any role in an organisation, or
``is_staff``) must set up a second factor before any other page; residents may."""

import datetime
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.clients import web
from tests.conftest import NOW
from tests.factories import PASSWORD, UserFactory
from workflows.audit import audit_entries_for

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]

SETUP = "/accounts/2fa/totp/activate/"
REAUTHENTICATE = "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
SET_UP_FIRST = (
    "Twoja rola wymaga logowania dwuskładnikowego. Zanim przejdziesz dalej, skonfiguruj "
    "aplikację uwierzytelniającą (albo klucz bezpieczeństwa)."
)


def code_for(secret: str, shift: int = 0) -> str:
    """The authenticator app's code at this instant (shifted by periods)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + shift))


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user) -> Client:
    """Signed in through the sign-in form, as allauth records it (a recent sign-in lets
    the setup page skip asking for the password again)."""
    verified(user)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def set_up_totp(client) -> str:
    """allauth asks for the password again before a second factor is added."""
    if client.get(SETUP).status_code == 302:
        assert client.get(SETUP)["Location"] == REAUTHENTICATE
        client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        client.get(SETUP)
    secret = client.session["mfa.totp.secret"]
    response = client.post(SETUP, {"code": code_for(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


@pytest.mark.parametrize("path", ["/", "/granty/kolejka/", "/finanse/", "/konto/profil/"])
def test_staff_without_a_second_factor_is_led_to_set_one_up(official, path):
    response = signed_in(official).get(path, follow=True)

    assert response.redirect_chain == [(SETUP, 302), (REAUTHENTICATE, 302)]
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]][-1] == SET_UP_FIRST


def test_the_api_refuses_staff_without_a_second_factor(official):
    response = web(official).get("/api/v1/grant-calls/")

    assert response.status_code == 403
    assert response.json() == {"detail": SET_UP_FIRST}


def test_django_admins_are_staff_too():
    admin = verified(UserFactory(is_staff=True))

    assert web(admin).get("/")["Location"] == SETUP


def test_residents_are_not_made_to_but_may(resident):
    client = signed_in(resident)

    assert client.get("/").status_code == 200
    set_up_totp(client)
    assert Authenticator.objects.filter(user=resident, type="totp").count() == 1


def test_the_requirement_can_be_turned_off(official, settings):
    settings.STAFF_MFA_REQUIRED = False

    assert web(official).get("/").status_code == 200


def test_staff_set_up_totp_then_reach_their_pages_and_the_setup_is_audited(
    official, django_capture_on_commit_callbacks
):
    client = signed_in(official)

    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get(SETUP)
    wrong = client.post(SETUP, {"code": "000000"})
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        set_up_totp(client)

    assert wrong.context["form"].errors == {"code": ["Błędny kod."]}
    assert client.get("/").status_code == 200
    assert [
        (e.actor, e.at, e.action, e.after)
        for e in audit_entries_for(official).filter(action__startswith="mfa_")
    ] == [
        (official, NOW, "mfa_authenticator_add", {"type": "totp"}),
        (official, NOW, "mfa_authenticator_add", {"type": "recovery_codes"}),
    ]


def test_signing_in_asks_for_the_code(official, clock):
    secret = set_up_totp(signed_in(official))
    clock.move_to(NOW + datetime.timedelta(minutes=5))
    client = Client()

    first = client.post("/accounts/login/", {"login": official.email, "password": PASSWORD})
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    right = client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})

    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert wrong.context["form"].errors == {"code": ["Błędny kod."]}
    assert right["Location"] == "/"
    assert client.get("/").status_code == 200
