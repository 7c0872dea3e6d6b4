"""Open data: what the product publishes of an organisation's year in two standards.

- ``threesixty``: grants as the 360Giving Data Standard (one grant per awarded
  application; a group of residents or a resident appears as an anonymised
  ``recipientIndividual``, an NGO as ``recipientOrganization``);
- ``ocds``: micro-purchases as an OCDS 1.1 release package (one release per purchase
  that left the office: tender, award, contract and its payments as transactions, with
  the net and gross amounts of OCDS 1.2 beside the 1.1 ``amount``);
- ``schemas``: the published JSON schemas, kept in ``schemas/`` (see its README), and
  the validation the tests run.

Neither carries personal data of natural persons: no names of residents, group members
or individual suppliers, no PESEL, addresses, e-mails or account numbers.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
YEARS = (2000, 2100)


def number(value: Decimal | None) -> float | None:
    """A JSON number of an amount with 2 decimal places (exact: the shortest float
    that reads back as the same decimal)."""
    return None if value is None else float(value)


def as_datetime(value) -> str | None:
    """ISO 8601 date-time with the offset; a date is its midnight in Warsaw."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(), tzinfo=WARSAW)
    return value.astimezone(WARSAW).isoformat()


def organisation_identifier(organisation) -> str:
    """The org-id.guide style identifier of a public body: its tax number (NIP)."""
    return f"PL-NIP-{organisation.nip}"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
