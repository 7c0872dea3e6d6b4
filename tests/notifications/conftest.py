from tests.grants.conftest import frozen_now, world  # noqa: F401 - shared fixtures
