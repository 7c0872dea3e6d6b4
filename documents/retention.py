"""How long a stored document must be kept (the archive's retention period).

Five years counted from 1 January of the year after the one the document was stored
in (the rule for the case files of a task), so a document stored in 2026 is kept to
31 December 2031 at least; a kind for which the file plan (JRWA) says longer has its
years in ``settings.DOCUMENTS_RETENTION_YEARS``. Recorded on each document when it is
stored (``Document.retain_until``), since a later change of the rule must not shorten
what was promised for documents already in the archive.
"""

import datetime

from django.conf import settings
from django.utils import timezone

MINIMUM_YEARS = 5


def retention_years(kind: str) -> int:
    return max(MINIMUM_YEARS, settings.DOCUMENTS_RETENTION_YEARS.get(kind, MINIMUM_YEARS))


def retain_until(*, kind: str, stored_on: datetime.date | None = None) -> datetime.date:
    """The last day a document of ``kind`` stored on ``stored_on`` (today) is kept."""
    year = (stored_on or timezone.localdate()).year
    return datetime.date(year + retention_years(kind), 12, 31)
