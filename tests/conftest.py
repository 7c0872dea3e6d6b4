import os

import pytest

from accounts.models import Role
from accounts.services import membership_grant

from .factories import OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls made
# by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def official(organisation):
    user = UserFactory()
    membership_grant(user=user, organisation=organisation, role=Role.OFFICIAL)
    return user


@pytest.fixture
def resident(db):
    return UserFactory()
