"""The organisation's bank accounts page: finance staff and administrators add the
accounts batches leave from (NRB checked, typed with spaces) and switch them off."""

import pytest

from accounts.models import Role
from finance.models import BankAccount
from finance.selectors.batches import bank_accounts_for
from finance.services.batches import bank_account_create
from tests.clients import web
from tests.factories import OrganisationFactory
from tests.purchases.factories import nrb
from workflows.errors import NotPermitted
from workflows.models import AuditEntry

from .batches_support import user_with

pytestmark = pytest.mark.django_db

URL = "/finanse/rachunki/"


def spaced(number: str) -> str:
    """As a bank prints it: "12 3456 7890 ..."."""
    return " ".join([number[:2], *(number[i : i + 4] for i in range(2, 26, 4))])


def test_an_administrator_adds_an_account_typed_with_spaces():
    organisation = OrganisationFactory()
    admin = user_with(organisation, Role.ORG_ADMIN)
    number = nrb(7)

    response = web(admin).post(
        URL,
        {"organisation": organisation.pk, "name": "Rachunek główny", "number": spaced(number)},
        follow=True,
    )

    assert response.status_code == 200
    account = BankAccount.objects.get()
    assert (account.organisation, account.name, account.number, account.active) == (
        organisation,
        "Rachunek główny",
        number,
        True,
    )
    body = response.content.decode()
    assert f"Dodano rachunek Rachunek główny ({number})." in body
    assert f"<td>{number}</td>" in body
    entry = AuditEntry.objects.get(action="bank_account_create")
    assert (entry.actor, entry.object_id, entry.after) == (
        admin,
        account.pk,
        {"name": "Rachunek główny", "number": number},
    )


def test_a_wrong_number_is_refused_at_its_field_and_what_was_typed_stays():
    organisation = OrganisationFactory()
    finance = user_with(organisation, Role.FINANCE)
    number = nrb(7)
    wrong = spaced(number[:-1] + ("1" if number[-1] == "0" else "0"))  # checksum broken

    response = web(finance).post(
        URL, {"organisation": organisation.pk, "name": "Pomocniczy", "number": wrong}
    )

    assert response.status_code == 400
    body = response.content.decode()
    message = "Numer rachunku musi mieć 26 cyfr z poprawnymi cyframi kontrolnymi (NRB)."
    assert message in body
    assert f'<a href="#id_number">Numer rachunku (NRB): {message}</a>' in body
    assert f'value="{wrong}"' in body
    assert 'value="Pomocniczy"' in body
    assert not BankAccount.objects.exists()
    assert not AuditEntry.objects.filter(action="bank_account_create").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"organisation": "x", "name": "", "number": ""},
        {"organisation": "999999", "name": "A" * 300, "number": "1" * 80},
    ],
)
def test_nonsense_gives_field_errors_not_a_server_error(data):
    organisation = OrganisationFactory()
    finance = user_with(organisation, Role.FINANCE)

    response = web(finance).post(URL, data)

    assert response.status_code == 400
    assert "Popraw" in response.content.decode()
    assert not BankAccount.objects.exists()


def test_an_account_of_another_organisation_cannot_be_added():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    finance = user_with(mine, Role.FINANCE)

    response = web(finance).post(URL, {"organisation": theirs.pk, "name": "Obcy", "number": nrb(8)})

    assert response.status_code == 400
    assert not BankAccount.objects.exists()


def test_switching_an_account_off_keeps_it_but_no_longer_offers_it():
    organisation = OrganisationFactory()
    finance = user_with(organisation, Role.FINANCE)
    web(finance).post(URL, {"organisation": organisation.pk, "name": "Stary", "number": nrb(9)})
    account = BankAccount.objects.get()

    response = web(finance).post(f"{URL}{account.pk}/", {"active": "0"}, follow=True)

    account.refresh_from_db()
    assert account.active is False
    assert list(bank_accounts_for(user=finance)) == []
    assert (
        f"Rachunek Stary ({account.number}) nie jest już proponowany dla nowych paczek."
        in response.content.decode()
    )
    entry = AuditEntry.objects.get(action="bank_account_deactivate")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})

    web(finance).post(f"{URL}{account.pk}/", {"active": "1"})
    account.refresh_from_db()
    assert account.active is True
    assert AuditEntry.objects.filter(action="bank_account_activate").count() == 1


def test_other_roles_and_other_organisations_are_kept_out():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    official = user_with(organisation, Role.OFFICIAL)
    outsider = user_with(other, Role.FINANCE)
    finance = user_with(organisation, Role.FINANCE)
    web(finance).post(URL, {"organisation": organisation.pk, "name": "Główny", "number": nrb(5)})
    account = BankAccount.objects.get()

    assert web(official).get(URL).status_code == 403
    assert web(official).post(f"{URL}{account.pk}/", {"active": "0"}).status_code == 403
    assert web(outsider).post(f"{URL}{account.pk}/", {"active": "0"}).status_code == 404
    assert "Główny" not in web(outsider).get(URL).content.decode()
    account.refresh_from_db()
    assert account.active is True


def test_the_service_itself_refuses_a_person_without_a_finance_role():
    organisation = OrganisationFactory()
    official = user_with(organisation, Role.OFFICIAL)

    with pytest.raises(NotPermitted) as refused:
        bank_account_create(organisation=organisation, name="X", number=nrb(4), actor=official)

    assert str(refused.value) == ("Tylko księgowość, administrator organizacji może to zrobić.")
    assert not BankAccount.objects.exists()
