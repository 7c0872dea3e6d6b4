"""The register of purchases (rejestr zamówień) as rows for CSV and XLSX
(``documents.spreadsheets``)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from documents import spreadsheets
from documents.spreadsheets import DATE, MONEY, NUMBER, Column

from .workflow import PurchaseState

REGISTER_COLUMNS = [
    Column("number", _("number")),
    Column("title", _("title")),
    Column("requesting_unit", _("requesting unit")),
    Column("group", _("same-kind group")),
    Column("cpv_code", _("CPV code")),
    Column("year", _("financial year"), NUMBER),
    Column("procedure", _("procedure")),
    Column("estimated_net", _("estimated value, net"), MONEY),
    Column("aggregated_net", _("aggregated value, net"), MONEY),
    Column("supplier", _("supplier")),
    Column("supplier_nip", _("supplier's NIP")),
    Column("awarded_net", _("awarded value, net"), MONEY),
    Column("awarded_gross", _("awarded value, gross"), MONEY),
    Column("invoice", _("invoice number")),
    Column("invoice_gross", _("invoice, gross"), MONEY),
    Column("accepted_on", _("accepted on"), DATE),
    Column("state", _("state")),
]
INVOICED_STATES = (PurchaseState.INVOICED, PurchaseState.PAID, PurchaseState.CLOSED)


def _row(purchase) -> dict:
    supplier = purchase.awarded_offer.supplier if purchase.awarded_offer_id else None
    invoice = getattr(purchase, "invoice", None) if purchase.state in INVOICED_STATES else None
    return {
        "number": purchase.number,
        "title": purchase.title,
        "requesting_unit": purchase.requesting_unit,
        "group": purchase.group.name,
        "cpv_code": purchase.cpv_code,
        "year": purchase.year,
        "procedure": str(purchase.band.get_procedure_display()) if purchase.band else "",
        "estimated_net": purchase.estimated_net,
        "aggregated_net": purchase.aggregated_net,
        "supplier": supplier.name if supplier else "",
        "supplier_nip": supplier.nip if supplier else "",
        "awarded_net": purchase.awarded_net,
        "awarded_gross": purchase.awarded_gross,
        "invoice": invoice.number if invoice else "",
        "invoice_gross": invoice.gross if invoice else None,
        "accepted_on": purchase.accepted_on,
        "state": purchase.state_label,
    }


def register_rows(purchases) -> Iterator[list]:
    """Each purchase as a list of values in ``REGISTER_COLUMNS`` order."""
    for purchase in purchases:
        row = _row(purchase)
        yield [row[column.key] for column in REGISTER_COLUMNS]


def register_csv_chunks(purchases) -> Iterator[str]:
    """The register as CSV for Polish spreadsheets, in chunks to stream."""
    return spreadsheets.csv_chunks(REGISTER_COLUMNS, register_rows(purchases))


def register_xlsx_bytes(purchases) -> bytes:
    return spreadsheets.xlsx_bytes(REGISTER_COLUMNS, register_rows(purchases), title="Rejestr")
