"""The Elixir-O bank file of a payment batch: one line per transfer, for the bank's
bulk import of domestic transfers (import przelewów krajowych).

The layout is kept in one place, ``FIELDS`` below, and was checked against:

- Alior Bank, "Import danych do systemu Bankowości Elektronicznej Alior Bank", chapter
  ELIXIR (docplayer.pl/3544968): one transfer per line, lines separated by CR LF, no
  header or footer, code page CP1250 (Windows-1250), text fields in double quotes,
  fields separated by commas, a field of several lines (name, address, title) with
  its lines joined by "|" (0x7C); the kind of transfer (standard, high-value SORBNET,
  ZUS, tax) is told by the order code, the classification and the file extension;
- Alior Bank (formerly Bank BPH), "Opis formatu pliku płatności krajowych PLI (PLD,
  PLE, PLS)" (docplayer.pl/28038982): the standard domestic order, "zgodny z formatem
  komunikatów w systemie ELIXIR opracowanym przez Krajową Izbę Rozliczeniową";
- KIR, "Specyfikacja techniczna nr 2: zasady tworzenia i struktury (formaty)
  komunikatów" (banki.kir.pl/elixir/instrumenty-platnicze), the origin of message 110;
- "Import i eksport danych, system e25" of the cooperative banks
  (docplayer.pl/57356747): the Elixir format, one line per transfer ended by CR LF;
  encodings ISO-8859-2, UTF-8 or Windows-1250; characters it refuses in text;
- the open-source Spring Batch reader and writer of Elixir-0 in the Java package
  ``com.ontheserverside.batch.bank`` (Elixir0Mapper, Elixir0Transaction): the 16
  columns in this order, fields 5 and 10 a constant 0, fields 13 and 14 empty, text
  fields (accounts, name and address, title, classification, client-bank information)
  quoted;
- the project's DOMAIN.md section 5: type 110, classification 51 for an ordinary
  transfer. The Alior table lists the kinds of transfer, but its codes were not
  legible in the copy read: the value 51 rests on DOMAIN.md.

Where banks differ (check the importing bank's own specification before first use):

- code page: Windows-1250 here (as Alior's specification asks); DOMAIN.md notes that
  some banks take CP852 (the DOS code page), and e25 of the cooperative banks lets
  the user pick ISO-8859-2, UTF-8 or Windows-1250;
- fields 13 and 14: left empty here (``,,``); some specifications show them as an
  empty quoted string (``"",""``), which a CSV reader reads the same;
- field 16 (information client-bank) is optional; banks limit it differently (16 to
  35 characters) or ignore it: we write the payment order's reference, at most 16;
- characters: banks refuse a double quote inside text (plusbank24's import guide,
  docplayer.pl/3545104, asks for an apostrophe instead; e25 also refuses
  ``: ; & @ $``). A double quote would end the quoted field, so every kind of double
  quote becomes an apostrophe, and "|" (which separates lines) becomes "/". Colons
  and the like are kept.

Characters outside Windows-1250 do not stop the export: typographic quotes, dashes and
spaces become their plain forms, a letter with a diacritic the code page lacks loses
the diacritic (Unicode decomposition: "ñ" becomes "n"), and anything else (other
scripts, emoji) becomes "?". Polish letters are kept, as Windows-1250 bytes ("ł" is
0xB3). Text longer than 4 lines of 35 characters is cut: names and addresses are
folded at word boundaries, street and town on lines of their own where they fit.
"""

import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.validators import validate_nrb

ENCODING = "cp1250"
LINE_END = "\r\n"
LINE_WIDTH = 35
LINES = 4
ORDER_CODE = "110"  # polecenie przelewu
CLASSIFICATION = "51"  # ordinary transfer (zwykły przelew)
REFERENCE_MAX = 16


@dataclass(frozen=True)
class Transfer:
    """One transfer of the file, built from a batch item."""

    execution_date: date
    amount: Decimal
    debit_account: str  # NRB, 26 digits
    debit_party: tuple[str, ...]  # name, then address lines
    account: str  # the beneficiary's NRB
    party: tuple[str, ...]
    title: str
    reference: str = ""


@dataclass(frozen=True)
class Field:
    number: int
    name: str
    value: Callable[[Transfer], str]
    quoted: bool


def grosze(amount: Decimal) -> int:
    """The amount in grosze (1 zł = 100 gr), without separators."""
    return int(amount.quantize(Decimal("0.01")) * 100)


def sort_code(nrb: str) -> str:
    """The 8-digit sort code (numer rozliczeniowy) of the bank: digits 3 to 10 of an NRB."""
    return nrb[2:10]


# The layout, one row per field in file order (an Elixir-O message 110).
FIELDS: tuple[Field, ...] = (
    Field(1, "order code (typ komunikatu): 110 transfer", lambda t: ORDER_CODE, False),
    Field(2, "execution date, YYYYMMDD", lambda t: t.execution_date.strftime("%Y%m%d"), False),
    Field(3, "amount in grosze", lambda t: str(grosze(t.amount)), False),
    Field(4, "ordering bank's sort code", lambda t: sort_code(t.debit_account), False),
    Field(5, "zero", lambda t: "0", False),
    Field(6, "ordering party's account (NRB)", lambda t: t.debit_account, True),
    Field(7, "beneficiary's account (NRB)", lambda t: t.account, True),
    Field(8, "ordering party's name and address, 4x35", lambda t: fold(*t.debit_party), True),
    Field(9, "beneficiary's name and address, 4x35", lambda t: fold(*t.party), True),
    Field(10, "zero", lambda t: "0", False),
    Field(11, "beneficiary bank's sort code", lambda t: sort_code(t.account), False),
    Field(12, "title (szczegóły płatności), 4x35", lambda t: fold(t.title), True),
    Field(13, "empty", lambda t: "", False),
    Field(14, "empty", lambda t: "", False),
    Field(15, "classification (klasyfikacja polecenia): 51", lambda t: CLASSIFICATION, True),
    Field(
        16,
        "client-bank information (optional)",
        lambda t: clean(t.reference)[:REFERENCE_MAX],
        True,
    ),
)


# Text -------------------------------------------------------------------------------

# Double quotes of every kind and typographic single quotes become an apostrophe, "|"
# a slash, dashes and the minus sign a hyphen, special spaces and line breaks a space.
PLAIN = str.maketrans(
    {
        '"': "'",
        "\u201c": "'",
        "\u201d": "'",
        "\u201e": "'",
        "\u00ab": "'",
        "\u00bb": "'",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "|": "/",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": "",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)


def _fits(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _plain_char(char: str) -> str:
    if _fits(char):
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(_fits(c) for c in base) else "?"


def clean(text: str) -> str:
    """Text that the file can carry: Windows-1250 only, no double quote, no "|", one
    line, single spaces."""
    text = (text or "").translate(PLAIN)
    text = "".join(_plain_char(char) for char in text)
    return " ".join(text.split())


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_WIDTH, break_long_words=True, break_on_hyphens=False) or [""]


def fold(*parts: str) -> str:
    """Up to 4 lines of 35 characters joined by "|": each part on lines of its own when
    all fit, else the parts run on together, and what is past the 4th line is cut."""
    parts = tuple(p for p in (clean(part) for part in parts) if p)
    lines = [line for part in parts for line in _wrap(part)]
    if len(lines) > LINES:
        text = ", ".join(parts)
        lines = _wrap(text)
        if len(lines) > LINES:  # words too long to wrap in 4 lines: cut every 35
            lines = [text[i : i + LINE_WIDTH].strip() for i in range(0, len(text), LINE_WIDTH)]
    return "|".join(lines[:LINES])


# Accounts and the file --------------------------------------------------------------


def nrb_is_valid(number: str) -> bool:
    try:
        validate_nrb(number or "")
    except ValidationError:
        return False
    return True


def address_lines(address: str) -> tuple[str, ...]:
    """An address written on one line ("ul. Polna 1, 00-001 Testowo") as its parts."""
    return tuple(part.strip() for part in (address or "").split(",") if part.strip())


def line(transfer: Transfer) -> str:
    cells = []
    for field in FIELDS:
        value = field.value(transfer)
        cells.append(f'"{value}"' if field.quoted else value)
    return ",".join(cells)


def file_bytes(transfers: list[Transfer]) -> bytes:
    """The file: each transfer's line ended by CR LF, in Windows-1250."""
    text = "".join(line(transfer) + LINE_END for transfer in transfers)
    return text.encode(ENCODING, errors="replace")


def batch_transfers(batch) -> list[Transfer]:
    """The transfers of a batch's pending items, in the order they were added."""
    organisation = batch.organisation
    debit_party = (
        organisation.name,
        organisation.street,
        f"{organisation.postal_code} {organisation.city}",
    )
    items = batch.items.filter(outcome="pending").select_related("order").order_by("pk")
    return [
        Transfer(
            execution_date=batch.execution_date,
            amount=item.amount,
            debit_account=batch.account.number,
            debit_party=debit_party,
            account=item.order.account_number,
            party=(item.order.beneficiary_name, *address_lines(item.order.beneficiary_address)),
            title=item.order.title,
            reference=f"ZP{item.order_id}",
        )
        for item in items
    ]
