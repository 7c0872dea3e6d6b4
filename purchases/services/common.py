"""Helpers and constants every part of the process uses."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from workflows.errors import InvalidInput

CENT = Decimal("0.01")
VAT_PERCENT = {"23": 23, "8": 8, "5": 5, "0": 0, "zw": 0}
TOKEN_SALT = "purchases.invitation"  # noqa: S105 - a signing salt, not a secret
DRAFT_FIELDS = [
    "requesting_unit",
    "area",
    "title",
    "expected_result",
    "group",
    "cpv_code",
    "estimated_net",
    "vat_rate",
    "estimation_method",
    "estimated_on",
    "estimated_by",
    "classification",
    "legal_basis",
    "planned_start",
    "planned_end",
]


def _validation_to_invalid(exc: ValidationError) -> InvalidInput:
    if hasattr(exc, "error_dict"):
        return InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        )
    return InvalidInput(field_errors={"__all__": [str(m) for m in exc.messages]})


def _full_clean(obj, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise _validation_to_invalid(exc) from None


def gross_for(*, net: Decimal, vat_rate: str) -> Decimal:
    """Gross from net and a VAT rate, rounded half up to grosze."""
    percent = Decimal(VAT_PERCENT[vat_rate])
    return (net * (100 + percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
