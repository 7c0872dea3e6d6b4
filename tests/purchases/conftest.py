import pytest

from accounts.models import Role

from .factories import GroupFactory, SupplierFactory, bands_create, user_with


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATTACHMENTS_CLAMD = ""  # a test that scans starts its own daemon
    return settings.MEDIA_ROOT


@pytest.fixture
def bands(organisation):
    return bands_create(organisation)


@pytest.fixture
def group(organisation):
    return GroupFactory(organisation=organisation)


@pytest.fixture
def unit_head(organisation):
    return user_with(organisation, Role.UNIT_HEAD)


@pytest.fixture
def finance(organisation):
    return user_with(organisation, Role.FINANCE)


@pytest.fixture
def evaluator(organisation):
    return user_with(organisation, Role.EVALUATOR)


@pytest.fixture
def suppliers(organisation):
    return SupplierFactory.create_batch(3, organisation=organisation)
