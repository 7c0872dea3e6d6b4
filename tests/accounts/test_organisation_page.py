"""Issue 13, self-administration: the organisation's data page (name, address,
identifiers, representatives, logo), kept by the organisation administrator, audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Membership, Organisation, Representative, Role
from tests.clients import web
from tests.conftest import NOW
from tests.factories import UserFactory
from tests.forms_support import form_data
from workflows.audit import audit_entries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin(organisation):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=Role.ORG_ADMIN)
    Representative.objects.create(
        organisation=organisation, full_name="Jan Wójt", function="Wójt", order=0
    )
    return user


def url(organisation) -> str:
    return f"/organizacja/{organisation.pk}/dane/"


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile("herb.png", buffer.getvalue(), content_type="image/png")


def test_the_administrator_changes_the_data_and_it_is_audited(
    organisation, org_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = web(org_admin)
    data = form_data(client.get(url(organisation)).text, action_contains=None)
    old_name, old_nip = organisation.name, organisation.nip
    data.update(
        {
            "name": "Gmina Zielona",
            "regon": "123456785",
            "representatives-0-function": "Wójt Gminy",
            "representatives-1-full_name": "Ewa Skarbnik",
            "representatives-1-function": "Skarbnik",
            "logo": png(),
        }
    )

    response = client.post(url(organisation), data)

    assert response["Location"] == url(organisation)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.regon, organisation.nip) == (
        "Gmina Zielona",
        "123456785",
        old_nip,
    )
    assert organisation.logo.name.startswith("logos/herb")
    assert [(r.full_name, r.function) for r in organisation.representatives.all()] == [
        ("Jan Wójt", "Wójt Gminy"),
        ("Ewa Skarbnik", "Skarbnik"),
    ]
    [entry] = audit_entries_for(organisation)
    assert (entry.actor, entry.at, entry.action) == (org_admin, NOW, "organisation_update")
    assert entry.before == {
        "name": old_name,
        "regon": "",
        "logo": "",
        "representatives": [["Jan Wójt", "Wójt"]],
    }
    assert entry.after == {
        "name": "Gmina Zielona",
        "regon": "123456785",
        "logo": organisation.logo.name,
        "representatives": [["Jan Wójt", "Wójt Gminy"], ["Ewa Skarbnik", "Skarbnik"]],
    }


def test_saving_unchanged_data_writes_no_entry(organisation, org_admin):
    client = web(org_admin)
    data = form_data(client.get(url(organisation)).text, action_contains=None)

    assert client.post(url(organisation), data).status_code == 302
    assert list(audit_entries_for(organisation)) == []


def test_wrong_identifiers_are_refused_at_the_fields_and_kept(organisation, org_admin):
    client = web(org_admin)
    data = form_data(client.get(url(organisation)).text, action_contains=None)
    data.update({"name": "Gmina Nowa", "nip": "1234567890", "regon": "123456789"})

    response = client.post(url(organisation), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "nip": ["NIP musi mieć 10 cyfr z poprawną cyfrą kontrolną."],
        "regon": ["REGON musi mieć 9 lub 14 cyfr z poprawną cyfrą kontrolną."],
    }
    assert 'value="Gmina Nowa"' in response.text
    assert 'value="1234567890"' in response.text
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name
    assert list(audit_entries_for(organisation)) == []


def test_a_representative_needs_a_function(organisation, org_admin):
    client = web(org_admin)
    data = form_data(client.get(url(organisation)).text, action_contains=None)
    data.update({"representatives-1-full_name": "Ewa Skarbnik"})

    response = client.post(url(organisation), data)

    assert response.status_code == 200
    assert response.context["formset"].errors[1] == {"function": ["To pole jest wymagane."]}
    assert 'value="Ewa Skarbnik"' in response.text
    assert organisation.representatives.count() == 1
