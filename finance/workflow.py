"""The payment order's process: ordered, then paid (with the bank's date) or cancelled."""

from datetime import timedelta

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from notifications.effects import notify
from notifications.recipients import role
from workflows.rules import has_role
from workflows.timers import StateTimer, end_of_day
from workflows.transitions import workflow_transition

TO_OFFICIALS = role(Role.OFFICIAL)
TO_FINANCE = role(Role.FINANCE)


class PaymentState(models.TextChoices):
    ORDERED = "ordered", pgettext_lazy("payment order state", "ordered")
    BATCHED = "batched", pgettext_lazy("payment order state", "in a batch")
    PAID = "paid", pgettext_lazy("payment order state", "paid")
    CANCELLED = "cancelled", pgettext_lazy("payment order state", "cancelled")


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000)


class PaymentOrderWorkflow:
    """Mixed into ``PaymentOrder``; reads top to bottom as the process."""

    timers = (
        StateTimer(
            state=PaymentState.ORDERED,
            due=lambda order: end_of_day(order.due_date),
            reminders=(timedelta(days=2),),
            remind=TO_FINANCE,
            overdue_to=TO_OFFICIALS,
            label=_("payment due"),
        ),
    )

    @workflow_transition(
        source=PaymentState.ORDERED,
        target=PaymentState.PAID,
        label=_("Mark as paid"),
        permission=has_role(Role.FINANCE),
        form=MarkPaidForm,
        effects=[notify(TO_OFFICIALS)],
    )
    def mark_paid(self, *, actor, paid_on):
        self.paid_on = paid_on

    @workflow_transition(
        source=PaymentState.ORDERED,
        target=PaymentState.CANCELLED,
        label=_("Cancel the payment order"),
        permission=has_role(Role.FINANCE),
        form=CancelForm,
        effects=[notify(TO_OFFICIALS, essential=True)],
    )
    def cancel(self, *, actor, reason):
        pass


class BatchState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payment batch state", "draft")
    APPROVED = "approved", pgettext_lazy("payment batch state", "approved")
    EXPORTED = "exported", pgettext_lazy("payment batch state", "exported to the bank")
    PAID = "paid", pgettext_lazy("payment batch state", "paid")
    CANCELLED = "cancelled", pgettext_lazy("payment batch state", "cancelled")


class PaymentBatchWorkflow:
    """Mixed into ``PaymentBatch``; reads top to bottom as the process."""
