"""Rules as data: value bands of one organisation may not overlap in value and time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from purchases.models import ValueBand

pytestmark = pytest.mark.django_db


def band(organisation, lower, upper, valid_from, valid_to=None) -> ValueBand:
    return ValueBand(
        organisation=organisation,
        lower_net=Decimal(lower),
        upper_net=Decimal(upper) if upper else None,
        procedure=ValueBand.Procedure.PRICE_SURVEY,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_an_overlapping_band_is_refused_and_a_later_regulation_is_not(organisation, bands):
    overlapping = band(organisation, "15000.00", "25000.00", datetime.date(2026, 1, 1))
    below_lower = band(organisation, "5000.00", "5000.00", datetime.date(2026, 1, 1))
    bands[0].valid_to = datetime.date(2026, 12, 31)
    bands[0].save(update_fields=["valid_to"])
    later = band(organisation, "0.00", "30000.00", datetime.date(2027, 1, 1))

    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    with pytest.raises(ValidationError) as inverted:
        below_lower.full_clean()

    assert refused.value.messages == [
        "Ten przedział nakłada się na przedział 0,00 zł - 20 000,00 zł: zamówienie bezpośrednie "
        "obowiązujący w tym samym czasie."
    ]
    assert inverted.value.message_dict == {
        "upper_net": ["Górna granica musi być wyższa niż dolna."]
    }
    with pytest.raises(ValidationError):  # still overlaps the open-ended price-survey band
        later.full_clean()
    for row in bands[1:]:
        row.valid_to = datetime.date(2026, 12, 31)
        row.save(update_fields=["valid_to"])
    later.full_clean()
