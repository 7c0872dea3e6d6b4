"""What the purchase benchmarks share: Django on a scratch PostgreSQL database and
purchases made in bulk (``bulk_create``, no services: the rows only need to exist).

``DATABASE_URL`` is used when set (a scratch database: the script migrates it and adds
rows); otherwise a throwaway PostgreSQL cluster is started (``benchmarks.pdf.Services``)
and removed at the end.
"""

import contextlib
import datetime
import os
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def django_on_scratch_database():
    """Django set up and migrated on a scratch database for the block."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.pdf import Services

    workdir = Path(tempfile.mkdtemp(prefix="mikrowsparcia-bench-"))
    workdir.chmod(0o755)
    services = Services(workdir)
    try:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": os.environ.get("DATABASE_URL") or services.start_postgres(),
                "CELERY_BROKER_URL": "",
                "CELERY_TASK_ALWAYS_EAGER": "true",
                "DJANGO_MEDIA_ROOT": str(workdir / "media"),
                "DJANGO_VAR_DIR": str(workdir / "var"),
                "DJANGO_LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import translation

        translation.activate("pl")
        call_command("migrate", verbosity=0)
        yield
    finally:
        services.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def organisation_make(short_name: str, groups: int = 1):
    """An organisation with an official, the value bands and ``groups`` same-kind groups.
    Returns (organisation, official, groups)."""
    from accounts.models import Role
    from tests.factories import OrganisationFactory
    from tests.purchases.factories import GroupFactory, bands_create, user_with

    organisation = OrganisationFactory(short_name=short_name)
    official = user_with(organisation, Role.OFFICIAL)
    bands_create(organisation)
    made = [GroupFactory(organisation=organisation) for _ in range(groups)]
    return organisation, official, made


def purchases_bulk_create(
    *, organisation, requester, rows: list[tuple], first_number: int = 1
) -> None:
    """Purchases from ``rows`` of (group, year, state, estimated net, awarded net or
    None), numbered in order from ``first_number``, in batches of 5,000."""
    from purchases.models import Purchase

    def purchase(n, group, year, state, estimated, awarded):
        return Purchase(
            organisation=organisation,
            number=f"{organisation.short_name}/ZP/{year}/{n}",
            requesting_unit="Wydział Kultury",
            requested_by=requester,
            title=f"Warsztaty {n}",
            expected_result="Warsztaty dla 20 osób.",
            group=group,
            cpv_code="80500000-9",
            estimated_net=estimated,
            vat_rate="23",
            estimated_gross=(estimated * Decimal("1.23")).quantize(Decimal("0.01")),
            estimation_method="Rozeznanie cen.",
            estimated_on=datetime.date(year, 1, 10),
            estimated_by="Jan Kowalski",
            legal_basis=Purchase.LegalBasis.REGULATION,
            planned_start=datetime.date(year, 2, 1),
            planned_end=datetime.date(year, 3, 1),
            year=year,
            state=state,
            awarded_net=awarded,
            awarded_gross=awarded,
        )

    batch = []
    for n, row in enumerate(rows, start=first_number):
        batch.append(purchase(n, *row))
        if len(batch) == 5000:
            Purchase.objects.bulk_create(batch)
            batch = []
    Purchase.objects.bulk_create(batch)
