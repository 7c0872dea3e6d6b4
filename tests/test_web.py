"""The web skeleton: pages, language, API documentation served by the product."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_requires_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_home_lists_roles_in_polish_by_default(client, official, organisation):
    client.force_login(official)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "<h1>Moje zadania</h1>" in html
    assert f"<li>{organisation.name}: urzędnik</li>" in html
    assert "Nic teraz na Ciebie nie czeka." in html


def test_language_switch_turns_the_page_english(client):
    client.force_login(UserFactory())

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>My tasks</h1>" in html


def test_openapi_schema_and_swagger_ui_are_served_by_the_product(client):
    client.force_login(UserFactory())

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_pages_load_no_asset_from_another_host():
    html = Client().get("/accounts/login/").content.decode()

    assert "http://" not in html
    assert "https://" not in html


def test_password_reset_sends_a_polish_e_mail(client, mailoutbox):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="mieszkaniec@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post("/accounts/password/reset/", {"email": "mieszkaniec@example.org"})

    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["mieszkaniec@example.org"]
    assert message.subject == "[Mikrowsparcia] E-mail z resetowaniem hasła"
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/",
        "/admin/accounts/organisation/",
        "/admin/accounts/membership/",
        "/admin/accounts/organisation/add/",
    ],
)
def test_admin_pages_for_users_organisations_and_memberships(admin_client, official, path):
    assert admin_client.get(path).status_code == 200
