"""Reads of finance data."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from accounts.models import Role

from ..models import PaymentOrder


def payment_orders_for_source(*, source: models.Model) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).order_by("due_date", "pk")


def finance_organisation_ids(user) -> list[int]:
    """The organisations whose money ``user`` may see: finance and administrators."""
    if not user.is_authenticated:
        return []
    return user.organisation_ids(Role.FINANCE, Role.ORG_ADMIN)
