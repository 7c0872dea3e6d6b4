"""The settlement register (rejestr rozliczeń): one row per grant agreement and per
awarded purchase, with what was granted or ordered, paid, used, returned and invoiced.

Vocabulary:

- *Row provider*: a function of a process that returns its objects annotated with the
  register's columns, declared in the process's hooks (``workflows.processes``,
  ``SettlementSource``). A provider annotates only the columns its process knows; the
  others are typed NULLs added here.
- *Columns* (``COLUMNS``): the one definition of the register's columns, in order,
  with their Polish headers and kinds. Pages, the API, CSV and XLSX all read it.
- *Filters* (``SettlementFilters``): period, organisation, call, purchase group,
  classification and status. The period applies to the *agreement or order date*
  (``ref_date``): the day the agreement or order was signed, or before the signature
  the day the agreement was made (grants) or the order awarded (purchases).

``settlement_rows`` joins the providers with ``UNION ALL`` in one SELECT that an
export streams through a server-side cursor in constant memory. ``SettlementPages``
serves pages of it in two queries whatever the page size, without counting the
register: the page's keys on the cheap columns, then the amounts of that page's rows
only. Both run on
PostgreSQL and on SQLite (the embedded mode): only standard SQL aggregates (SUM, MIN,
MAX) in correlated subqueries, no PostgreSQL-only functions.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

from django.db import connections
from django.db.models import Case, CharField, DateField, DecimalField, F, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils.translation import pgettext, pgettext_lazy

from documents import spreadsheets
from documents.spreadsheets import CODE, DATE, MONEY, STATUS, TEXT
from workflows.processes import settlement_sources

PROCESS = CODE  # which process a row is of, shown by its label
CURSOR_CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Column(spreadsheets.Column):
    on_page: bool = False


COLUMNS = [
    Column("process", pgettext_lazy("settlement register column", "type"), PROCESS, on_page=True),
    Column("organisation_name", pgettext_lazy("settlement register column", "organisation")),
    Column(
        "ref_no",
        pgettext_lazy("settlement register column", "agreement or order number"),
        on_page=True,
    ),
    Column(
        "ref_date",
        pgettext_lazy("settlement register column", "agreement or order date"),
        DATE,
        on_page=True,
    ),
    Column("subject", pgettext_lazy("settlement register column", "subject")),
    Column("programme", pgettext_lazy("settlement register column", "call or purchase group")),
    Column(
        "beneficiary",
        pgettext_lazy("settlement register column", "beneficiary or supplier"),
        on_page=True,
    ),
    Column("nip", pgettext_lazy("settlement register column", "NIP")),
    Column("regon", pgettext_lazy("settlement register column", "REGON")),
    Column("krs", pgettext_lazy("settlement register column", "KRS")),
    Column("account", pgettext_lazy("settlement register column", "bank account")),
    Column(
        "budget_code",
        pgettext_lazy("settlement register column", "budget classification"),
        on_page=True,
    ),
    Column(
        "granted",
        pgettext_lazy("settlement register column", "amount granted or ordered"),
        MONEY,
        on_page=True,
    ),
    Column("paid", pgettext_lazy("settlement register column", "paid"), MONEY, on_page=True),
    Column("paid_first", pgettext_lazy("settlement register column", "first payment on"), DATE),
    Column(
        "paid_last",
        pgettext_lazy("settlement register column", "last payment on"),
        DATE,
        on_page=True,
    ),
    Column("used", pgettext_lazy("settlement register column", "amount used"), MONEY, on_page=True),
    Column(
        "own_contribution", pgettext_lazy("settlement register column", "own contribution"), MONEY
    ),
    Column(
        "report_submitted", pgettext_lazy("settlement register column", "report submitted on"), DATE
    ),
    Column(
        "report_accepted", pgettext_lazy("settlement register column", "report accepted on"), DATE
    ),
    Column(
        "to_return", pgettext_lazy("settlement register column", "to return"), MONEY, on_page=True
    ),
    Column(
        "returned", pgettext_lazy("settlement register column", "returned"), MONEY, on_page=True
    ),
    Column("returned_on", pgettext_lazy("settlement register column", "returned on"), DATE),
    Column(
        "interest", pgettext_lazy("settlement register column", "interest"), MONEY, on_page=True
    ),
    Column("status", pgettext_lazy("settlement register column", "status"), STATUS, on_page=True),
    Column("invoice_no", pgettext_lazy("settlement register column", "invoice number")),
    Column("invoice_net", pgettext_lazy("settlement register column", "invoice, net"), MONEY),
    Column("invoice_vat", pgettext_lazy("settlement register column", "invoice, VAT"), MONEY),
    Column(
        "invoice_gross",
        pgettext_lazy("settlement register column", "invoice, gross"),
        MONEY,
        on_page=True,
    ),
    Column("acceptance_date", pgettext_lazy("settlement register column", "acceptance date"), DATE),
]
KEYS = [column.key for column in COLUMNS]
# Selected after the columns: the object's id, for links and a stable order.
SELECT_KEYS = [*KEYS, "source_id"]
ORDER = ("ref_date", "ref_no", "process", "source_id")
OUTPUT_FIELDS = {
    TEXT: CharField,
    STATUS: CharField,
    PROCESS: CharField,
    MONEY: lambda: DecimalField(max_digits=14, decimal_places=2),
    DATE: DateField,
}


def budget_code(classification: str) -> Case:
    """The ``budget_code`` column a provider annotates: ``section-chapter-paragraph`` of
    the classification reached through ``classification`` (a path ending in ``__``), NULL
    where the row has none (the provider aliases its id as ``classification_ref``)."""
    return Case(
        When(
            classification_ref__isnull=False,
            then=Concat(
                F(classification + "section"),
                Value("-"),
                F(classification + "chapter"),
                Value("-"),
                F(classification + "paragraph"),
                output_field=CharField(),
            ),
        ),
        default=None,
        output_field=CharField(),
    )


def process_labels() -> dict[str, str]:
    return {name: str(source.label) for name, source in settlement_sources().items()}


def status_labels() -> dict[str, str]:
    """``process:state`` -> the state's label in the active language."""
    return {
        f"{name}:{value}": str(label)
        for name, source in settlement_sources().items()
        for value, label in source.states()
    }


def status_choices() -> list:
    """Grouped choices for a filter: each process's states (agreements', purchases')."""
    return [
        (source.heading, [(f"{name}:{value}", label) for value, label in source.listed_states()])
        for name, source in settlement_sources().items()
    ]


# Filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettlementFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    organisation: int | None = None
    call: int | None = None
    group: int | None = None
    classification: str = ""  # a code or its beginning: 921, 921-92105, 921-92105-2360
    status: str = ""  # process:state

    def as_json(self) -> dict:
        """The filters that are set, as JSON values (for the export log)."""
        data = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value in (None, ""):
                continue
            data[field.name] = value.isoformat() if isinstance(value, datetime.date) else value
        return data

    @classmethod
    def from_json(cls, data: dict) -> "SettlementFilters":
        values = dict(data)
        for name in ("date_from", "date_to"):
            if values.get(name):
                values[name] = datetime.date.fromisoformat(values[name])
        known = {field.name for field in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def _complete(queryset: QuerySet, keys=SELECT_KEYS) -> QuerySet:
    """Add the columns a provider does not know as typed NULLs and select ``keys``
    in the register's order."""
    missing = {
        column.key: Value(None, output_field=OUTPUT_FIELDS[column.kind]())
        for column in COLUMNS
        if column.key not in queryset.query.annotations
    }
    return queryset.annotate(**missing).order_by().values(*keys)


def _common(queryset: QuerySet, filters: SettlementFilters) -> QuerySet:
    if filters.date_from:
        queryset = queryset.filter(ref_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(ref_date__lte=filters.date_to)
    if filters.classification:
        queryset = queryset.filter(budget_code__startswith=filters.classification)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def _providers(organisation_ids: Iterable[int], filters: SettlementFilters) -> dict:
    """process -> its provider's rows with the filters applied, for the processes the
    filters leave in."""
    organisation_ids = list(organisation_ids)
    if filters.organisation is not None:
        organisation_ids = [pk for pk in organisation_ids if pk == filters.organisation]
    process = filters.status.partition(":")[0] if filters.status else None
    parts = {}
    sources = settlement_sources()
    for name, source in sources.items():
        others = [other.unit for other in sources.values() if other is not source]
        if process not in (None, name) or any(getattr(filters, u) is not None for u in others):
            continue  # another process's unit (a call, a group) is chosen
        rows = source.rows(organisation_ids=organisation_ids)
        if getattr(filters, source.unit) is not None:
            rows = rows.filter(**{source.unit_ref: getattr(filters, source.unit)})
        parts[name] = _common(rows, filters)
    return parts


def _union(parts: list[QuerySet], keys) -> QuerySet:
    if not parts:
        first = next(iter(settlement_sources().values()))
        return _complete(first.rows(organisation_ids=[]), keys).none()
    selected = [_complete(part, keys) for part in parts]
    rows = selected[0].union(*selected[1:], all=True) if len(selected) > 1 else selected[0]
    return rows.order_by(*ORDER)


def settlement_rows(
    *, organisation_ids: Iterable[int], filters: SettlementFilters | None = None
) -> QuerySet:
    """The register's rows of these organisations, filtered and ordered by date and
    number: a ``values()`` queryset with ``SELECT_KEYS`` (a UNION ALL of the
    providers that the filters leave in), for exports."""
    parts = _providers(organisation_ids, filters or SettlementFilters())
    return _union(list(parts.values()), SELECT_KEYS)


class SettlementPages:
    """The register for a page: a page is found on the cheap columns alone (date,
    number, process, id: no payment or return subqueries), then only its rows get their
    amounts. Two queries a page (the page's keys, its rows) whatever the page size and
    the register's length; ``count()`` (a third) only when a paginator asks.

    On PostgreSQL each process's keys are read in the register's order and cut after
    the page (``ORDER BY ... LIMIT`` in each part of the ``UNION ALL``), which the
    processes' indexes serve (``agreement_settlement_idx``, ``purchase_settlement_idx``
    on the organisation and the very ``ref_date`` expression), so that page 1 of 50,000
    rows reads about 50 index entries of each process instead of sorting them all
    (#18). Within one process the ``process`` key is a constant, so each part's own
    order is the register's. SQLite cannot cut the parts of a compound SELECT: there the
    union is sorted whole."""

    def __init__(self, *, organisation_ids, filters: SettlementFilters | None = None):
        self.parts = _providers(organisation_ids, filters or SettlementFilters())
        self.keys = _union(list(self.parts.values()), ORDER)

    def count(self) -> int:
        return self.keys.count()

    def page_keys(self, index: slice) -> QuerySet:
        """The keys of the rows ``index`` (a slice with a stop), in the register's
        order."""
        parts = list(self.parts.values())
        features = connections[self.keys.db].features
        if (
            len(parts) < 2
            or index.stop is None
            or not features.supports_slicing_ordering_in_compound
        ):
            return self.keys[index]
        own_order = [key for key in ORDER if key != "process"]
        cut = [_complete(part, ORDER).order_by(*own_order)[: index.stop] for part in parts]
        return cut[0].union(*cut[1:], all=True).order_by(*ORDER)[index]

    def __getitem__(self, index: slice) -> list[dict]:
        keys = [(key["process"], key["source_id"]) for key in self.page_keys(index)]
        if not keys:
            return []
        wanted = {}
        for process, source_id in keys:
            wanted.setdefault(process, []).append(source_id)
        rows = _union(
            [self.parts[process].filter(pk__in=ids) for process, ids in wanted.items()],
            SELECT_KEYS,
        )
        found = {(row["process"], row["source_id"]): row for row in rows}
        # A row that left the filters between the two queries (its state changed) is
        # skipped rather than failing the page.
        return [found[key] for key in keys if key in found]


def settlement_tuples(rows: QuerySet) -> Iterator[tuple]:
    """The rows as tuples in ``SELECT_KEYS`` order, fetched in chunks through a
    server-side cursor (PostgreSQL): memory stays constant whatever the count."""
    return rows.values_list(*SELECT_KEYS).iterator(chunk_size=CURSOR_CHUNK_ROWS)


# Files ------------------------------------------------------------------------------


def _labels() -> dict[str, dict[str, str]]:
    return {"process": process_labels(), "status": status_labels()}


def csv_chunks(rows: Iterable[tuple], counter: list[int] | None = None) -> Iterator[str]:
    """The register as CSV for Polish spreadsheets, in chunks (``documents.spreadsheets``);
    ``rows`` are tuples in ``SELECT_KEYS`` order; ``counter[0]`` counts the rows."""
    return spreadsheets.csv_chunks(COLUMNS, rows, labels=_labels(), counter=counter)


def page_cells(row: dict, labels: dict[str, dict[str, str]]) -> list:
    """The values of the page's columns of one row, labels in place of codes."""
    cells = []
    for column in COLUMNS:
        if not column.on_page:
            continue
        value = row[column.key]
        if column.kind in labels:
            value = labels[column.kind].get(value, value)
        cells.append((column, value))
    return cells


PAGE_COLUMNS = [column for column in COLUMNS if column.on_page]


def xlsx_write(rows: Iterable[tuple], target, *, progress=None, every: int = 1000) -> int:
    """The register as one XLSX sheet written to ``target`` (a path or a binary file)
    in write-only mode; ``progress(n)`` every ``every`` rows. Returns the count."""
    return spreadsheets.xlsx_write(
        COLUMNS,
        rows,
        target,
        title=pgettext("settlement register sheet", "Settlements"),
        labels=_labels(),
        widths=True,
        freeze_header=True,
        progress=progress,
        every=every,
    )
