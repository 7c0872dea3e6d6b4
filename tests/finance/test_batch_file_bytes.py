"""A batch's CSV byte for byte and its XLSX cell for cell (values and number formats),
pinned before the three spreadsheet writers became one (``documents.spreadsheets``)."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from finance.services import batches
from tests.clients import web

from .batches_support import NOW, World

HEADER = (
    "paczka;lp.;polecenie przelewu;rodzaj;odbiorca;adres odbiorcy;numer rachunku (NRB);"
    "tytuł przelewu;kwota;termin płatności;wynik;data zapłaty;powód odrzucenia"
)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


def test_the_batch_csv_and_xlsx_are_unchanged(world):
    paid, rejected = world.order(amount="1234.50"), world.order(amount="99.99")
    batch = world.exported([paid, rejected])
    items = {item.order_id: item for item in batch.items.all()}
    batches.batch_results_record(
        batch=batch,
        actor=world.preparer,
        results=[
            batches.ItemResult(
                item_id=items[paid.pk].pk, outcome="paid", paid_on=datetime.date(2026, 11, 23)
            ),
            batches.ItemResult(
                item_id=items[rejected.pk].pk, outcome="rejected", reason="Brak rachunku"
            ),
        ],
    )

    body = web(world.preparer).get(f"/finanse/paczki/{batch.pk}/paczka.csv").content
    xlsx = web(world.preparer).get(f"/finanse/paczki/{batch.pk}/paczka.xlsx")
    assert body == (
        "\ufeff"
        + "\r\n".join(
            [
                HEADER,
                f"P/2026/0001;1;{paid.pk};transza dotacji;Stowarzyszenie Łączy Nas 1;"
                f"ul. Żółta 1, 00-001 Łódka;{paid.account_number};Mikrogrant GMŁ/2026/1 transza 1;"
                "1234,50;2026-12-01;zapłacony;2026-11-23;",
                f"P/2026/0001;2;{rejected.pk};transza dotacji;Stowarzyszenie Łączy Nas 2;"
                f"ul. Żółta 2, 00-002 Łódka;{rejected.account_number};"
                "Mikrogrant GMŁ/2026/2 transza 1;99,99;2026-12-01;odrzucony przez bank;;"
                "Brak rachunku",
            ]
        )
        + "\r\n"
    ).encode("utf-8")
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Paczka"
    rows = [[(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()]
    assert [value for value, _format in rows[0]] == HEADER.split(";")
    text = "General"
    assert rows[1:] == [
        [
            ("P/2026/0001", text),
            (1, text),
            (paid.pk, text),
            ("transza dotacji", text),
            ("Stowarzyszenie Łączy Nas 1", text),
            ("ul. Żółta 1, 00-001 Łódka", text),
            (paid.account_number, text),
            ("Mikrogrant GMŁ/2026/1 transza 1", text),
            (1234.5, "#,##0.00"),
            (datetime.datetime(2026, 12, 1), "yyyy-mm-dd"),
            ("zapłacony", text),
            (datetime.datetime(2026, 11, 23), "yyyy-mm-dd"),
            (None, text),
        ],
        [
            ("P/2026/0001", text),
            (2, text),
            (rejected.pk, text),
            ("transza dotacji", text),
            ("Stowarzyszenie Łączy Nas 2", text),
            ("ul. Żółta 2, 00-002 Łódka", text),
            (rejected.account_number, text),
            ("Mikrogrant GMŁ/2026/2 transza 1", text),
            (99.99, "#,##0.00"),
            (datetime.datetime(2026, 12, 1), "yyyy-mm-dd"),
            ("odrzucony przez bank", text),
            (None, text),
            ("Brak rachunku", text),
        ],
    ]
