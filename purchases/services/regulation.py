"""The organisation's rules for purchases (threshold, value bands, same-kind groups),
written from the admin: checked, saved and audited here."""

from django.db import models, transaction

from accounts.models import User
from workflows.audit import audit_record, snapshot

from .common import _full_clean


@transaction.atomic
def regulation_row_save(*, row: models.Model, actor: User, changed: list[str]) -> models.Model:
    """Save a row of the rules as the admin changed it (``changed``: the fields it
    changed) and keep what changed in the audit trail. Rules are not deleted: a row ends
    with its ``valid_to``."""
    created = row.pk is None
    before = {} if created else snapshot(type(row).objects.get(pk=row.pk), changed)
    _full_clean(row)
    row.save()
    if created or changed:
        audit_record(
            obj=row,
            actor=actor,
            action=f"{row._meta.model_name}_{'create' if created else 'update'}",
            before=before,
            after=snapshot(row, changed),
        )
    return row
