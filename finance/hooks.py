"""What finance offers the home page (``workflows.processes``): the payment batches
that wait for this person's approval. A batch is approved by a second finance user,
never by whoever prepared it, so each finance user sees the batches others prepared."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import organisation_ids_with
from notifications.messages import Line
from workflows.processes import Process

from .models import BatchItem, PaymentBatch
from .workflow import BatchState


@dataclass(frozen=True)
class PendingAction:
    label: str
    url: str
    due: object = None


def pending_actions(user) -> list[PendingAction]:
    if not user.is_authenticated:
        return []
    organisations = organisation_ids_with(user, Role.FINANCE)
    if not organisations:
        return []
    added_by_user = BatchItem.objects.filter(batch=OuterRef("pk"), added_by=user)
    batches = (
        PaymentBatch.objects.filter(organisation_id__in=organisations, state=BatchState.DRAFT)
        .exclude(created_by=user)
        .exclude(Exists(added_by_user))
        .filter(Exists(BatchItem.objects.filter(batch=OuterRef("pk"))))
        .order_by("execution_date", "pk")
    )
    return [
        PendingAction(
            Line(gettext_lazy("Approve payment batch %(number)s"), {"number": batch.number}),
            reverse("finance:batch", args=[batch.pk]),
            batch.execution_date,
        )
        for batch in batches
    ]


PROCESS = Process(name="finance", pending_actions=pending_actions)
