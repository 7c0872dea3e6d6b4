"""Issue 13, acceptance 1 (first part): an organisation administrator invites an
official, who opens the link from the e-mail, sets a password, is led to set up an
authenticator app and then signs in with a code; a staff user without a second factor
cannot reach a staff page before setting one up. axe finds no WCAG 2.1 A/AA violation
on any page visited."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail

from accounts.models import Membership, Role, User
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.mfa, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zielony-Ogrod-2026"
ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def submit(page):
    page.locator("main form button[type=submit]").last.click()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło", exact=True).fill(password)
    page.get_by_role("button", name="Zaloguj", exact=True).click()


def enter_code(page, secret: str, accessible) -> None:
    page.wait_for_url("**/accounts/2fa/authenticate/")
    accessible(page)
    page.locator("input[name=code]").fill(code_for(secret))
    submit(page)


def sign_out(page) -> None:
    page.locator("header form button[type=submit]", has_text="Wyloguj").click()


def test_an_invited_official_sets_a_password_and_totp_then_signs_in_with_a_code(
    page, accessible, live_server
):
    organisation = OrganisationFactory(name="Gmina Zielona")
    admin = verified(UserFactory(first_name="Anna", last_name="Admin"))
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ORG_ADMIN)
    TOTP.activate(admin, ADMIN_SECRET)

    # The administrator signs in with a code and invites an official.
    sign_in(page, admin.email, PASSWORD)
    enter_code(page, ADMIN_SECRET, accessible)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Członkowie").click()
    page.wait_for_url(f"**/organizacja/{organisation.pk}/czlonkowie/")
    accessible(page)
    page.get_by_label("Adres e-mail").fill("nie-adres")
    page.get_by_role("button", name="Zaproś").click()
    assert page.locator("#id_email_errors").inner_text() == "Podaj poprawny adres e-mail."
    assert page.get_by_label("Adres e-mail").input_value() == "nie-adres"
    accessible(page)
    page.get_by_label("Adres e-mail").fill("urzedniczka@example.org")
    page.get_by_label("Imię").fill("Ewa")
    page.get_by_label("Nazwisko").fill("Nowa")
    page.get_by_label("Rola").select_option(Role.OFFICIAL)
    page.get_by_role("button", name="Zaproś").click()
    assert page.get_by_role("status").inner_text() == (
        "Zaproszenie wysłano na adres urzedniczka@example.org."
    )
    assert page.get_by_role("row", name=re.compile("Ewa Nowa")).inner_text().split("\t")[2:] == [
        "urzędnik",
        "zaproszona osoba",
    ]
    accessible(page)
    sign_out(page)

    # The official opens the link from the e-mail and sets a password.
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/konto/zaproszenie/\S+/)", message.body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Ustaw hasło"
    accessible(page)
    page.get_by_label("Hasło", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Hasło (ponownie)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Ustaw hasło").click()
    page.wait_for_url("**/accounts/login/")
    accessible(page)

    # Signing in, she is led to set up an authenticator app before anything else.
    page.get_by_label("Adres e-mail").fill("urzedniczka@example.org")
    page.get_by_label("Hasło", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    accessible(page)
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill("000000")
    submit(page)
    assert page.locator("input[name=code]").get_attribute("aria-invalid") == "true"
    page.locator("input[name=code]").fill(code_for(secret))
    submit(page)
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    accessible(page)
    official = User.objects.get(email="urzedniczka@example.org")
    assert sorted(Authenticator.objects.filter(user=official).values_list("type", flat=True)) == [
        "recovery_codes",
        "totp",
    ]
    page.goto("/granty/kolejka/")
    assert page.url.endswith("/granty/kolejka/")
    sign_out(page)

    # Next time she signs in with her password and a code.
    sign_in(page, "urzedniczka@example.org", NEW_PASSWORD)
    enter_code(page, secret, accessible)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje zadania"
    accessible(page)


def test_staff_without_a_second_factor_cannot_reach_a_staff_page(page, accessible, live_server):
    organisation = OrganisationFactory()
    official = verified(UserFactory())
    Membership.objects.create(user=official, organisation=organisation, role=Role.OFFICIAL)

    sign_in(page, official.email, PASSWORD)
    page.wait_for_url("**/accounts/reauthenticate/**")
    for staff_page in ("/granty/kolejka/", "/zakupy/", "/"):
        page.goto(staff_page)
        assert "/accounts/" in page.url, staff_page
    assert (
        page.locator(".messages")
        .inner_text()
        .endswith(
            "Twoja rola wymaga logowania dwuskładnikowego. Zanim przejdziesz dalej, skonfiguruj "
            "aplikację uwierzytelniającą (albo klucz bezpieczeństwa)."
        )
    )
    accessible(page)
