"""Security headers on pages and API responses, and the admin sign-in's rate limit."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.clients import api, web
from tests.factories import PASSWORD, UserFactory

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
TOO_MANY = "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie później."


def assert_security_headers(response):
    # django-csp writes the directives in no fixed order: compare them one by one.
    directives = [part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ")]
    assert len(directives) == len(CSP)
    assert dict(directives) == CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS


def test_a_signed_in_page_has_the_headers_and_is_not_stored(official):
    response = web(official).get("/")

    assert response.status_code == 200
    assert_security_headers(response)
    assert response["Cache-Control"] == NO_STORE
    assert "<p>Mikrowsparcia 0.1.0 · " in response.content.decode()  # the release


def test_an_api_response_has_the_headers_and_is_not_stored(official):
    response = api(official).get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_security_headers(response)
    assert response["Cache-Control"] == NO_STORE


def test_an_anonymous_page_has_the_headers_and_may_be_cached(db):
    response = Client().get("/dostepnosc/")

    assert response.status_code == 200
    assert_security_headers(response)
    assert "Cache-Control" not in response


def test_the_swagger_ui_needs_no_inline_script_or_style(official):
    client = web(official)

    html = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert "<script>" not in html and "<style>" not in html
    assert '<script src="/api/docs/?script="></script>' in html
    assert '<link rel="stylesheet" href="/static/css/swagger.css">' in html
    assert script["Content-Type"] == "application/javascript"
    assert b"SwaggerUIBundle" in script.content


@pytest.fixture
def admin_user(db):
    cache.clear()
    yield UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    cache.clear()


def admin_sign_in(client, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin@example.org", "password": password, "next": "/admin/"},
    )


def test_admin_login_is_refused_after_five_wrong_passwords_even_with_the_right_one(admin_user):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        wrong = admin_sign_in(client, "zle-haslo-123")
        assert wrong.status_code == 200
        assert TOO_MANY not in wrong.content.decode()

    refused = admin_sign_in(client, PASSWORD)

    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_with_the_right_password_signs_in(admin_user):
    client = Client(REMOTE_ADDR="203.0.113.9")
    admin_sign_in(client, "zle-haslo-123")

    response = admin_sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_sessions_last_one_working_day_and_end_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
