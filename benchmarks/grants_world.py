"""What the grants benchmarks share: Django on a scratch PostgreSQL database and a
municipality with a published neighbourhood-fund call.

``DATABASE_URL`` must point at PostgreSQL; the benchmarks work in a throwaway database
next to it (``test_<name>``, created and migrated like the test suite's, dropped at the
end). The clock is set to the suite's instant (23 November 2026, 10:00 in Warsaw) and
ticks, so the call is open whatever day the benchmark runs.
"""

import os
import statistics
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def scratch_database():
    """Django set up on a fresh, migrated ``test_<name>`` database; dropped afterwards."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark uses test_<name>).")
    import django

    django.setup()
    import time_machine
    from django.test.utils import (
        override_settings,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    from tests.conftest import NOW

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    # The users a benchmark makes get their passwords hashed quickly, as in the suite:
    # nothing measured signs in with a password (API tokens, ``force_login``), and the
    # production hasher took most of the set-up (0.3 s a user).
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    try:
        with time_machine.travel(NOW, tick=True), fast_hasher:
            yield
    finally:
        from django.db import connection, connections

        with connection.cursor() as cursor:  # the worker threads' connections
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connections.close_all()
        teardown_databases(old, verbosity=0)


def grant_world():
    """The test suite's ``GrantWorld``: an organisation, its officials and an open call."""
    from tests.grants.conftest import GrantWorld, small_grant_limits_ensure

    small_grant_limits_ensure()
    return GrantWorld()


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    client.force_login(user)
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def load() -> str:
    """``uptime``'s load averages, to print with the figures."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def drafts_like(template, applicants) -> list:
    """Complete drafts like ``template`` (made through the services), one per applicant,
    copied in bulk: a benchmark needs hundreds, the services take seconds each."""
    from grants.models import Activity, Application, BudgetLine, GroupMember, Indicator

    children = [(GroupMember, "members"), (Activity, "activities"), (Indicator, "indicators")]
    children.append((BudgetLine, "budget_lines"))
    copies = []
    for user in applicants:
        copy = Application.objects.get(pk=template.pk)
        copy.pk = None
        copy.applicant = user
        copies.append(copy)
    Application.objects.bulk_create(copies)
    for model, name in children:
        rows = list(getattr(template, name).all())
        model.objects.bulk_create(
            model(**{**_values(row), "application_id": copy.pk}) for copy in copies for row in rows
        )
    return copies


def _values(row) -> dict:
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.attname != "application_id"
    }
