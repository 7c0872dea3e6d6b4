import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, USERS
from accounts.models import Membership, Organisation, Role, User
from accounts.selectors import organisations_for
from accounts.services import membership_grant, membership_revoke, organisation_create
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANISATION = {
    "kind": Organisation.Kind.MUNICIPALITY,
    "name": "Gmina Próbna",
    "short_name": "GP",
    "street": "ul. Długa 2",
    "postal_code": "00-002",
    "city": "Próbna",
    "nip": "5260250274",
    "regon": "012345675",
}


def test_user_signs_in_with_e_mail_and_has_no_username():
    user = User.objects.create_user(email="Resident@Example.ORG", password="x-y-z-123456")

    assert user.email == "Resident@example.org"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None


def test_organisation_is_created_with_representatives():
    organisation = organisation_create(
        **ORGANISATION, representatives=[("Anna Wójt", "Wójt"), ("Jan Skarbnik", "Skarbnik")]
    )

    assert [str(r) for r in organisation.representatives.all()] == [
        "Anna Wójt, Wójt",
        "Jan Skarbnik, Skarbnik",
    ]
    assert organisation.address == "ul. Długa 2, 00-002 Próbna"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "5260250275", "NIP musi mieć 10 cyfr z poprawną cyfrą kontrolną."),
        ("nip", "12345", "NIP musi mieć 10 cyfr z poprawną cyfrą kontrolną."),
        ("regon", "012345678", "REGON musi mieć 9 lub 14 cyfr z poprawną cyfrą kontrolną."),
    ],
)
def test_invalid_identifiers_are_refused_with_a_clear_message(field, value, message):
    with pytest.raises(ValidationError) as caught:
        organisation_create(**{**ORGANISATION, field: value})

    assert caught.value.message_dict == {field: [message]}
    assert Organisation.objects.count() == 0


def test_a_user_may_hold_several_roles_in_several_organisations():
    user = UserFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    membership_grant(user=user, organisation=first, role=Role.OFFICIAL)
    membership_grant(user=user, organisation=first, role=Role.EVALUATOR)
    membership_grant(user=user, organisation=second, role=Role.FINANCE)
    membership_grant(user=user, organisation=second, role=Role.FINANCE)  # idempotent

    assert user.roles_in(first.pk) == {Role.OFFICIAL, Role.EVALUATOR}
    assert user.roles_in(second.pk) == {Role.FINANCE}
    assert Membership.objects.filter(user=user).count() == 3

    membership_revoke(user=user, organisation=first, role=Role.EVALUATOR)
    assert user.roles_in(first.pk) == {Role.OFFICIAL}


def test_queries_are_scoped_to_the_user_s_organisations():
    user = UserFactory()
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    membership_grant(user=user, organisation=mine, role=Role.OFFICIAL)

    assert list(organisations_for(user=user)) == [mine]
    assert list(organisations_for(user=user, roles=(Role.FINANCE,))) == []
    assert theirs not in organisations_for(user=user)
    assert list(organisations_for(user=UserFactory())) == []


def test_roles_are_read_with_one_query(django_assert_num_queries):
    user = UserFactory()
    organisations = OrganisationFactory.create_batch(3)
    for organisation in organisations:
        membership_grant(user=user, organisation=organisation, role=Role.OFFICIAL)
    user = User.objects.get(pk=user.pk)

    with django_assert_num_queries(1):
        for organisation in organisations:
            assert user.roles_in(organisation.pk) == {Role.OFFICIAL}


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo")
    call_command("load_demo")

    assert Organisation.objects.count() == 2
    demo_emails = [email for email, *_ in USERS] + ["admin@example.org"]
    assert User.objects.filter(email__in=demo_emails).count() == len(USERS) + 1
    official = User.objects.get(email="urzednik@example.org")
    assert official.check_password(DEMO_PASSWORD)
    municipality = Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY)
    assert official.roles_in(municipality.pk) == {Role.OFFICIAL}
