"""The register of purchases (rejestr zamówień) as rows for CSV and XLSX."""

import io
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

REGISTER_COLUMNS = [
    ("number", _("number")),
    ("title", _("title")),
    ("requesting_unit", _("requesting unit")),
    ("group", _("same-kind group")),
    ("cpv_code", _("CPV code")),
    ("year", _("financial year")),
    ("procedure", _("procedure")),
    ("estimated_net", _("estimated value, net")),
    ("aggregated_net", _("aggregated value, net")),
    ("supplier", _("supplier")),
    ("supplier_nip", _("supplier's NIP")),
    ("awarded_net", _("awarded value, net")),
    ("awarded_gross", _("awarded value, gross")),
    ("invoice", _("invoice number")),
    ("invoice_gross", _("invoice, gross")),
    ("accepted_on", _("accepted on")),
    ("state", _("state")),
]


def _row(purchase) -> dict:
    supplier = purchase.awarded_offer.supplier if purchase.awarded_offer_id else None
    invoice = (
        getattr(purchase, "invoice", None)
        if purchase.state in ("invoiced", "paid", "closed")
        else None
    )
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


def register_rows(purchases, *, decimal_comma: bool = False):
    """Each purchase as a list of cells in ``REGISTER_COLUMNS`` order; with
    ``decimal_comma`` amounts read "1234,56" and dates ISO (Polish spreadsheets)."""
    for purchase in purchases:
        row = _row(purchase)
        cells = []
        for key, _title in REGISTER_COLUMNS:
            value = row[key]
            if value is None:
                value = ""
            elif isinstance(value, Decimal) and decimal_comma:
                value = f"{value:.2f}".replace(".", ",")
            elif hasattr(value, "isoformat") and decimal_comma:
                value = value.isoformat()
            cells.append(value)
        yield cells


def register_xlsx_bytes(purchases) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rejestr"
    sheet.append([str(title) for _key, title in REGISTER_COLUMNS])
    money_columns = [
        i + 1
        for i, (key, _t) in enumerate(REGISTER_COLUMNS)
        if key.endswith("_net") or key.endswith("_gross")
    ]
    for cells in register_rows(purchases):
        sheet.append(cells)
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
