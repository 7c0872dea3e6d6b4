import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from documents.formatting import (
    amount_in_words,
    format_amount,
    plural_form,
    polish_date,
    with_count,
)

NBSP = "\u00a0"  # before "r." and the noun after a count


@pytest.mark.parametrize(
    ("value", "figures", "words"),
    [
        ("0.00", "0,00 zł", "zero złotych 00/100"),
        ("1.00", "1,00 zł", "jeden złoty 00/100"),
        ("2.00", "2,00 zł", "dwa złote 00/100"),
        ("5.00", "5,00 zł", "pięć złotych 00/100"),
        ("12.00", "12,00 zł", "dwanaście złotych 00/100"),
        ("22.00", "22,00 zł", "dwadzieścia dwa złote 00/100"),
        ("1000.00", "1 000,00 zł", "tysiąc złotych 00/100"),
        ("1000000.00", "1 000 000,00 zł", "milion złotych 00/100"),
        ("0.01", "0,01 zł", "zero złotych 01/100"),
        ("101.11", "101,11 zł", "sto jeden złotych 11/100"),
        ("5000", "5 000,00 zł", "pięć tysięcy złotych 00/100"),
        (
            "12345.67",
            "12 345,67 zł",
            "dwanaście tysięcy trzysta czterdzieści pięć złotych 67/100",
        ),
        ("2000000", "2 000 000,00 zł", "dwa miliony złotych 00/100"),
        ("124.30", "124,30 zł", "sto dwadzieścia cztery złote 30/100"),
        ("-1234.50", "-1 234,50 zł", "minus tysiąc dwieście trzydzieści cztery złote 50/100"),
    ],
)
def test_amount_in_figures_and_in_words(value, figures, words):
    assert format_amount(Decimal(value)) == figures
    assert amount_in_words(Decimal(value)) == words


def test_amounts_are_rounded_half_up_to_grosze():
    assert format_amount(Decimal("0.005")) == "0,01 zł"
    assert amount_in_words(Decimal("1.995")) == "dwa złote 00/100"
    assert amount_in_words(Decimal("1.994")) == "jeden złoty 99/100"


def test_amounts_accept_int_and_str_but_never_float():
    assert format_amount(7) == "7,00 zł"
    assert format_amount("1234.5") == "1 234,50 zł"
    with pytest.raises(TypeError, match="not float"):
        format_amount(1.5)
    with pytest.raises(ValueError, match="Not an amount"):
        amount_in_words("12,50")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 11, 23), "23 listopada 2026 r."),
        (datetime.date(2026, 1, 1), "1 stycznia 2026 r."),
        (datetime.date(2028, 2, 29), "29 lutego 2028 r."),
        (datetime.date(2026, 3, 9), "9 marca 2026 r."),
        (datetime.date(2026, 4, 30), "30 kwietnia 2026 r."),
        (datetime.date(2026, 5, 3), "3 maja 2026 r."),
        (datetime.date(2026, 6, 15), "15 czerwca 2026 r."),
        (datetime.date(2026, 7, 22), "22 lipca 2026 r."),
        (datetime.date(2026, 8, 31), "31 sierpnia 2026 r."),
        (datetime.date(2026, 9, 1), "1 września 2026 r."),
        (datetime.date(2026, 10, 10), "10 października 2026 r."),
        (datetime.date(2026, 12, 31), "31 grudnia 2026 r."),
        (datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), "23 listopada 2026 r."),
        # 23:30 UTC on New Year's Eve is already New Year's Day in Warsaw.
        (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC), "1 stycznia 2027 r."),
        (datetime.datetime(2026, 6, 30, 21, 59, tzinfo=datetime.UTC), "30 czerwca 2026 r."),
        (datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.UTC), "1 lipca 2026 r."),
    ],
)
def test_polish_date(value, expected):
    assert polish_date(value) == expected.replace(" r.", f"{NBSP}r.").replace(" ", NBSP, 1)


def test_polish_date_refuses_what_is_not_a_date():
    with pytest.raises(TypeError, match="A date or datetime is required"):
        polish_date("2026-11-23")


@pytest.mark.parametrize(
    ("count", "form"),
    [
        (0, "złotych"),
        (1, "złoty"),
        (2, "złote"),
        (4, "złote"),
        (5, "złotych"),
        (11, "złotych"),
        (12, "złotych"),
        (14, "złotych"),
        (21, "złotych"),
        (22, "złote"),
        (101, "złotych"),
        (102, "złote"),
        (112, "złotych"),
        (1000, "złotych"),
        (-2, "złote"),
    ],
)
def test_plural_form(count, form):
    assert plural_form(count, "złoty", "złote", "złotych") == form


def test_count_with_its_noun():
    forms = ("dzień", "dni", "dni")

    assert [with_count(n, *forms) for n in (1, 2, 5)] == [
        f"1{NBSP}dzień",
        f"2{NBSP}dni",
        f"5{NBSP}dni",
    ]


def test_template_filters():
    template = Template(
        "{% load polish %}{{ total|amount }}|{{ total|amount_in_words }}|"
        '{{ day|polish_date }}|{{ days|polish_plural:"dzień, dni, dni" }}|'
        "{{ missing|amount }}{{ missing|polish_date }}"
    )

    rendered = template.render(
        Context({"total": Decimal("22.05"), "day": datetime.date(2026, 11, 23), "days": 3})
    )

    assert rendered == (
        f"22,05 zł|dwadzieścia dwa złote 05/100|23{NBSP}listopada 2026{NBSP}r.|3{NBSP}dni|"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0"), "0,00 zł"),
        (Decimal("1234.56"), "1 234,56 zł"),
        (Decimal("1234567.8"), "1 234 567,80 zł"),
        (Decimal("-1000"), "-1 000,00 zł"),
        (Decimal("-0.5"), "-0,50 zł"),
        (None, ""),
        ("", ""),
    ],
)
def test_the_one_money_format_uses_plain_spaces_as_domain_md_writes_it(value, expected):
    """DOMAIN.md section 7 writes "12 345,67 zł" with ordinary spaces (U+0020)."""
    assert format_amount(value) == expected
