"""Writes of finance, one module per area: payment orders here; ``batches`` (payment
batches and their bank files), ``budget`` (the plan, overrides and the budget check),
``classification`` (loading the budget classification) and ``exports`` (settlement
exports)."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from accounts.models import Organisation
from workflows import timers

from ..models import BudgetClassification, PaymentOrder


@transaction.atomic
def payment_order_create(
    *,
    organisation: Organisation,
    kind: str,
    source: models.Model,
    beneficiary_name: str,
    beneficiary_address: str,
    account_number: str,
    title: str,
    amount: Decimal,
    due_date: date,
    classification: BudgetClassification | None = None,
    actor=None,
) -> PaymentOrder:
    order = PaymentOrder(
        organisation=organisation,
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        beneficiary_name=beneficiary_name,
        beneficiary_address=beneficiary_address,
        account_number=account_number.replace(" ", ""),
        title=title[:140],
        amount=amount,
        due_date=due_date,
        classification=classification,
        created_by=actor,
    )
    order.full_clean()
    order.save()
    timers.schedule(order)  # it is born in "ordered", where its due date runs
    return order


# What the processes call (the rest is imported from its module: ``services.batches``,
# ``services.exports``).
from .budget import budget_check, plan_line_set  # noqa: E402
from .classification import (  # noqa: E402
    classification_load,
    classification_load_sample,
    classification_upload,
)

__all__ = [
    "budget_check",
    "classification_load",
    "classification_load_sample",
    "classification_upload",
    "payment_order_create",
    "plan_line_set",
]
