"""Helpers of the budget tests: classification lines, a plan, and the amounts written
as the product writes them ("1 234,56 zł", DOMAIN.md section 7)."""

from decimal import Decimal

from finance.models import BudgetClassification
from finance.services.budget import plan_line_set
from finance.services.classification import ClassificationRow, classification_load

NAMES = {
    "2360": "dotacja celowa dla organizacji pożytku publicznego",
    "4300": "zakup usług pozostałych",
}


def classification(code: str, year: int = 2026) -> BudgetClassification:
    """The line ``code`` ("921-92105-2360") of ``year``, loaded through the loader."""
    section, chapter, paragraph = code.split("-")
    row = ClassificationRow(2, section, chapter, paragraph, NAMES.get(paragraph, "pozycja"))
    return classification_load(rows=[row], year=year).lines[code]


def plan(organisation, line: BudgetClassification, planned: str, actor):
    return plan_line_set(
        organisation=organisation, classification=line, planned=Decimal(planned), actor=actor
    )


def zl(text: str) -> str:
    """ "1 234,56" -> "1 234,56 zł" (how ``format_amount`` writes it)."""
    return text + " zł"
