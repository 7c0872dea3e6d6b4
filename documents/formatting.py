"""Polish formatting for documents: amounts in figures and in words, dates, and the
grammatical number of nouns after a numeral.

These are pure functions that ignore the active language, so an agreement says the
same thing whatever language the official's browser uses; the only setting they read
is the time zone, to turn an aware datetime into a local date. The template filters in
``documents.templatetags.polish`` call them.

Amounts are written one way everywhere a person reads them, in pages, messages,
e-mails and documents: "12 345,67 zł", with ordinary spaces between digit groups and
before the currency, exactly as the product's domain brief (DOMAIN.md, section 7)
writes them; ``format_amount`` is the one function that does it (pages load it as the
``amount`` filter of ``{% load polish %}``). The word after a numeral and the "r."
after a year are joined to what precedes them by a no-break space (U+00A0), so a line
never breaks inside "5 dni" or "2026 r.".
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from num2words import num2words

GROUP_SEPARATOR = " "  # between digit groups: "12 345,67 zł" (DOMAIN.md, section 7)
CURRENCY_SEPARATOR = " "
NBSP = "\u00a0"
CURRENCY = "zł"
CENT = Decimal("0.01")

MONTHS_GENITIVE = (
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
)

ZLOTY_FORMS = ("złoty", "złote", "złotych")


def to_money(value) -> Decimal:
    """``value`` as a Decimal rounded to grosze (half up, as accounting does).

    Floats are refused: money is Decimal from the database to the document.
    """
    if isinstance(value, float):
        raise TypeError("Amounts must be Decimal, int or str, not float.")
    if isinstance(value, bool):
        raise TypeError("An amount cannot be a boolean.")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """The form of a noun after the integer ``count``: 1 dzień, 2 dni, 5 dni, 22 dni.

    Polish uses ``one`` for exactly 1, ``few`` when the last digit is 2-4 except for
    12-14, and ``many`` otherwise (0, 5-21, 25-31, 112, ...).
    """
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError("The count must be an integer.")
    count = abs(count)
    if count == 1:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def share_percent(share) -> Decimal | None:
    """A share as the rules keep it (0.1, "0.1000") in percent to two places (10.00);
    ``None`` (or "") when there is no share."""
    if share is None or share == "":
        return None
    return (Decimal(share) * 100).quantize(Decimal("0.01"))


def format_amount(value) -> str:
    """ "12 345,67 zł": grouped digits, a decimal comma, two decimals, the currency;
    "-1 000,00 zł" below zero, "" for no amount (``None`` or "")."""
    if value is None or value == "":
        return ""
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{GROUP_SEPARATOR.join(groups)},{cents}{CURRENCY_SEPARATOR}{CURRENCY}"


def amount_in_words(value) -> str:
    """The amount as agreements write it: złote in words, grosze as a fraction.

    12345.67 -> "dwanaście tysięcy trzysta czterdzieści pięć złotych 67/100".
    """
    amount = to_money(value)
    zlote, grosze = divmod(int(abs(amount) * 100), 100)
    words = num2words(zlote, lang="pl")
    zloty = plural_form(zlote, *ZLOTY_FORMS)
    sign = "minus " if amount < 0 else ""
    return f"{sign}{words} {zloty} {grosze:02d}/100"


def polish_date(value: datetime.date) -> str:
    """ "23 listopada 2026 r.". An aware datetime is first converted to the local time
    zone (Europe/Warsaw), so a time just before midnight UTC gives the next day."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        raise TypeError("A date or datetime is required.")
    return f"{value.day}{NBSP}{MONTHS_GENITIVE[value.month - 1]} {value.year}{NBSP}r."


def with_count(count: int, one: str, few: str, many: str) -> str:
    """ "5 dni": the count and the noun in the form it requires, never split by a line
    break."""
    return f"{count}{NBSP}{plural_form(count, one, few, many)}"
