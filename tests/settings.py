"""Test settings: the project's settings plus a small workflow app used by the engine
tests. Reads no environment of its own."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, STORAGES

INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflows.sample"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
# Requests publish their own messages after the commit (the path without a relay);
# the relay's tests (tests/workflows/test_outbox_relay.py) turn it on.
OUTBOX_RELAY = False
