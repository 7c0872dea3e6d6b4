"""Django for a benchmark script: set up against ``DATABASE_URL`` (a scratch database)
or a throwaway PostgreSQL cluster (``benchmarks/pdf.py``'s ``Services``), Celery eager,
media and var in a temporary directory."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def django_on_postgres() -> Iterator[str]:
    """Yields the database URL once Django is set up; stops what it started at the end."""
    from benchmarks.pdf import Services

    workdir = Path(tempfile.mkdtemp(prefix="mikrowsparcia-bench-"))
    workdir.chmod(0o755)
    services = Services(workdir)
    try:
        database_url = os.environ.get("DATABASE_URL") or services.start_postgres()
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url,
                "CELERY_BROKER_URL": "",
                "CELERY_TASK_ALWAYS_EAGER": "true",
                "DJANGO_MEDIA_ROOT": str(workdir / "media"),
                "DJANGO_VAR_DIR": str(workdir / "var"),
                "DJANGO_LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        yield database_url
    finally:
        services.stop()
        shutil.rmtree(workdir, ignore_errors=True)
