"""Checks of finance that guards, forms and services ask: each returns the problem's
text, or ``None`` when there is none."""

from django.utils.translation import gettext as _

from .models import BudgetClassification


def classification_year_problem(
    classification: BudgetClassification | None, year: int | None
) -> str | None:
    """A call or purchase of a budget year points at a classification line of that year
    (the classification changes from year to year)."""
    if classification is None or year is None or classification.year == year:
        return None
    return _(
        "Choose a line of the budget classification for %(year)d; %(code)s is a line of %(other)d."
    ) % {"year": year, "code": classification.code, "other": classification.year}
