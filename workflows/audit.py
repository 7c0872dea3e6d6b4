"""The audit trail of writes that are not transitions.

A transition is logged by the engine (``StateLog`` + ``TransitionPayload``). Every
other write that changes domain data (a return recorded, an expense found ineligible,
a call's rules edited, a plan line set, a role granted or revoked) calls
``audit_record`` in its service, inside the service's transaction, so the entry and
the change commit together. Entries are append-only (a PostgreSQL trigger).
"""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import AuditEntry


def snapshot(obj: models.Model, fields) -> dict:
    """The values of ``fields`` of ``obj`` as JSON-ready data (ids for foreign keys)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        values[name] = _jsonable(value)
    return values


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    obj: models.Model,
    actor,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry: ``actor`` (None for the system) did ``action`` on ``obj``."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def audit_entries_for(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    ).select_related("actor")
