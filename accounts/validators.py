"""Validators for Polish identifiers, built on python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum import iban
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


def validate_nrb(value: str) -> None:
    """A Polish bank account number (NRB): 26 digits whose IBAN checksum is right."""
    digits = value.replace(" ", "")
    if not (len(digits) == 26 and digits.isdigit() and iban.is_valid("PL" + digits)):
        raise ValidationError(
            _("The account number must have 26 digits with correct check digits (NRB)."),
            code="invalid_nrb",
        )


def validate_krs(value: str) -> None:
    if not (len(value) == 10 and value.isdigit()):
        raise ValidationError(_("The KRS number must have 10 digits."), code="invalid_krs")
