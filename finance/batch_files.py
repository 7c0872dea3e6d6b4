"""A payment batch as a spreadsheet: CSV for Polish spreadsheets (";", a UTF-8
byte-order mark, decimal comma) and XLSX. Small and built at once: a batch holds tens
of transfers, not thousands. The bank file is ``finance.elixir``."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .selectors.batches import batch_items

COLUMNS = [
    ("batch", _("batch")),
    ("position", _("no.")),
    ("order", _("payment order")),
    ("kind", _("kind")),
    ("beneficiary", _("beneficiary")),
    ("address", _("beneficiary's address")),
    ("account", _("account number (NRB)")),
    ("title", _("transfer title")),
    ("amount", _("amount")),
    ("due_date", _("due date")),
    ("outcome", _("outcome")),
    ("paid_on", _("paid on")),
    ("rejection_reason", _("reason for rejection")),
]


def batch_rows(batch) -> list[dict]:
    """The batch's items (not those removed from it), one dict per item."""
    return [
        {
            "batch": batch.number,
            "position": position,
            "order": item.order_id,
            "kind": str(item.order.get_kind_display()),
            "beneficiary": item.order.beneficiary_name,
            "address": item.order.beneficiary_address,
            "account": item.order.account_number,
            "title": item.order.title,
            "amount": item.amount,
            "due_date": item.order.due_date,
            "outcome": str(item.get_outcome_display()),
            "paid_on": item.paid_on,
            "rejection_reason": item.rejection_reason,
        }
        for position, item in enumerate(batch_items(batch, with_removed=False), start=1)
    ]


def _polish(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def batch_csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for _key, title in COLUMNS])
    for row in rows:
        writer.writerow([_polish(row[key]) for key, _title in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def batch_xlsx_bytes(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Paczka"
    sheet.append([str(title) for _key, title in COLUMNS])
    for row in rows:
        sheet.append([row[key] if row[key] is not None else "" for key, _title in COLUMNS])
    amount_column = [key for key, _t in COLUMNS].index("amount") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=amount_column, max_col=amount_column):
        cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    """A file of a batch as it is sent: its bytes, content type, name and row count."""

    content: bytes
    content_type: str
    name: str
    rows: int


def batch_download_build(batch, format: str) -> Download | None:
    """The batch's Elixir-O file exactly as exported (``None`` before the export), or
    its CSV or XLSX made now."""
    if format == "elixir":
        if not batch.file_content:
            return None
        content = bytes(batch.file_content)
        return Download(
            content, "text/plain; charset=windows-1250", batch.file_name, content.count(b"\r\n")
        )
    rows = batch_rows(batch)
    stem = "paczka-" + batch.number.replace("/", "-")
    if format == "csv":
        return Download(batch_csv_bytes(rows), "text/csv; charset=utf-8", stem + ".csv", len(rows))
    return Download(batch_xlsx_bytes(rows), XLSX, stem + ".xlsx", len(rows))
