"""Spreadsheets of the product: CSV for Polish spreadsheets and XLSX, from columns
declared once with their kind.

A table is a list of ``Column`` (a key, a header and a kind) and rows of values in the
columns' order (a row may carry more values after them: they are ignored). The kind
says how a value is written:

- ``TEXT``: as it is; ``STATUS`` and ``CODE``: a code, shown by its label when the
  writer is given ``labels`` for the column's key (a state, which process a row is of);
- ``NUMBER``: an integer as a number;
- ``MONEY``: a ``Decimal``; in CSV "1234,56" (a decimal comma and no thousands
  separator, which Polish spreadsheets read as a number), in XLSX a number shown with
  ``MONEY_FORMAT``;
- ``DATE``: YYYY-MM-DD in CSV, a date shown with ``DATE_FORMAT`` in XLSX.

CSV (``csv_chunks``) is the Polish dialect: a UTF-8 byte-order mark, ``;`` between
fields, CRLF line ends, empty for ``None``; it is produced in chunks, so a response
streams it row by row. XLSX (``xlsx_write``) is openpyxl's write-only mode (rows go to a
temporary file as they come, so memory stays constant), with a progress callback.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

TEXT, NUMBER, MONEY, DATE, STATUS, CODE = "text", "number", "money", "date", "status", "code"

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The stored number formats are Excel's locale-independent codes; a Polish Excel or
# LibreOffice shows "#,##0.00" as "1 234,56" and the dates as it is set to.
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = {TEXT: 22, NUMBER: 10, MONEY: 14, DATE: 12, STATUS: 16, CODE: 12}
CSV_CHUNK_ROWS = 1000

Labels = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Column:
    key: str
    header: Promise | str
    kind: str = TEXT


def money_text(value: Decimal) -> str:
    """1234.5 -> "1234,50": a decimal comma and no thousands separator."""
    return format(value, ".2f").replace(".", ",")


def _label_maps(columns: Sequence[Column], labels: Labels | None) -> dict[int, Mapping]:
    labels = labels or {}
    return {i: labels[column.key] for i, column in enumerate(columns) if column.key in labels}


def csv_chunks(
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    labels: Labels | None = None,
    counter: list[int] | None = None,
    chunk_rows: int = CSV_CHUNK_ROWS,
) -> Iterator[str]:
    """The CSV text in chunks: the byte-order mark and the header, then ``chunk_rows``
    rows at a time. ``counter[0]`` counts the rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    width = len(columns)
    money = [i for i, column in enumerate(columns) if column.kind == MONEY]
    dates = [i for i, column in enumerate(columns) if column.kind == DATE]
    names = _label_maps(columns, labels)
    writer.writerow([str(column.header) for column in columns])
    yield BOM + _take(buffer)
    counter = counter if counter is not None else [0]
    pending = 0
    for row in rows:
        cells = list(row[:width])
        for i in money:
            if cells[i] is not None and cells[i] != "":
                cells[i] = money_text(cells[i])
        for i in dates:
            if hasattr(cells[i], "isoformat"):
                cells[i] = cells[i].isoformat()
        for i, mapping in names.items():
            cells[i] = mapping.get(cells[i], cells[i])
        writer.writerow(cells)  # None -> ""
        counter[0] += 1
        pending += 1
        if pending == chunk_rows:
            yield _take(buffer)
            pending = 0
    yield _take(buffer)


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence], **kwargs) -> bytes:
    """The whole CSV at once, for small tables."""
    return "".join(csv_chunks(columns, rows, **kwargs)).encode("utf-8")


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_write(
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    target,
    *,
    title: str,
    labels: Labels | None = None,
    widths: bool = False,
    freeze_header: bool = False,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write the rows to ``target`` (a path or a binary file) as one sheet named
    ``title``: amounts as numbers in the money format, dates as dates, labels in place
    of codes; ``widths`` sets each column's width by its kind, ``freeze_header`` keeps
    the header in view. ``progress(n)`` is called every ``every`` rows. Returns the
    count of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title))
    if freeze_header:
        sheet.freeze_panes = "A2"
    if widths:
        for i, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = WIDTHS[column.kind]
    sheet.append([str(column.header) for column in columns])
    width = len(columns)
    formats = {
        i: MONEY_FORMAT if column.kind == MONEY else DATE_FORMAT
        for i, column in enumerate(columns)
        if column.kind in (MONEY, DATE)
    }
    names = _label_maps(columns, labels)
    count = 0
    for row in rows:
        cells = [None if value == "" else value for value in row[:width]]
        for i, number_format in formats.items():
            value = cells[i]
            if value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells[i] = cell
        for i, mapping in names.items():
            cells[i] = mapping.get(cells[i], cells[i])
        sheet.append(cells)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    workbook.save(target)
    return count


def xlsx_bytes(columns: Sequence[Column], rows: Iterable[Sequence], **kwargs) -> bytes:
    """The whole XLSX at once, for small tables."""
    buffer = io.BytesIO()
    xlsx_write(columns, rows, buffer, **kwargs)
    return buffer.getvalue()
