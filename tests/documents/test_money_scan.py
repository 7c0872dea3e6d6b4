"""The scanner of the money-format tests finds what it must (a scanner that never
complains would prove nothing)."""

import pytest

from tests.money_scan import amounts_written_otherwise


@pytest.mark.parametrize(
    "text",
    ["6374.00 zł", "20000,00 zł", "1500.00 PLN", "3\u202f000,00\u00a0zł", "20 000 zł", "5,5 zł"],
)
def test_the_scanner_flags_every_other_way_of_writing_an_amount(text):
    assert amounts_written_otherwise({"x": f"Kwota: {text}."}) == {"x": [text]}


@pytest.mark.parametrize(
    "text", ["20 000,00 zł", "0,00 zł", "-1 000,00 zł", "1 234 567,80 zł", "Lp. 1 3 000,00 zł"]
)
def test_the_scanner_accepts_the_one_format(text):
    assert amounts_written_otherwise({"x": f"Kwota: {text}. Kwota (zł): brak."}) == {}
