"""Issue 13, self-administration: the interest rates page (a new rate from a date, never
the past) and the budget classification upload page (checked line by line, audited)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from finance.models import BudgetClassification
from grants.models import InterestRate
from tests.clients import web
from tests.conftest import NOW
from tests.factories import OrganisationFactory, UserFactory
from workflows.audit import audit_entries_for
from workflows.models import AuditEntry

from .batches_support import user_with

pytestmark = pytest.mark.django_db

RATES = "/granty/odsetki/"
CLASSIFICATION = "/finanse/klasyfikacja/"
HEADER = "dział;rozdział;paragraf;nazwa\n"


def csv(text: str, name="klasyfikacja.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def finance():
    return user_with(OrganisationFactory(), Role.FINANCE)


def test_finance_adds_a_rate_from_a_future_date_and_it_is_audited(finance):
    response = web(finance).post(RATES, {"valid_from": "2027-01-01", "annual_rate": "12.50"})

    assert response["Location"] == RATES
    rate = InterestRate.objects.get(valid_from=datetime.date(2027, 1, 1))
    assert rate.annual_rate == Decimal("12.50")
    [entry] = audit_entries_for(rate)
    assert (entry.actor, entry.at, entry.action, entry.after) == (
        finance,
        NOW,
        "interest_rate_add",
        {"valid_from": "2027-01-01", "annual_rate": "12.50"},
    )
    page = web(finance).get(RATES).content.decode()
    assert "2027-01-01" in page


def test_a_rate_in_the_past_is_refused_at_the_field_and_typed_values_stay(finance):
    count = InterestRate.objects.count()

    response = web(finance).post(RATES, {"valid_from": "2026-11-01", "annual_rate": "9.99"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "valid_from": ["Nowa stopa obowiązuje od dziś (2026-11-23) lub później, nigdy wstecz."]
    }
    assert form["annual_rate"].value() == "9.99"
    assert InterestRate.objects.count() == count


def test_a_rate_with_bad_input_is_refused_without_a_500(finance):
    response = web(finance).post(RATES, {"valid_from": "jutro", "annual_rate": "dużo"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"valid_from", "annual_rate"}


def test_an_official_may_not_reach_the_rates_nor_the_classification():
    official = user_with(OrganisationFactory(), Role.OFFICIAL)
    client = web(official)

    assert client.get(RATES).status_code == 403
    assert client.post(RATES, {"valid_from": "2027-01-01", "annual_rate": "1"}).status_code == 403
    assert client.get(CLASSIFICATION).status_code == 403
    assert InterestRate.objects.filter(valid_from=datetime.date(2027, 1, 1)).count() == 0


def test_an_organisation_administrator_sets_rates_but_does_not_load_the_classification():
    admin = user_with(OrganisationFactory(), Role.ORG_ADMIN)

    assert web(admin).get(RATES).status_code == 200
    assert web(admin).get(CLASSIFICATION).status_code == 403


def test_finance_uploads_a_classification_and_sees_what_was_loaded(finance):
    BudgetClassification.objects.create(
        year=2027, section="921", chapter="92105", paragraph="2360", name="Stara nazwa"
    )
    text = HEADER + "921;92105;2360;Dotacja celowa\n852;85295;2360;Pomoc społeczna\n"

    client = web(finance)
    response = client.post(CLASSIFICATION, {"year": "2027", "file": csv(text)})

    assert response["Location"] == f"{CLASSIFICATION}?rok=2027"
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Klasyfikacja budżetowa 2027: dodano 1, zmieniono nazwę 1, bez zmian 0."
    ]
    assert [(line.code, line.name) for line in page.context["lines"]] == [
        ("852-85295-2360", "Pomoc społeczna"),
        ("921-92105-2360", "Dotacja celowa"),
    ]
    actions = sorted(
        (e.action, e.before, e.after["name"])
        for e in AuditEntry.objects.filter(action__startswith="classification_line")
    )
    assert actions == [
        ("classification_line_create", {}, "Pomoc społeczna"),
        ("classification_line_rename", {"name": "Stara nazwa"}, "Dotacja celowa"),
    ]


def test_a_file_with_bad_lines_shows_each_error_and_loads_nothing(finance):
    text = HEADER + "921;92105;2360;Dotacja\n92;92105;2360;Zły dział\n921;92105;23;Zły paragraf\n"

    response = web(finance).post(CLASSIFICATION, {"year": "2027", "file": csv(text)})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            "wiersz 3: dział musi mieć 3 cyfry, a nie „92”.",
            "wiersz 4: paragraf musi mieć 4 cyfry, a nie „23”.",
        ]
    }
    assert response.context["form"]["year"].value() == "2027"
    assert BudgetClassification.objects.filter(year=2027).count() == 0
    assert AuditEntry.objects.filter(action__startswith="classification_line").count() == 0


def test_a_file_that_is_not_text_or_a_bad_year_is_refused_without_a_500(finance):
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")

    not_text = web(finance).post(CLASSIFICATION, {"year": "2027", "file": binary})
    bad_year = web(finance).post(CLASSIFICATION, {"year": "1900", "file": csv(HEADER)})

    assert not_text.status_code == 200
    assert not_text.context["form"].errors == {"file": ["Plik nie jest tekstem w kodowaniu UTF-8."]}
    assert bad_year.status_code == 200
    assert list(bad_year.context["form"].errors) == ["year"]


def test_the_admin_refuses_a_rate_in_the_past_at_the_field():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    count = InterestRate.objects.count()

    response = client.post(
        "/admin/grants/interestrate/add/", {"valid_from": "2026-11-22", "annual_rate": "9.00"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_from": ["Nowa stopa obowiązuje od dziś (2026-11-23) lub później, nigdy wstecz."]
    }
    assert InterestRate.objects.count() == count
