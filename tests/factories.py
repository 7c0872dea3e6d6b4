import factory
from django.utils.crypto import get_random_string

from accounts.models import Membership, Organisation, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def _nip(n: int) -> str:
    """A valid NIP built from a sequence number (the 10th digit is the checksum)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    base = f"{100000000 + n * 7919 % 899999999:09d}"
    check = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
    if check == 10:
        return _nip(n + 1000)
    return base + str(check)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Gmina Testowa {n}")
    short_name = factory.Sequence(lambda n: f"GT{n}")
    street = "ul. Rynek 1"
    postal_code = "00-001"
    city = "Testowo"
    nip = factory.Sequence(_nip)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership._meta.get_field("role").choices[0][0]


def random_token() -> str:
    return get_random_string(24)
