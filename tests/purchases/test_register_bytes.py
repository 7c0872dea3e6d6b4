"""The purchase register's CSV byte for byte and its XLSX cell for cell (values and
number formats), pinned before the three spreadsheet writers became one
(``documents.spreadsheets``), so that the move is shown to change nothing."""

import datetime
import io

from openpyxl import load_workbook

from accounts.models import Role
from purchases.models import Purchase
from tests.clients import web

from .test_register import fill, team  # noqa: F401  (team is a fixture)

HEADER = (
    "numer;tytuł;komórka zamawiająca;grupa zamówień tego samego rodzaju;kod CPV;rok budżetowy;tryb;"
    "wartość szacunkowa netto;wartość łączna netto;wykonawca;NIP wykonawcy;"
    "wartość zamówienia netto;wartość zamówienia brutto;numer faktury;faktura brutto;"
    "data odbioru;stan"
)


def test_the_csv_is_the_same_bytes(team, group):  # noqa: F811
    invoiced = fill(team, group, 2)
    draft = Purchase.objects.exclude(pk=invoiced.pk).get()
    supplier = invoiced.awarded_offer.supplier

    body = web(team[Role.FINANCE]).get("/zakupy/rejestr.csv?year=2026").content

    rows = {
        invoiced.number: (
            f"{invoiced.number};Warsztaty zafakturowane;Wydział Spraw Społecznych;{group.name};"
            f"80500000-9;2026;rozeznanie cenowe;30000,00;30000,00;{supplier.name};"
            f"{supplier.nip};28000,00;34440,00;FV 7/2026;34440,00;2026-07-01;zafakturowane"
        ),
        draft.number: (
            f"{draft.number};Potrzeba 0;Wydział Spraw Społecznych;{group.name};80500000-9;"
            f"2026;;1000,00;;;;;;;;;projekt"
        ),
    }
    lines = body.decode("utf-8").lstrip("\ufeff").split("\r\n")[1:-1]
    order = [line.split(";")[0] for line in lines]
    assert body == (
        "\ufeff" + "\r\n".join([HEADER, *(rows[number] for number in order)]) + "\r\n"
    ).encode("utf-8")


def test_the_xlsx_has_the_same_cells_and_formats(team, group):  # noqa: F811
    invoiced = fill(team, group, 1)
    supplier = invoiced.awarded_offer.supplier

    response = web(team[Role.FINANCE]).get("/zakupy/rejestr.xlsx")

    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Rejestr"
    rows = [[(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
    assert [value for value, _format in rows[0]] == HEADER.split(";")
    assert rows[1] == [
        (invoiced.number, "General"),
        ("Warsztaty zafakturowane", "General"),
        ("Wydział Spraw Społecznych", "General"),
        (group.name, "General"),
        ("80500000-9", "General"),
        (2026, "General"),
        ("rozeznanie cenowe", "General"),
        (30000, "#,##0.00"),
        (30000, "#,##0.00"),
        (supplier.name, "General"),
        (supplier.nip, "General"),
        (28000, "#,##0.00"),
        (34440, "#,##0.00"),
        ("FV 7/2026", "General"),
        (34440, "#,##0.00"),
        (datetime.datetime(2026, 7, 1, 0, 0), "yyyy-mm-dd"),
        ("zafakturowane", "General"),
    ]
    assert len(rows) == 2
