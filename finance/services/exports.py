"""Exports of the settlement register and the export log.

Every export is logged as an ``Export`` row: who, when, which filters, how many rows.

- *CSV* streams while the database sends rows: ``settlement_export_start`` writes the
  log row first, ``settlement_csv_stream`` yields the bytes and records the count when
  the stream ends (or that it was interrupted).
- *XLSX* is a background job: ``settlement_export_start`` queues
  ``finance.tasks.build_settlements_xlsx`` after commit, which calls
  ``settlement_xlsx_build``. It counts the rows, writes the workbook to a temporary
  file while updating ``rows_done``, and only then stores the finished file in the
  default storage under ``exports/``: a half-written file is never stored.

Rows are those of the user's finance organisations (finance and administrators),
recomputed from the log row when the job runs.
"""

import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from workflows.errors import NotPermitted

from ..models import Export
from ..selectors import finance_organisation_ids
from ..settlements import (
    SettlementFilters,
    csv_chunks,
    settlement_rows,
    settlement_tuples,
    xlsx_write,
)

PROGRESS_EVERY = 1000  # rows between two updates of Export.rows_done


def exports_visible_to(user: User) -> QuerySet[Export]:
    """The user's own exports and those made in their finance organisations."""
    return (
        Export.objects.filter(
            Q(user_id=user.pk) | Q(organisation_id__in=finance_organisation_ids(user))
        )
        .select_related("user", "organisation")
        .order_by("-created_at", "-pk")
    )


def export_file_name(export: Export) -> str:
    day = timezone.localdate(export.created_at)
    return f"rozliczenia-{day:%Y-%m-%d}-{export.pk}.{export.format}"


@transaction.atomic
def settlement_export_start(*, user: User, filters: SettlementFilters, format: str) -> Export:
    """Log an export of the register and, for XLSX, queue the job that builds it."""
    organisation_ids = finance_organisation_ids(user)
    if not organisation_ids:
        raise NotPermitted()
    if format not in (Export.Format.CSV, Export.Format.XLSX):
        raise ValueError(format)
    if filters.organisation is not None:
        organisation_id = filters.organisation
    else:
        organisation_id = organisation_ids[0] if len(organisation_ids) == 1 else None
    export = Export.objects.create(
        kind=Export.Kind.SETTLEMENTS,
        format=format,
        user=user,
        organisation_id=organisation_id,
        filters=filters.as_json(),
        status=Export.Status.RUNNING if format == Export.Format.CSV else Export.Status.QUEUED,
    )
    if format == Export.Format.XLSX:
        from workflows.outbox import outbox_enqueue

        from ..tasks import build_settlements_xlsx

        outbox_enqueue(build_settlements_xlsx, export_id=export.pk)
    return export


def settlement_csv_stream(*, export: Export, organisation_ids: list[int]) -> Iterator[bytes]:
    """The CSV of a logged export as UTF-8 bytes, for a streaming response. Memory is
    constant: rows come through a server-side cursor and leave in chunks. When the
    stream ends the log gets the row count; if the download stops early it is marked
    failed with the rows sent so far."""
    rows = settlement_rows(
        organisation_ids=organisation_ids, filters=SettlementFilters.from_json(export.filters)
    )
    counter = [0]
    finished = False
    try:
        for chunk in csv_chunks(settlement_tuples(rows), counter):
            yield chunk.encode("utf-8")
        finished = True
    finally:
        export_finish(
            export_id=export.pk,
            rows=counter[0],
            error="" if finished else _("The download was interrupted."),
        )


def export_finish(*, export_id: int, rows: int, error: str = "") -> None:
    """Record how an export ended: its row count, or what went wrong."""
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.FAILED if error else Export.Status.DONE,
        rows_total=rows,
        rows_done=rows,
        error=error,
        finished_at=timezone.now(),
    )


def export_fail(*, export_id: int, error: str) -> None:
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.FAILED, error=error, finished_at=timezone.now()
    )


def settlement_xlsx_build(*, export_id: int) -> Export:
    """Build the XLSX of a logged export (the job's work; safe to run again)."""
    export = Export.objects.select_related("user").get(pk=export_id)
    if export.status == Export.Status.DONE:
        return export
    rows = settlement_rows(
        organisation_ids=finance_organisation_ids(export.user),
        filters=SettlementFilters.from_json(export.filters),
    )
    total = rows.count()
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.RUNNING, rows_total=total, rows_done=0, error=""
    )

    def progress(done: int) -> None:
        Export.objects.filter(pk=export_id).update(rows_done=done)

    with tempfile.TemporaryDirectory(prefix="export-") as directory:
        path = Path(directory) / "export.xlsx"
        written = xlsx_write(settlement_tuples(rows), path, progress=progress, every=PROGRESS_EVERY)
        with path.open("rb") as content:
            export.file.save(export_file_name(export), File(content), save=False)
    export.status = Export.Status.DONE
    export.rows_total = export.rows_done = written
    export.error = ""
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "rows_total", "rows_done", "error", "finished_at"])
    return export


# The log ------------------------------------------------------------------------------


def filters_described(exports: list[Export]) -> dict[int, list[tuple[str, str]]]:
    """Each export's filters as (label, value) pairs a person reads, with the names of
    the organisations, calls and groups looked up once for all the exports."""
    from workflows.processes import settlement_sources

    from ..forms.settlements import FILTER_LABELS
    from ..settlements import status_labels

    wanted: dict[str, set[int]] = {"organisation": set(), "call": set(), "group": set()}
    for export in exports:
        for key, ids in wanted.items():
            if isinstance(export.filters.get(key), int):
                ids.add(export.filters[key])
    names = {
        "organisation": dict(
            Organisation.objects.filter(pk__in=wanted["organisation"]).values_list(
                "pk", "short_name"
            )
        )
        if wanted["organisation"]
        else {},
        **{
            source.unit: source.unit_names(wanted[source.unit]) if wanted[source.unit] else {}
            for source in settlement_sources().values()
        },
    }
    statuses = status_labels()
    described = {}
    for export in exports:
        pairs = []
        for key, label in FILTER_LABELS.items():
            value = export.filters.get(key)
            if value in (None, ""):
                continue
            if key in names:
                value = names[key].get(value, f"#{value}")
            elif key == "status":
                value = statuses.get(value, value)
            pairs.append((str(label), str(value)))
        described[export.pk] = pairs
    return described
