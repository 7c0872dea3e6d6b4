"""Validators for Polish identifiers, built on python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.pl import nip, regon


def validate_nip(value: str) -> None:
    try:
        nip.validate(value)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("NIP must have 10 digits with a correct check digit."), code="invalid_nip"
        ) from None


def validate_regon(value: str) -> None:
    try:
        regon.validate(value)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("REGON must have 9 or 14 digits with a correct check digit."),
            code="invalid_regon",
        ) from None
