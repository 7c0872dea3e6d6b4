"""Template filters for Polish documents: ``{% load polish %}``.

- ``{{ total|amount }}`` -> "12 345,67 zł"
- ``{{ total|amount_in_words }}`` -> "dwanaście tysięcy trzysta czterdzieści pięć
  złotych 67/100"
- ``{{ signed_on|polish_date }}`` -> "23 listopada 2026 r."
- ``{{ days|polish_plural:"dzień,dni,dni" }}`` -> "5 dni" (forms for 1, for 2-4,
  for 5 and more)

An empty value (``None`` or "") renders as an empty string; anything else that is not
an amount or a date raises, so a wrong document is never produced silently.
"""

from django import template

from .. import formatting

register = template.Library()


def _empty(value) -> bool:
    return value is None or value == ""


@register.filter
def amount(value) -> str:
    return "" if _empty(value) else formatting.format_amount(value)


@register.filter
def amount_in_words(value) -> str:
    return "" if _empty(value) else formatting.amount_in_words(value)


@register.filter
def polish_date(value) -> str:
    return "" if _empty(value) else formatting.polish_date(value)


@register.filter
def polish_plural(value, forms: str) -> str:
    """``forms`` lists the noun after 1, after 2-4 and after 5, separated by commas."""
    if _empty(value):
        return ""
    one, few, many = (form.strip() for form in forms.split(","))
    return formatting.with_count(int(value), one, few, many)
