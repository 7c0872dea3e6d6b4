"""The XLSX of the settlement register built by a real Celery worker through Redis,
as in production: the job is queued after the commit, and the worker stores the file
and the row count in the export's log row."""

import time

import pytest
from openpyxl import load_workbook

from config.celery import app
from finance.models import Export
from finance.services.exports import settlement_export_start
from finance.settlements import SettlementFilters

from .settlements_support import cheap_rows
from .test_settlements import HEADER, finance_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_media(tmp_path, settings, monkeypatch):
    """One media directory for this process and the worker it starts."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(media))
    return media


def test_a_worker_builds_the_xlsx_and_records_it(
    shared_media, celery_worker_process, organisation, monkeypatch
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    user = finance_user(organisation)
    cheap_rows(organisation, 4)

    export = settlement_export_start(
        user=user, filters=SettlementFilters(status="grant:settled"), format="xlsx"
    )
    assert Export.objects.get(pk=export.pk).status == "queued"

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in ("done", "failed"):
            break
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read().decode()
        time.sleep(0.2)
    assert (export.status, export.rows_total, export.rows_done, export.error) == ("done", 2, 2, "")
    sheet = load_workbook(shared_media / export.file.name).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [len(rows), ";".join(rows[0])] == [3, HEADER]
    assert [row[2] for row in rows[1:]] == [
        f"U/R/{organisation.pk}/0",
        f"U/R/{organisation.pk}/2",
    ]
