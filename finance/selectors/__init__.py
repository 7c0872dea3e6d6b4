"""Reads of finance data."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import organisation_ids_readable, organisation_ids_with

from ..models import PaymentOrder


def payment_orders_for_source(*, source: models.Model) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).order_by("due_date", "pk")


#: Who sees the organisation's money: finance and administrators.
FINANCE_ROLES = (Role.FINANCE, Role.ORG_ADMIN)


def finance_organisation_ids(user) -> list[int]:
    """The organisations whose money ``user`` may see."""
    return organisation_ids_with(user, *FINANCE_ROLES)


def finance_readable_ids(user) -> list[int]:
    """The organisations whose money ``user`` may read: their own and, read-only, the
    operators serving them (writes keep asking ``finance_organisation_ids``/roles)."""
    return organisation_ids_readable(user, *FINANCE_ROLES)
