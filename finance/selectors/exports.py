"""Reads of the export log."""

from django.db import connections
from django.db.models import Q

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
        organisation_ids = list(finance_organisation_ids(user))
        self.parts = [Export.objects.filter(user_id=user.pk)] + [
            Export.objects.filter(organisation_id=pk) for pk in organisation_ids
        ]
        # The count (a page past the end only), and the pages on SQLite (the embedded
        # mode), which cannot cut the parts of a compound SELECT: one ``OR``.
        self.whole = Export.objects.filter(
            Q(user_id=user.pk) | Q(organisation_id__in=organisation_ids)
        )

    def count(self) -> int:
        return self.whole.count()

    def __getitem__(self, index: slice) -> list[Export]:
        start, stop = index.start or 0, index.stop
        features = connections[self.whole.db].features
        if len(self.parts) == 1 or not features.supports_slicing_ordering_in_compound:
            keys = self.whole.order_by(*LOG_ORDER).values("pk", "created_at")[start:stop]
            return self._rows([key["pk"] for key in keys])
        parts = [part.order_by(*LOG_ORDER).values("pk", "created_at")[:stop] for part in self.parts]
        # UNION, not UNION ALL: an own export of one's organisation is in two parts
        # (excluding it from one would make that part's index scan filter rows).
        keys = parts[0].union(*parts[1:]).order_by(*LOG_ORDER)[start:stop]
        return self._rows([key["pk"] for key in keys])

    def _rows(self, ids: list[int]) -> list[Export]:
        rows = Export.objects.filter(pk__in=ids).select_related("user", "organisation")
        found = {row.pk: row for row in rows} if ids else {}
        return [found[pk] for pk in ids if pk in found]


def export_log(user) -> ExportLog:
    return ExportLog(user)
