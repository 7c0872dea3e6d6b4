"""A visitor signs up, confirms the e-mail from the outbox, signs in and sees the home
page; axe reports no WCAG 2.1 A/AA violation on any of these pages."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zielona-Wiosna-2026"


def test_visitor_signs_up_confirms_and_sees_home(page, accessible, live_server):
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "pl"
    accessible(page)

    page.get_by_label("Adres e-mail").fill("mieszkanka@example.org")
    page.get_by_label("Hasło", exact=True).fill(PASSWORD)
    page.get_by_label("Hasło (ponownie)").fill(PASSWORD)
    page.get_by_role("button", name="Zarejestruj się").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Zweryfikuj swój adres e-mail"
    accessible(page)

    [message] = mail.outbox
    assert message.to == ["mieszkanka@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    accessible(page)
    page.get_by_role("button", name="Potwierdź").click()

    page.wait_for_url("**/accounts/login/")
    accessible(page)
    page.get_by_label("Adres e-mail").fill("mieszkanka@example.org")
    page.get_by_label("Hasło", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj", exact=True).click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moje zadania"
    assert page.get_by_text("Nic teraz na Ciebie nie czeka.").is_visible()
    accessible(page)

    assert User.objects.get(email="mieszkanka@example.org").emailaddress_set.get().verified
    assert len(accessible.checked) == 5


def test_skip_link_moves_focus_to_the_main_content(page, accessible):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Przejdź do treści głównej")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    accessible(page)


def test_signup_errors_keep_the_typed_e_mail_and_are_linked_to_fields(page, accessible):
    page.goto("/accounts/signup/")
    page.get_by_label("Adres e-mail").fill("ktos@example.org")
    page.get_by_label("Hasło", exact=True).fill("abc")
    page.get_by_label("Hasło (ponownie)").fill("abc")
    page.get_by_role("button", name="Zarejestruj się").click()

    email = page.get_by_label("Adres e-mail")
    assert email.input_value() == "ktos@example.org"
    password = page.get_by_label("Hasło", exact=True)
    assert password.get_attribute("aria-invalid") == "true"
    described = password.get_attribute("aria-describedby")
    assert "id_password1_errors" in described.split()
    assert page.locator("#id_password1_errors").inner_text().startswith("To hasło jest za krótkie.")
    accessible(page)
