"""The one rule on dates of payment, for every form that takes one.

A date of payment (an order or a purchase marked paid by hand, the bank's date of a
batch's results, a grant's money returned) may not be later than today in the
project's time zone (Europe/Warsaw): nobody can record what has not happened yet. It
may precede the payment order's and the invoice's dates: the date is what the bank
statement says, and finance sometimes records a transfer made before its order (or an
invoice paid on receipt) after the fact.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FUTURE_MESSAGE = _("A date of payment cannot be later than today (%(today)s).")


def validate_paid_on(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            FUTURE_MESSAGE, code="future", params={"today": date_format(today, "j E Y")}
        )


def paid_on_problem(value: datetime.date | None) -> str | None:
    """The rule's message for ``value`` (services that check it outside a form)."""
    try:
        validate_paid_on(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None
