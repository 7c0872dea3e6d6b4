"""Demo data for ``make run``: a municipality, an operator organisation and one user
per role. Every demo password is ``DEMO_PASSWORD`` (documented in README.md)."""

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import Organisation, Role, User
from .services import membership_grant, organisation_create, user_create

DEMO_PASSWORD = "demo-mikrowsparcia"  # noqa: S105 - documented demo password

MUNICIPALITY = {
    "kind": Organisation.Kind.MUNICIPALITY,
    "name": "Gmina Miasto Przykładowo",
    "short_name": "GMP",
    "street": "ul. Ratuszowa 1",
    "postal_code": "00-950",
    "city": "Przykładowo",
    "nip": "5260250274",
    "regon": "000000000",
}
OPERATOR = {
    "kind": Organisation.Kind.OPERATOR,
    "name": "Fundacja Inicjatyw Sąsiedzkich",
    "short_name": "FIS",
    "street": "ul. Sąsiedzka 5",
    "postal_code": "00-951",
    "city": "Przykładowo",
    "nip": "1132853869",
}

USERS = [
    # (e-mail, first name, last name, [(organisation key, role)])
    ("urzednik@example.org", "Urzędnik", "Demo", [("municipality", Role.OFFICIAL)]),
    ("oceniajacy@example.org", "Oceniający", "Demo", [("municipality", Role.EVALUATOR)]),
    ("ksiegowosc@example.org", "Księgowość", "Demo", [("municipality", Role.FINANCE)]),
    ("skarbnik@example.org", "Skarbnik", "Demo", [("municipality", Role.FINANCE)]),
    ("kierownik@example.org", "Kierownik", "Demo", [("municipality", Role.UNIT_HEAD)]),
    ("admin-gminy@example.org", "Administrator", "Demo", [("municipality", Role.ORG_ADMIN)]),
    ("operator@example.org", "Operator", "Demo", [("operator", Role.OFFICIAL)]),
    ("mieszkaniec@example.org", "Mieszkaniec", "Demo", []),
]


@transaction.atomic
def demo_load() -> dict[str, Organisation]:
    """Create the demo organisations and users; running it again changes nothing."""
    organisations = {}
    municipality = Organisation.objects.filter(nip=MUNICIPALITY["nip"]).first()
    organisations["municipality"] = municipality or organisation_create(
        **MUNICIPALITY,
        representatives=[("Jan Przykładowy", "Prezydent Miasta Przykładowo")],
    )
    operator = Organisation.objects.filter(nip=OPERATOR["nip"]).first()
    organisations["operator"] = operator or organisation_create(
        **OPERATOR,
        parent=organisations["municipality"],
        representatives=[("Anna Przykładowa", "Prezes Zarządu Fundacji")],
    )
    for email, first, last, roles in USERS:
        user = User.objects.filter(email=email).first() or user_create(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for key, role in roles:
            membership_grant(user=user, organisation=organisations[key], role=role)
    if not User.objects.filter(email="admin@example.org").exists():
        admin = user_create(
            email="admin@example.org",
            password=DEMO_PASSWORD,
            first_name="Administrator",
            last_name="Systemu",
            is_staff=True,
            is_superuser=True,
        )
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    return organisations
