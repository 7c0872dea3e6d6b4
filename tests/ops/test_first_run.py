"""manage.py first_run: the first organisation and its administrator, no shell."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import Organisation, Role, User
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

ARGS = [
    "--name=Gmina Przykładowo",
    "--short-name=GP",
    "--nip=5260250274",
    "--street=ul. Ratuszowa 1",
    "--postal-code=00-950",
    "--city=Przykładowo",
    "--admin-email=it@przykladowo.pl",
    "--admin-first-name=Jan",
    "--admin-last-name=Nowak",
]


def test_creates_the_organisation_and_its_administrator(monkeypatch, capsys):
    monkeypatch.setenv("FIRST_RUN_ADMIN_PASSWORD", "Trudne-haslo-2026")

    call_command("first_run", *ARGS)

    [organisation] = Organisation.objects.all()
    admin = User.objects.get(email="it@przykladowo.pl")
    assert (organisation.kind, organisation.name, organisation.nip) == (
        Organisation.Kind.MUNICIPALITY,
        "Gmina Przykładowo",
        "5260250274",
    )
    assert admin.check_password("Trudne-haslo-2026")
    assert (admin.is_staff, admin.is_superuser) == (False, False)
    assert admin.roles_in(organisation.pk) == {Role.ORG_ADMIN}
    assert EmailAddress.objects.filter(user=admin, verified=True, primary=True).count() == 1
    assert AuditEntry.objects.filter(action="first_run_setup", object_id=organisation.pk).count()
    assert capsys.readouterr().out == (
        f"Created Gmina Przykładowo (id {organisation.pk}) and its administrator "
        "it@przykladowo.pl.\n"
    )


def test_the_first_run_happens_once(monkeypatch):
    monkeypatch.setenv("FIRST_RUN_ADMIN_PASSWORD", "Trudne-haslo-2026")
    call_command("first_run", *ARGS)

    with pytest.raises(CommandError, match=r"^An organisation exists already"):
        call_command("first_run", *ARGS[:-3], "--admin-email=inny@przykladowo.pl",
                     "--admin-first-name=A", "--admin-last-name=B")  # fmt: skip
    assert User.objects.count() == 1


def test_a_weak_password_or_none_is_refused(monkeypatch):
    monkeypatch.setenv("FIRST_RUN_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="Hasło"):
        call_command("first_run", *ARGS)
    monkeypatch.delenv("FIRST_RUN_ADMIN_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match=r"^Set FIRST_RUN_ADMIN_PASSWORD or run"):
        call_command("first_run", *ARGS)
    assert Organisation.objects.count() == 0
