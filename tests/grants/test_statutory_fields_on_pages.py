"""The statutory offer's and report's own fields on the applicant's pages (#14): an
organisation fills in its register, contact person, capacity, other sources and
declarations in sections of the application form; each budget line has its cost type;
a minor member names a guardian; the report page takes the statutory figures."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from grants import services
from grants.models import Application
from tests.forms_support import form_data

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(application) -> str:
    return f"/granty/wnioski/{application.pk}/edycja/"


def test_an_organisation_fills_in_the_statutory_sections_and_they_are_saved(world):
    application = services.application_create(call=world.call, applicant=world.resident, kind="ngo")
    client = client_for(world.resident)
    html = client.get(edit_url(application)).content.decode()
    for legend in ("Możliwości realizacji i zasoby", "Inne informacje i oświadczenia"):
        assert legend in html
    data = form_data(html)
    data.update(
        register_name="Krajowy Rejestr Sądowy",
        register_number="0000123456",
        contact_person="Osoba do kontaktu",
        contact_email="kontakt@example.org",
        capacity="Lokal i sprzęt stowarzyszenia.",
        results_measurement="Lista obecności.",
        fees_from_beneficiaries="150.00",
        other_public_funds="200.00",
        other_public_funds_source="Powiat",
        declarations_confirmed="on",
        save="1",
    )
    response = client.post(edit_url(application), data)

    assert response.status_code == 302, re.findall(
        r'class="field-errors"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    application.refresh_from_db()
    assert (
        application.register_name,
        application.register_number,
        application.contact_person,
        application.contact_email,
        application.capacity,
        application.fees_from_beneficiaries,
        application.other_public_funds,
        application.other_public_funds_source,
        application.declarations_confirmed,
    ) == (
        "Krajowy Rejestr Sądowy",
        "0000123456",
        "Osoba do kontaktu",
        "kontakt@example.org",
        "Lokal i sprzęt stowarzyszenia.",
        Decimal("150.00"),
        Decimal("200.00"),
        "Powiat",
        True,
    )


def test_a_group_sees_no_register_and_a_wrong_e_mail_keeps_the_rest(world):
    application = services.application_create(
        call=world.call, applicant=world.resident, kind="informal_group"
    )
    client = client_for(world.resident)
    html = client.get(edit_url(application)).content.decode()
    assert 'name="register_name"' not in html
    assert 'name="capacity"' in html
    data = form_data(html)
    data.update(capacity="Sala w domu kultury.", contact_email="nie-e-mail", save="1")

    response = client.post(edit_url(application), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="id_contact_email_errors"[^>]*>\s*<li>[^<]+</li>', page)
    assert 'value="nie-e-mail"' in page
    application.refresh_from_db()
    assert (application.capacity, application.contact_email) == ("Sala w domu kultury.", "")


def test_a_budget_line_keeps_its_cost_type_and_a_minor_names_a_guardian(world):
    application: Application = world.draft()
    client = client_for(world.resident)
    data = form_data(client.get(edit_url(application)).content.decode())
    data["lines-0-cost_type"] = "administrative"
    rows = int(data["members-TOTAL_FORMS"])
    data.update(
        {
            f"members-{rows}-full_name": "Jaś Młody",
            f"members-{rows}-email": "jas@example.org",
            f"members-{rows}-is_minor": "on",
            f"members-{rows}-guardian_name": "Anna Młoda",
            f"members-{rows}-guardian_email": "anna@example.org",
            f"members-{rows}-consents_to_processing": "on",
            "members-TOTAL_FORMS": str(rows + 1),
            "save": "1",
        }
    )

    response = client.post(edit_url(application), data)

    assert response.status_code == 302
    assert application.budget_lines.first().cost_type == "administrative"
    minor = application.members.get(full_name="Jaś Młody")
    assert (minor.is_minor, minor.guardian_name, minor.guardian_email) == (
        True,
        "Anna Młoda",
        "anna@example.org",
    )


def test_the_report_page_takes_the_statutory_figures(world):
    agreement = world.agreement_in_implementation()
    url = f"/granty/umowy/{agreement.pk}/sprawozdanie/"
    client = client_for(world.resident)
    html = client.get(url).content.decode()
    assert 'name="fees_collected"' in html
    data = {
        "narrative": "Ogród założony.",
        "volunteer_hours": "10",
        "own_in_kind_used": "300.00",
        "fees_collected": "",
        "other_public_funds_used": "120.50",
        "attachments_list": "Lista obecności",
        "expenses-TOTAL_FORMS": "0",
        "expenses-INITIAL_FORMS": "0",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    report = agreement.report
    report.refresh_from_db()
    assert (
        report.own_in_kind_used,
        report.fees_collected,
        report.other_public_funds_used,
        report.attachments_list,
    ) == (Decimal("300.00"), Decimal("0.00"), Decimal("120.50"), "Lista obecności")
