"""Reads of the export log."""

from ..models import Export
from . import finance_organisation_ids

LOG_ORDER = ("-created_at", "-pk")


class ExportLog:
    """The export log of a user (their own exports and those made in their finance
    organisations), newest first, for a paginator: a page's keys come from a ``UNION``
    of index scans (``export_user_created_idx``, and ``export_org_created_idx`` for each
    organisation), each stopped after the page, then only the page's rows are read
    with their user and organisation. ``user OR organisation`` read every
    matching row and sorted them, so a page cost more with every export (#18)."""

    def __init__(self, user) -> None:
        # One part for the user, one for each organisation: each is one index's order
        # (``organisation IN (...)`` is not, for more than one).
        self.parts = [Export.objects.filter(user_id=user.pk)] + [
            Export.objects.filter(organisation_id=pk) for pk in finance_organisation_ids(user)
        ]

    def count(self) -> int:
        return self.parts[0].union(*self.parts[1:]).count()

    def __getitem__(self, index: slice) -> list[Export]:
        start, stop = index.start or 0, index.stop
        parts = [part.order_by(*LOG_ORDER).values("pk", "created_at")[:stop] for part in self.parts]
        # UNION, not UNION ALL: an own export of one's organisation is in two parts
        # (excluding it from one would make that part's index scan filter rows).
        keys = parts[0].union(*parts[1:]).order_by(*LOG_ORDER)[start:stop]
        ids = [key["pk"] for key in keys]
        rows = Export.objects.filter(pk__in=ids).select_related("user", "organisation")
        found = {row.pk: row for row in rows} if ids else {}
        return [found[pk] for pk in ids if pk in found]


def export_log(user) -> ExportLog:
    return ExportLog(user)
