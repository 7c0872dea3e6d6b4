"""Data of the micro-purchase process (the process itself is in ``workflow.py``)."""

from .purchases import (
    Annex,
    Criterion,
    Invitation,
    Invoice,
    Offer,
    Purchase,
    attachment_path,
)
from .regulation import (
    CPV_RE,
    ZERO,
    AggregationCounter,
    EffectiveDated,
    SameKindGroup,
    ThresholdSetting,
    ValueBand,
    money,
    validate_cpv,
)
from .suppliers import SUPPLIER_FIELDS, Supplier

__all__ = [
    "CPV_RE",
    "SUPPLIER_FIELDS",
    "ZERO",
    "AggregationCounter",
    "Annex",
    "Criterion",
    "EffectiveDated",
    "Invitation",
    "Invoice",
    "Offer",
    "Purchase",
    "SameKindGroup",
    "Supplier",
    "ThresholdSetting",
    "ValueBand",
    "attachment_path",
    "money",
    "validate_cpv",
]
