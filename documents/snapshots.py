"""A document's data as JSON that comes back as it went in.

A document shows the data of the moment its transition happened, so its context is
built in that transaction and kept in the outbox until the rendering task runs
(``documents.services.document_render_later``). Contexts hold plain values; JSON
keeps strings, numbers, lists and dicts, and these functions tag the rest so that a
template receives the same ``Decimal``, ``date`` and ``datetime`` it would have
received from the builder, and the stored document's hash is the same.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

TAG = "__snapshot__"


@dataclass(frozen=True)
class OwnerAttribute:
    """A value the rendering reads from the document's owner instead of the snapshot:
    one set later in the same transaction that never changes after. An application's
    number is taken as the submit's last step, after the document's context is built,
    so that the call's counter row stays locked for the number alone (#18)."""

    name: str


def context_freeze(value):
    """``value`` as JSON-ready data; raises ``TypeError`` on anything but plain values
    (a model instance, say: a builder must read what the template needs)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, OwnerAttribute):
        return {TAG: "owner", "value": value.name}
    if isinstance(value, Decimal):
        return {TAG: "decimal", "value": str(value)}
    if isinstance(value, datetime.datetime):
        return {TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {TAG: "date", "value": value.isoformat()}
    if isinstance(value, dict):
        return {str(key): context_freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_freeze(item) for item in value]
    raise TypeError(f"A document's context holds plain values, not {type(value).__name__}.")


_THAW = {
    "decimal": Decimal,
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
}


def context_thaw(value, owner=None):
    """The values ``context_freeze`` was given; an ``OwnerAttribute`` read from
    ``owner`` (the document's owner, as the rendering task reads it)."""
    if isinstance(value, dict):
        kind = value.get(TAG)
        if kind == "owner" and len(value) == 2:
            return getattr(owner, value["value"])
        if kind is not None and len(value) == 2:
            return _THAW[kind](value["value"])
        return {key: context_thaw(item, owner) for key, item in value.items()}
    if isinstance(value, list):
        return [context_thaw(item, owner) for item in value]
    return value
