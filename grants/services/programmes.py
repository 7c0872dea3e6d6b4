"""A draft call started from a published programme (``metropolis.models.Programme``):
another municipality's rules, criteria, cost categories and checklist, copied into a
new call of the official's organisation in one action. The official then sets its
dates, code and budget line and publishes it as any other call."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require
from areas.models import Area
from workflows.audit import audit_record

from ..models import Call
from .calls import call_create


def _free_code(organisation: Organisation, year: int) -> str:
    used = set(
        Call.objects.filter(organisation=organisation, year=year).values_list("code", flat=True)
    )
    n = 1
    while f"P{n}" in used:
        n += 1
    return f"P{n}"


@transaction.atomic
def call_create_from_programme(*, programme, organisation: Organisation, actor: User) -> Call:
    from metropolis.services import draft_dates

    role_require(actor, organisation.pk, Role.OFFICIAL)
    now = timezone.now()
    opens_at, closes_at = draft_dates(now)
    year = opens_at.year
    rules = dict(programme.rules)
    # The programme names its area by code; a retired area is not carried over.
    rules["area"] = Area.objects.active().filter(code=rules.pop("area", None) or "").first()
    call = call_create(
        organisation=organisation,
        actor=actor,
        criteria=programme.criteria,
        cost_categories=[
            {
                "name": c["name"],
                "cap_share": None if c.get("cap_share") is None else Decimal(c["cap_share"]),
            }
            for c in programme.cost_categories
        ],
        checklist=programme.checklist,
        code=_free_code(organisation, year),
        title=programme.title,
        description=programme.description,
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        **rules,
    )
    audit_record(
        obj=call,
        actor=actor,
        action="call_create_from_programme",
        after={"programme": programme.pk, "slug": programme.slug},
    )
    return call
