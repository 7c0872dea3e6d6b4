"""The metropolis' figures as a spreadsheet (``documents.spreadsheets``): one row per
municipality, year and area, the same numbers as the page's table."""

from django.utils.translation import gettext_lazy as _

from documents.spreadsheets import MONEY, NUMBER, Column, csv_bytes, xlsx_bytes

from .selectors import PROCEDURES, MemberFigures

COLUMNS = [
    Column("municipality", _("municipality")),
    Column("year", _("year"), NUMBER),
    Column("area", _("area of public tasks")),
    Column("calls", _("calls"), NUMBER),
    Column("applications", _("applications submitted"), NUMBER),
    Column("grants", _("grants awarded"), NUMBER),
    Column("awarded", _("amount awarded"), MONEY),
    Column("paid", _("amount paid"), MONEY),
    Column("initiatives", _("initiatives"), NUMBER),
    Column("participants", _("participants (group members)"), NUMBER),
] + [
    column
    for procedure in PROCEDURES
    for column in (
        Column(f"{procedure.value}_count", _("purchases: %s") % procedure.label, NUMBER),
        Column(f"{procedure.value}_net", _("purchases, net: %s") % procedure.label, MONEY),
    )
]


def rows(data: MemberFigures):
    for row in data.rows:
        f = row.figures
        values = [
            row.municipality.name,
            row.year,
            row.area.name if row.area else "",
            f.calls,
            f.applications,
            f.grants,
            f.awarded,
            f.paid,
            f.initiatives,
            f.participants,
        ]
        for procedure in PROCEDURES:
            values += f.purchases[procedure]
        yield values


def figures_csv(data: MemberFigures) -> bytes:
    return csv_bytes(COLUMNS, rows(data))


def figures_xlsx(data: MemberFigures) -> bytes:
    return xlsx_bytes(COLUMNS, rows(data), title="Metropolia", widths=True, freeze_header=True)
