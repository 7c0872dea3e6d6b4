"""A payment batch as a spreadsheet (``documents.spreadsheets``): CSV for Polish
spreadsheets and XLSX. Small and built at once: a batch holds tens of transfers, not
thousands. The bank file is ``finance.elixir``."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from documents import spreadsheets
from documents.spreadsheets import DATE, MONEY, NUMBER, Column

from .selectors.batches import batch_items

COLUMNS = [
    Column("batch", _("batch")),
    Column("position", _("no."), NUMBER),
    Column("order", _("payment order"), NUMBER),
    Column("kind", _("kind")),
    Column("beneficiary", _("beneficiary")),
    Column("address", _("beneficiary's address")),
    Column("account", _("account number (NRB)")),
    Column("title", _("transfer title")),
    Column("amount", _("amount"), MONEY),
    Column("due_date", _("due date"), DATE),
    Column("outcome", _("outcome")),
    Column("paid_on", _("paid on"), DATE),
    Column("rejection_reason", _("reason for rejection")),
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


def _cells(rows: list[dict]) -> list[list]:
    return [[row[column.key] for column in COLUMNS] for row in rows]


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
        content = spreadsheets.csv_bytes(COLUMNS, _cells(rows))
        return Download(content, spreadsheets.CSV_CONTENT_TYPE, stem + ".csv", len(rows))
    content = spreadsheets.xlsx_bytes(COLUMNS, _cells(rows), title="Paczka")
    return Download(content, spreadsheets.XLSX_CONTENT_TYPE, stem + ".xlsx", len(rows))
