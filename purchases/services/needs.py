"""The need: a purchase drafted, changed, and the group's aggregation lock."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from areas.models import Area
from finance.models import BudgetClassification
from workflows.errors import Conflict, InvalidInput
from workflows.versioning import version_bump, version_check

from ..models import (
    AggregationCounter,
    Criterion,
    Purchase,
    SameKindGroup,
)
from ..workflow import PurchaseState
from .common import (
    DRAFT_FIELDS,
    _full_clean,
    gross_for,
)


def _check_need(purchase: Purchase) -> None:
    errors: dict[str, list[str]] = {}
    if purchase.group.organisation_id != purchase.organisation_id:
        errors["group"] = [_("Choose a group of your organisation.")]
    elif purchase.cpv_code and not purchase.group.covers(purchase.cpv_code):
        errors["cpv_code"] = [
            _("The CPV code %(code)s is not in the group “%(group)s” (%(codes)s).")
            % {
                "code": purchase.cpv_code,
                "group": purchase.group.name,
                "codes": ", ".join(purchase.group.cpv_codes),
            }
        ]
    if (
        purchase.planned_end
        and purchase.planned_start
        and purchase.planned_end < purchase.planned_start
    ):
        errors["planned_end"] = [_("The planned end cannot be before the planned start.")]
    if errors:
        raise InvalidInput(field_errors=errors)


def _check_criteria(criteria: list[dict]) -> list[Criterion]:
    rows = []
    for i, item in enumerate(criteria):
        criterion = Criterion(
            name=item.get("name", ""),
            weight=item.get("weight"),
            is_price=bool(item.get("is_price", False)),
            description=item.get("description", ""),
            order=i,
        )
        try:
            criterion.full_clean(exclude=["purchase"])
        except ValidationError as exc:
            raise InvalidInput(
                field_errors={
                    f"criteria.{i}.{k}": [str(m) for m in v] for k, v in exc.message_dict.items()
                }
            ) from None
        rows.append(criterion)
    if sum(1 for c in rows if c.is_price) > 1:
        raise InvalidInput(field_errors={"criteria": [_("Give the price criterion once.")]})
    return rows


@transaction.atomic
def purchase_create(
    *,
    organisation: Organisation,
    actor: User,
    requesting_unit: str,
    title: str,
    expected_result: str,
    group: SameKindGroup,
    cpv_code: str,
    estimated_net: Decimal,
    vat_rate: str,
    estimation_method: str,
    estimated_on: datetime.date,
    estimated_by: str,
    legal_basis: str,
    planned_start: datetime.date,
    planned_end: datetime.date,
    classification: BudgetClassification | None = None,
    area: Area | None = None,
    criteria: list[dict] | None = None,
) -> Purchase:
    """Register a need as a draft; without criteria, price weighs 100%."""
    purchase = Purchase(
        organisation=organisation,
        requested_by=actor,
        requesting_unit=requesting_unit,
        area=area,
        title=title,
        expected_result=expected_result,
        group=group,
        cpv_code=cpv_code,
        estimated_net=estimated_net,
        vat_rate=vat_rate,
        estimated_gross=Decimal(0),
        estimation_method=estimation_method,
        estimated_on=estimated_on,
        estimated_by=estimated_by,
        classification=classification,
        legal_basis=legal_basis,
        planned_start=planned_start,
        planned_end=planned_end,
        year=planned_start.year if planned_start else 0,
    )
    _check_need(purchase)
    purchase.estimated_gross = gross_for(net=estimated_net, vat_rate=vat_rate)
    _full_clean(purchase, exclude=["number"])
    rows = _check_criteria(
        criteria
        if criteria is not None
        else [{"name": _("price"), "weight": 100, "is_price": True}]
    )
    purchase.save()
    purchase.number = f"{organisation.short_name}/ZP/{purchase.year}/{purchase.pk}"
    purchase.save(update_fields=["number"])
    for row in rows:
        row.purchase = purchase
    Criterion.objects.bulk_create(rows)
    return purchase


@transaction.atomic
def purchase_update(
    *,
    purchase: Purchase,
    actor: User,
    criteria: list[dict] | None = None,
    expected_version: int | None = None,
    **fields,
) -> Purchase:
    """Change a draft's need (and its criteria, when given)."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    if purchase.state != PurchaseState.DRAFT:
        raise Conflict(_("Only a draft can be changed."))
    version_check(purchase, expected_version)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise InvalidInput(field_errors={k: [_("This field cannot be changed.")] for k in unknown})
    for name, value in fields.items():
        setattr(purchase, name, value)
    purchase.year = purchase.planned_start.year
    _check_need(purchase)
    purchase.estimated_gross = gross_for(net=purchase.estimated_net, vat_rate=purchase.vat_rate)
    _full_clean(purchase)
    changed = [*fields, "year", "estimated_gross", *version_bump(purchase)]
    purchase.save(update_fields=[f for f in dict.fromkeys(changed)])
    if criteria is not None:
        rows = _check_criteria(criteria)
        purchase.criteria.all().delete()
        for row in rows:
            row.purchase = purchase
        Criterion.objects.bulk_create(rows)
    return purchase


def aggregation_lock(purchase: Purchase) -> None:
    """Serialise admissions in the purchase's (organisation, group, year) until the
    transaction ends: a row of ``AggregationCounter`` locked with SELECT ... FOR UPDATE."""
    counter, _created = AggregationCounter.objects.get_or_create(
        organisation_id=purchase.organisation_id, group_id=purchase.group_id, year=purchase.year
    )
    AggregationCounter.objects.select_for_update().filter(pk=counter.pk).exists()
