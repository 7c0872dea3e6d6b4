"""Finance pages: the settlement register, its CSV and XLSX exports, an export's job
page with its progress and download, and the export log."""

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from workflows.pagination import UncountedPage

from ..forms.settlements import SettlementFilterForm
from ..models import Export
from ..selectors.exports import export_log
from ..services.exports import (
    export_file_name,
    filters_described,
    finance_organisation_ids,
    settlement_csv_stream,
    settlement_export_start,
)
from ..settlements import (
    DATE,
    MONEY,
    PAGE_COLUMNS,
    PROCESS,
    STATUS,
    SettlementFilters,
    SettlementPages,
    page_cells,
    process_labels,
    status_labels,
)
from .home import finance_user_required

PAGE_SIZE = 50
LOG_PAGE_SIZE = 50
SOURCE_URLS = {"grant": "grants:agreement", "purchase": "purchases:detail"}


def _filter_form(request, data):
    organisation_ids = finance_organisation_ids(request.user)
    form = SettlementFilterForm(data or None, organisation_ids=organisation_ids)
    return form, organisation_ids


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _register(request, form, organisation_ids, *, status=200):
    if not form.is_bound:
        rows = SettlementPages(organisation_ids=organisation_ids)
    elif form.is_valid():
        rows = SettlementPages(organisation_ids=organisation_ids, filters=form.filters())
    else:
        rows = SettlementPages(organisation_ids=[])
        status = 400
    page = UncountedPage(rows, request.GET.get("page"), size=PAGE_SIZE)
    labels = {PROCESS: process_labels(), STATUS: status_labels()}
    table = [
        {
            "url": reverse(SOURCE_URLS[row["process"]], args=[row["source_id"]]),
            "cells": page_cells(row, labels),
        }
        for row in page
    ]
    return render(
        request,
        "finance/settlements/register.html",
        {
            "form": form,
            "page": page,
            "table": table,
            "columns": PAGE_COLUMNS,
            "money": MONEY,
            "date": DATE,
            "query": _query_without_page(request),
        },
        status=status,
    )


@finance_user_required
@require_GET
def settlements(request):
    """The register with its filters, 50 rows a page, not counted (see
    ``SettlementPages``): the number of rows and the totals are the exports' (#18)."""
    form, organisation_ids = _filter_form(request, request.GET)
    return _register(request, form, organisation_ids)


@finance_user_required
@require_GET
def settlements_csv(request):
    """The register as CSV for Polish spreadsheets, streamed as the rows come."""
    form, organisation_ids = _filter_form(request, request.GET)
    if form.is_bound and not form.is_valid():
        return _register(request, form, organisation_ids)
    filters = form.filters() if form.is_bound else SettlementFilters()
    export = settlement_export_start(user=request.user, filters=filters, format=Export.Format.CSV)
    response = StreamingHttpResponse(
        settlement_csv_stream(export=export, organisation_ids=organisation_ids),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{export_file_name(export)}"'
    return response


@finance_user_required
@require_POST
def settlements_xlsx(request):
    """Queue the XLSX of the register with the filters posted; show the job page."""
    organisation_ids = finance_organisation_ids(request.user)
    form = SettlementFilterForm(request.POST, organisation_ids=organisation_ids)
    if not form.is_valid():
        return _register(request, form, organisation_ids)
    export = settlement_export_start(
        user=request.user, filters=form.filters(), format=Export.Format.XLSX
    )
    return redirect("finance:export", pk=export.pk)


def _own_export(request, pk: int) -> Export:
    """An export job's page and file are its author's."""
    try:
        return Export.objects.get(pk=pk, user_id=request.user.pk)
    except Export.DoesNotExist:
        raise Http404 from None


@finance_user_required
@require_GET
def export(request, pk: int):
    """An export's progress and, when ready, its download. Refreshes itself every
    few seconds while it runs only when asked to (``?auto=1``)."""
    job = _own_export(request, pk)
    running = job.status in (Export.Status.QUEUED, Export.Status.RUNNING)
    return render(
        request,
        "finance/settlements/export.html",
        {
            "export": job,
            "running": running,
            "auto": running and request.GET.get("auto") == "1",
            "filters": filters_described([job])[job.pk],
        },
    )


@finance_user_required
@require_GET
def export_download(request, pk: int):
    job = _own_export(request, pk)
    if job.status != Export.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=export_file_name(job),
        content_type=XLSX_CONTENT_TYPE,
    )


@finance_user_required
@require_GET
def exports(request):
    """The export log: who exported what, when, with which filters, how many rows;
    50 a page, not counted (#18)."""
    page = UncountedPage(export_log(request.user), request.GET.get("page"), size=LOG_PAGE_SIZE)
    items = list(page)
    described = filters_described(items)
    return render(
        request,
        "finance/settlements/exports.html",
        {
            "page": page,
            "rows": [(item, described[item.pk]) for item in items],
        },
    )
