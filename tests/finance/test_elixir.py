"""The Elixir-O file of a payment batch, read back by a parser written here from the
bank specifications (not from finance.elixir): Windows-1250, one transfer per CR LF
line, comma-separated, text in double quotes, 16 fields."""

import csv
import hashlib
import io
from decimal import Decimal

import pytest
import time_machine

from finance import elixir
from finance.models import Export, PaymentBatch, PaymentOrder
from tests.clients import api
from workflows.engine import transition_apply
from workflows.errors import GuardRefused

from .batches_support import DEBIT, NOW, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


def parse(content: bytes) -> list[list[str]]:
    """Split the file as a bank's importer would."""
    text = content.decode("cp1250")
    assert text.endswith("\r\n")
    lines = text[: -len("\r\n")].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in lines)
    return [next(csv.reader(io.StringIO(line), delimiter=",", quotechar='"')) for line in lines]


def quoted_fields(line: str) -> list[int]:
    """The 1-based numbers of the fields written in double quotes."""
    numbers, field, at_start = [], 1, True
    for position, char in enumerate(line):
        if at_start and char == '"':
            numbers.append(field)
        at_start = False
        if char == "," and (line[:position].count('"') % 2 == 0):
            field += 1
            at_start = True
    return numbers


def test_an_exported_file_parses_back_field_by_field(world):
    first = world.order(amount="1500.00")
    second = world.order(
        amount="12345.67",
        beneficiary_name="Fundacja „Źródło” im. Józefa Piłsudskiego w Łodzi i okolicach",
        beneficiary_address="ul. Świętokrzyska 11/21, 00-950 Łódź",
        title="Faktura FV 7/2026 za warsztaty ceramiczne dla seniorów z osiedla Żabieniec "
        'i "Stare Polesie" – II edycja',
        kind=PaymentOrder.Kind.INVOICE,
    )
    batch = world.exported([first, second])

    content = bytes(batch.file_content)
    rows = parse(content)

    assert len(rows) == 2
    assert [len(row) for row in rows] == [16, 16]
    one, two = rows
    assert one == [
        "110",
        "20261125",
        "150000",
        "10901014",
        "0",
        DEBIT,
        first.account_number,
        f"{world.organisation.name}|ul. Ratuszowa 1|00-950 Testowo",
        "Stowarzyszenie Łączy Nas 1|ul. Żółta 1|00-001 Łódka",
        "0",
        "10901014",
        "Mikrogrant GMŁ/2026/1 transza 1",
        "",
        "",
        "51",
        f"ZP{first.pk}",
    ]
    assert two[2] == "1234567"  # grosze
    assert two[6] == second.account_number and len(two[6]) == 26 and two[6].isdigit()
    assert two[10] == second.account_number[2:10]
    # Name and address: the name folded at a word boundary, street and town on lines
    # of their own; the typographic quotes became apostrophes.
    assert two[8].split("|") == [
        "Fundacja 'Źródło' im. Józefa",
        "Piłsudskiego w Łodzi i okolicach",
        "ul. Świętokrzyska 11/21",
        "00-950 Łódź",
    ]
    # The title: lines of at most 35 characters, the straight quotes and the dash
    # made plain.
    title_lines = two[11].split("|")
    assert title_lines == [
        "Faktura FV 7/2026 za warsztaty",
        "ceramiczne dla seniorów z osiedla",
        "Żabieniec i 'Stare Polesie' - II",
        "edycja",
    ]
    assert all(len(part) <= 35 for row in rows for f in (7, 8, 11) for part in row[f].split("|"))
    # Which fields are quoted: accounts, names, title, classification, reference.
    raw_lines = content.decode("cp1250").split("\r\n")[:-1]
    assert quoted_fields(raw_lines[0]) == [6, 7, 8, 9, 12, 15, 16]
    # Polish letters are Windows-1250 bytes, and nothing is UTF-8.
    assert "ł".encode("cp1250") == b"\xb3"
    assert b"\xb3" in content and "ł".encode() not in content
    assert b"Stowarzyszenie \xa3\xb9czy Nas 1" in content  # "Łączy": Ł = A3, ą = B9
    assert content.count(b"\r\n") == 2 and content.count(b"\n") == 2
    assert batch.file_sha256 == hashlib.sha256(content).hexdigest()
    assert batch.file_name == f"przelewy-{batch.number.replace('/', '-')}.txt"


def test_text_outside_windows_1250_does_not_stop_the_export(world):
    order = world.order(
        beneficiary_name='Zespół "Ñandú" 🎻 | Ørsted Жук',
        beneficiary_address="ul. Długa 5, 00-001 Łódka",
        title="Koncert „Mañana” — 2026",
    )
    batch = world.exported([order])

    [row] = parse(bytes(batch.file_content))

    # Ñ has no Windows-1250 byte and loses its tilde; ú has one and stays; the pipe
    # (a line separator) becomes a slash; emoji, Ø and Cyrillic become "?".
    assert row[8] == "Zespół 'Nandú' ? / ?rsted ???|ul. Długa 5|00-001 Łódka"
    assert row[11] == "Koncert 'Manana' - 2026"


def test_fold_keeps_4_lines_of_35_characters():
    assert elixir.fold("a" * 200) == "|".join(["a" * 35] * 4)
    assert elixir.fold("Krótka nazwa", "ul. Polna 1", "00-001 Testowo") == (
        "Krótka nazwa|ul. Polna 1|00-001 Testowo"
    )
    long_name = "Stowarzyszenie Przyjaciół Ziemi Łódzkiej i Okolic Bardzo Długa Nazwa"
    folded = elixir.fold(long_name, "ul. Piotrkowska 100 lok. 12", "90-001 Łódź")
    assert folded.split("|") == [
        "Stowarzyszenie Przyjaciół Ziemi",
        "Łódzkiej i Okolic Bardzo Długa",
        "Nazwa, ul. Piotrkowska 100 lok. 12,",
        "90-001 Łódź",
    ]
    assert elixir.grosze(Decimal("0.01")) == 1 and elixir.grosze(Decimal("10")) == 1000


def test_a_wrong_account_checksum_refuses_the_export_and_names_the_order(world):
    good, bad = world.order(), world.order(beneficiary_name="Klub Sportowy Orzeł")
    batch = world.approved([good, bad])
    wrong = bad.account_number[:-1] + str((int(bad.account_number[-1]) + 1) % 10)
    PaymentOrder.objects.filter(pk=bad.pk).update(account_number=wrong)  # past the validator

    with pytest.raises(GuardRefused) as refused:
        transition_apply(obj=batch, name="export", actor=world.preparer)
    response = api(world.preparer).post(f"/api/v1/payment-batches/{batch.pk}/transitions/export/")

    message = (
        "To polecenie przelewu ma błędny numer rachunku (cyfry kontrolne NRB): "
        f"„Mikrogrant GMŁ/2026/2 transza 1” dla Klub Sportowy Orzeł, rachunek {wrong}. "
        "Cofnij paczkę do wersji roboczej, usuń polecenie i popraw rachunek u źródła."
    )
    assert str(refused.value.message) == message
    assert response.status_code == 409
    assert response.json() == {"detail": message}
    batch = PaymentBatch.objects.get(pk=batch.pk)
    assert batch.state == "approved"
    assert (batch.file_content, batch.file_name, batch.file_sha256) == (None, "", "")
    assert batch.exported_by is None


def test_downloading_the_file_again_gives_the_same_bytes_and_logs_each_export(world):
    batch = world.exported(world.orders(2))
    stored = bytes(batch.file_content)
    client = api(world.approver)

    first = client.get(f"/api/v1/payment-batches/{batch.pk}/file/")
    PaymentOrder.objects.update(beneficiary_name="Zmieniona nazwa")  # the file does not move
    second = client.get(f"/api/v1/payment-batches/{batch.pk}/file/")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content == stored
    assert first["Content-Type"] == "text/plain; charset=windows-1250"
    assert first["Content-Disposition"] == f'attachment; filename="{batch.file_name}"'
    exports = list(
        Export.objects.order_by("pk").values(
            "kind", "format", "user", "organisation", "filters", "rows_total", "status"
        )
    )
    assert (
        exports
        == [
            {
                "kind": "batch",
                "format": "elixir",
                "user": world.approver.pk,
                "organisation": world.organisation.pk,
                "filters": {"batch": batch.pk},
                "rows_total": 2,
                "status": "done",
            }
        ]
        * 2
    )
