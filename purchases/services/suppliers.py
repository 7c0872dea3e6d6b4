"""The supplier registry (rejestr wykonawców)."""

from django.db import transaction

from accounts.models import Organisation, User
from workflows.audit import audit_record, changes, snapshot

from ..models import (
    Supplier,
)
from .common import (
    _full_clean,
)


def _normalise_account(value: str) -> str:
    value = value.replace(" ", "").upper()
    return value[2:] if value.startswith("PL") else value


@transaction.atomic
def supplier_create(*, organisation: Organisation, **fields) -> Supplier:
    """Register a supplier; one per NIP in an organisation's registry."""
    fields["bank_account"] = _normalise_account(fields.get("bank_account", ""))
    fields["nip"] = fields.get("nip", "").replace("-", "").replace(" ", "")
    supplier = Supplier(organisation=organisation, **fields)
    _full_clean(supplier)
    supplier.save()
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, actor: User | None = None, **fields) -> Supplier:
    """Change a supplier's data; the audit trail keeps what changed (a bank account
    above all)."""
    if "bank_account" in fields:
        fields["bank_account"] = _normalise_account(fields["bank_account"])
    before = snapshot(supplier, list(fields))
    for name, value in fields.items():
        setattr(supplier, name, value)
    _full_clean(supplier)
    supplier.save(update_fields=list(fields))
    old, new = changes(before, snapshot(supplier, list(fields)))
    if new:
        audit_record(obj=supplier, actor=actor, action="supplier_update", before=old, after=new)
    return supplier
