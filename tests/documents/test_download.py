import hashlib

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import membership_grant
from documents.services import document_render
from tests.factories import OrganisationFactory, UserFactory
from tests.workflows.sample.models import ticket_document_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(ticket):
    return document_render(
        owner=ticket,
        kind="sample",
        template_name="sample.html",
        context=ticket_document_context(ticket),
    )


def download(client, user, pk):
    client.force_login(user)
    return client.get(reverse("documents:download", args=[pk]))


@pytest.mark.parametrize("who", ["resident", "official"])
def test_who_may_see_the_owner_gets_the_exact_stored_bytes(client, document, request, who):
    response = download(client, request.getfixturevalue(who), document.pk)

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(document.size)
    assert response["Content-Disposition"] == (
        f'attachment; filename="zgloszenie-zg-{document.object_id}-2026-v1.pdf"; '
        f"filename*=UTF-8''Zg%C5%82oszenie%20ZG-{document.object_id}-2026%20v1.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"


def test_user_who_cannot_see_the_owner_gets_404(client, document):
    stranger = UserFactory()
    official_elsewhere = UserFactory()
    membership_grant(
        user=official_elsewhere, organisation=OrganisationFactory(), role=Role.OFFICIAL
    )

    assert download(client, stranger, document.pk).status_code == 404
    assert download(client, official_elsewhere, document.pk).status_code == 404


def test_missing_document_is_404(client, document, resident):
    assert download(client, resident, document.pk + 1).status_code == 404


def test_documents_of_a_model_without_the_visibility_hook_are_never_served(
    client, organisation, official
):
    own = document_render(
        owner=organisation,
        kind="sample",
        template_name="sample.html",
        context={"document_title": "Organisation", "rows": []},
    )

    assert download(client, official, own.pk).status_code == 404


def test_anonymous_user_is_sent_to_sign_in(client, document):
    response = client.get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_api_client_downloads_with_its_token(client, document, resident):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=resident)

    response = client.get(
        reverse("documents:download", args=[document.pk]),
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == document.file.open("rb").read()


def test_a_token_of_someone_who_cannot_see_the_owner_gets_404(client, document):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory())

    response = client.get(
        reverse("documents:download", args=[document.pk]),
        headers={"Authorization": f"Token {token.key}"},
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Token wrong"}, {"Accept": "application/json"}],
    ids=["bad-token", "json-client"],
)
def test_an_api_client_without_valid_credentials_gets_401_not_the_login_page(
    client, document, headers
):
    response = client.get(reverse("documents:download", args=[document.pk]), headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": {
            "Authorization": "Nieprawidłowy token.",
            "Accept": "Nie podano danych uwierzytelniających.",
        }[next(iter(headers))]
    }
