"""The organisation's rules for purchases (threshold, value bands, same-kind groups),
written from the admin: checked, saved and audited here."""

import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require
from workflows.audit import audit_record, snapshot
from workflows.errors import InvalidInput

from ..models import SameKindGroup, ValueBand
from ..models.regulation import CPV_RE
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


BAND_FIELDS = [
    "lower_net",
    "upper_net",
    "procedure",
    "suppliers_to_ask",
    "min_offers",
    "publication_days",
    "required_documents",
    "regulation",
]


CHANGE_IN_THE_PAST = _("A change takes effect today (%(today)s) or later, never in the past.")
END_IN_THE_PAST = _("A band ends today (%(today)s) or later, never in the past.")


def _not_in_the_past(day: datetime.date, *, field: str = "valid_from", message=None) -> None:
    """A change takes effect today at the earliest: the rules the past was checked
    against stay as they were."""
    today = timezone.localdate()
    if day < today:
        text = (message or CHANGE_IN_THE_PAST) % {"today": today.isoformat()}
        raise InvalidInput(field_errors={field: [text]})


def _in_organisation(organisation: Organisation, actor: User) -> None:
    role_require(actor, organisation.pk, Role.ORG_ADMIN)


@transaction.atomic
def value_band_add(
    *, organisation: Organisation, actor: User, valid_from: datetime.date, **fields
) -> ValueBand:
    """A new band in force from ``valid_from`` (today or later), open-ended."""
    _in_organisation(organisation, actor)
    _not_in_the_past(valid_from)
    band = ValueBand(organisation=organisation, valid_from=valid_from, **fields)
    return regulation_row_save(
        row=band, actor=actor, changed=["valid_from", "valid_to", *BAND_FIELDS]
    )


@transaction.atomic
def value_band_change(
    *, band: ValueBand, actor: User, valid_from: datetime.date, **fields
) -> ValueBand:
    """A new version of ``band`` from ``valid_from``: the band ends the day before and
    the new one (``fields`` over the old values) takes over until the old end. Rows in
    force before ``valid_from`` are not rewritten."""
    band = ValueBand.objects.select_for_update().get(pk=band.pk)
    _in_organisation(band.organisation, actor)
    _not_in_the_past(valid_from)
    if valid_from <= band.valid_from:
        raise InvalidInput(
            field_errors={
                "valid_from": [
                    _("The new version must start after this band's start, %(date)s.")
                    % {"date": band.valid_from.isoformat()}
                ]
            }
        )
    if band.valid_to is not None and valid_from > band.valid_to:
        raise InvalidInput(
            field_errors={
                "valid_from": [
                    _("This band ends on %(date)s; add a new band instead.")
                    % {"date": band.valid_to.isoformat()}
                ]
            }
        )
    old_end = band.valid_to
    band.valid_to = valid_from - datetime.timedelta(days=1)
    regulation_row_save(row=band, actor=actor, changed=["valid_to"])
    values = {name: getattr(band, name) for name in BAND_FIELDS} | fields
    new = ValueBand(
        organisation=band.organisation, valid_from=valid_from, valid_to=old_end, **values
    )
    return regulation_row_save(
        row=new, actor=actor, changed=["valid_from", "valid_to", *BAND_FIELDS]
    )


@transaction.atomic
def value_band_end(*, band: ValueBand, actor: User, last_day: datetime.date) -> ValueBand:
    """End ``band`` on ``last_day`` (today or later): it stays for the days before."""
    band = ValueBand.objects.select_for_update().get(pk=band.pk)
    _in_organisation(band.organisation, actor)
    _not_in_the_past(last_day, field="valid_to", message=END_IN_THE_PAST)
    if band.valid_to is not None and band.valid_to < timezone.localdate():
        raise InvalidInput(_("This band has already ended."))
    band.valid_to = last_day
    return regulation_row_save(row=band, actor=actor, changed=["valid_to"])


@transaction.atomic
def same_kind_group_save(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    cpv_codes: list[str],
    group: SameKindGroup | None = None,
) -> SameKindGroup:
    """Add a same-kind group or change its name and CPV codes. A purchase keeps the
    group it was filed under, so the past is not rewritten."""
    _in_organisation(organisation, actor)
    bad = [code for code in cpv_codes if not CPV_RE.match(code)]
    if bad or not cpv_codes:
        raise InvalidInput(
            field_errors={
                "cpv_codes": [
                    _("Give CPV codes like 80500000-9, one a line; wrong: %(codes)s.")
                    % {"codes": ", ".join(bad) or "-"}
                ]
            }
        )
    if group is None:
        group = SameKindGroup(organisation=organisation)
    elif group.organisation_id != organisation.pk:
        raise InvalidInput(_("The group belongs to another organisation."))
    changed = [n for n, v in (("name", name), ("cpv_codes", cpv_codes)) if getattr(group, n) != v]
    group.name, group.cpv_codes = name, cpv_codes
    if group.pk is None:
        changed = ["name", "cpv_codes"]
    return regulation_row_save(row=group, actor=actor, changed=changed)
