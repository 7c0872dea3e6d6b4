"""The processes of finance, read top to bottom.

- ``PaymentOrder`` (polecenie przelewu): money owed to a beneficiary, a grant tranche
  or a purchase invoice. ordered -> paid by hand (``mark_paid``, with the bank's date)
  or cancelled; or ordered -> batched (in a payment batch) -> paid with the bank's date,
  or back to ordered when the batch lets it go (removed from a draft, batch cancelled)
  or when the bank rejected the transfer; then a later batch pays it.
- ``PaymentBatch`` (paczka przelewów): draft (prepared by a finance user) -> approved
  (by a second finance user, never one who prepared it) -> exported (the Elixir-O file
  for the bank, kept on the batch) -> paid: all at once with one bank date, or order
  by order (paid or rejected) until nothing is pending. A draft or an approved batch
  may be cancelled, which returns its orders to the queue.

An order moves in and out of a batch only through ``finance.services.batches``, which writes the
batch item first and runs the order's batch transitions, declared ``system_only``, as a
step of its own work (``transition_apply(..., system=True)``); pages and the API refuse
them. So an order is
never "in a batch" without its item, and an order paid once cannot be paid again.
Transition bodies change their own object; the rows they bring along (items, the
orders of a batch, the bank file) are written by ``finance.services.batches``, imported lazily.

Timers: an ordered order reminds finance before its due date and is overdue after it.
A batched order has no timer of its own: its batch has one, on the execution date,
while the batch is a draft or approved (not yet sent to the bank). A rejected transfer
comes back to ordered, where the due-date timer is set again (and fires at once if the
due date has passed). Once exported the bank has the transfers; the bank's results,
not a clock, settle the batch.
"""

from datetime import timedelta

from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.effects import notify
from notifications.recipients import role
from workflows.rules import Rule, has_role
from workflows.timers import StateTimer, end_of_day
from workflows.transitions import guard, workflow_transition

from . import messages
from .validators import validate_paid_on

TO_OFFICIALS = role(Role.OFFICIAL)
TO_FINANCE = role(Role.FINANCE)
FINANCE = has_role(Role.FINANCE)

# With ``system_only=True``: the batch service runs these for a finance user.
THROUGH_A_BATCH = Rule(FINANCE, _("finance, through a payment batch"))


def _batches():
    from .services import batches

    return batches


# Payment order ----------------------------------------------------------------------


class PaymentState(models.TextChoices):
    ORDERED = "ordered", pgettext_lazy("payment order state", "ordered")
    BATCHED = "batched", pgettext_lazy("payment order state", "in a batch")
    PAID = "paid", pgettext_lazy("payment order state", "paid")
    CANCELLED = "cancelled", pgettext_lazy("payment order state", "cancelled")


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), validators=[validate_paid_on])


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), max_length=500)


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
        permission=FINANCE,
        form=MarkPaidForm,
        effects=[notify(TO_OFFICIALS, message=messages.ORDER_PAID)],
    )
    def mark_paid(self, *, actor, paid_on):
        self.paid_on = paid_on

    @workflow_transition(
        source=PaymentState.ORDERED,
        target=PaymentState.CANCELLED,
        label=_("Cancel the payment order"),
        permission=FINANCE,
        form=CancelForm,
        effects=[notify(TO_OFFICIALS, essential=True, message=messages.ORDER_CANCELLED)],
    )
    def cancel(self, *, actor, reason):
        pass

    @workflow_transition(
        source=PaymentState.ORDERED,
        target=PaymentState.BATCHED,
        label=_("Include in a payment batch"),
        permission=THROUGH_A_BATCH,
        system_only=True,
    )
    def include_in_batch(self, *, actor):
        pass

    @workflow_transition(
        source=PaymentState.BATCHED,
        target=PaymentState.ORDERED,
        label=_("Return to the queue of unpaid orders"),
        permission=THROUGH_A_BATCH,
        system_only=True,
    )
    def release(self, *, actor):
        pass

    @workflow_transition(
        source=PaymentState.BATCHED,
        target=PaymentState.ORDERED,
        label=_("Record the bank's rejection"),
        permission=THROUGH_A_BATCH,
        system_only=True,
        form=RejectForm,
        effects=[notify(TO_OFFICIALS, TO_FINANCE, essential=True, message=messages.ORDER_REJECTED)],
    )
    def reject(self, *, actor, reason):
        pass

    @workflow_transition(
        source=PaymentState.BATCHED,
        target=PaymentState.PAID,
        label=_("Confirm paid by the bank"),
        permission=THROUGH_A_BATCH,
        system_only=True,
        form=MarkPaidForm,
        effects=[notify(TO_OFFICIALS, message=messages.ORDER_PAID)],
    )
    def confirm_paid(self, *, actor, paid_on):
        self.paid_on = paid_on


# Payment batch ----------------------------------------------------------------------


class BatchState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payment batch state", "draft")
    APPROVED = "approved", pgettext_lazy("payment batch state", "approved")
    EXPORTED = "exported", pgettext_lazy("payment batch state", "exported to the bank")
    PAID = "paid", pgettext_lazy("payment batch state", "paid")
    CANCELLED = "cancelled", pgettext_lazy("payment batch state", "cancelled")


def _prepared_by(batch, actor) -> bool:
    """Whoever created the batch or added any order to it prepared it."""
    return batch.created_by_id == actor.pk or batch.items.filter(added_by_id=actor.pk).exists()


SECOND_FINANCE_USER = Rule(
    lambda batch, actor: FINANCE(batch, actor) and not _prepared_by(batch, actor),
    _("a second finance user (not one who prepared the batch)"),
)


class BankDateForm(forms.Form):
    paid_on = forms.DateField(
        label=_("paid on (the bank's date)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_paid_on],
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000)


@guard(_("has orders"))
def has_pending_items(batch):
    if batch.items.filter(outcome="pending").exists():
        return None
    return gettext("Add at least one payment order to the batch first.")


@guard(_("account numbers valid"))
def accounts_valid(batch):
    """Every NRB in the file has right check digits: the debit account and each
    beneficiary's (an order's account may have been changed around its validator)."""
    from .elixir import nrb_is_valid

    if not nrb_is_valid(batch.account.number):
        return gettext(
            "The debit account %(account)s has a wrong account number (NRB check digits). "
            "Correct the bank account or choose another one."
        ) % {"account": batch.account.number}
    wrong = [
        item.order
        for item in batch.items.filter(outcome="pending").select_related("order").order_by("pk")
        if not nrb_is_valid(item.order.account_number)
    ]
    if not wrong:
        return None
    listed = "; ".join(
        gettext("“%(title)s” for %(beneficiary)s, account %(account)s")
        % {"title": o.title, "beneficiary": o.beneficiary_name, "account": o.account_number}
        for o in wrong
    )
    return ngettext(
        "This payment order has a wrong account number (NRB check digits): %(orders)s. "
        "Return the batch to draft, remove the order and correct the account at its source.",
        "These payment orders have a wrong account number (NRB check digits): %(orders)s. "
        "Return the batch to draft, remove the orders and correct the accounts at their "
        "source.",
        len(wrong),
    ) % {"orders": listed}


@guard(_("execution date not past"))
def execution_date_not_past(batch):
    if batch.execution_date >= timezone.localdate():
        return None
    return gettext(
        "The execution date %(date)s has passed. Return the batch to draft and set a new date."
    ) % {"date": date_format(batch.execution_date, "j E Y")}


@guard(_("nothing pending"))
def nothing_pending(batch):
    pending = batch.items.filter(outcome="pending").count()
    if not pending:
        return None
    return ngettext(
        "%(count)d transfer still waits for the bank's result.",
        "%(count)d transfers still wait for the bank's result.",
        pending,
    ) % {"count": pending}


class PaymentBatchWorkflow:
    """Mixed into ``PaymentBatch``; reads top to bottom as the process."""

    timers = tuple(
        StateTimer(
            state=state,
            due=lambda batch: end_of_day(batch.execution_date),
            reminders=(timedelta(days=1),),
            remind=TO_FINANCE,
            label=_("execution date of the batch"),
        )
        for state in (BatchState.DRAFT, BatchState.APPROVED)
    )

    def get_absolute_url(self) -> str:
        return reverse("finance:batch", args=[self.pk])

    @workflow_transition(
        source=BatchState.DRAFT,
        target=BatchState.APPROVED,
        label=_("Approve the batch"),
        permission=SECOND_FINANCE_USER,
        guards=[has_pending_items],
        effects=[notify(TO_FINANCE, message=messages.BATCH_APPROVED)],
    )
    def approve(self, *, actor):
        self.approved_by = actor
        self.approved_at = timezone.now()

    @workflow_transition(
        source=BatchState.APPROVED,
        target=BatchState.DRAFT,
        label=_("Return the batch to draft"),
        permission=FINANCE,
        form=ReturnForm,
        effects=[notify(TO_FINANCE, message=messages.BATCH_RETURNED)],
    )
    def return_to_draft(self, *, actor, reason):
        self.approved_by = None
        self.approved_at = None

    @workflow_transition(
        source=BatchState.APPROVED,
        target=BatchState.EXPORTED,
        label=_("Export the bank file (Elixir-O)"),
        permission=FINANCE,
        guards=[accounts_valid, execution_date_not_past],
    )
    def export(self, *, actor):
        _batches().batch_file_store(batch=self, actor=actor)

    @workflow_transition(
        source=BatchState.EXPORTED,
        target=BatchState.PAID,
        label=_("Mark all transfers paid"),
        permission=FINANCE,
        form=BankDateForm,
        effects=[notify(TO_FINANCE, message=messages.BATCH_PAID)],
    )
    def mark_all_paid(self, *, actor, paid_on):
        _batches().pending_items_pay(batch=self, actor=actor, paid_on=paid_on)

    @workflow_transition(
        source=BatchState.EXPORTED,
        target=BatchState.PAID,
        label=_("Close the batch: every result recorded"),
        permission=FINANCE,
        guards=[nothing_pending],
        effects=[notify(TO_FINANCE, message=messages.BATCH_PAID)],
    )
    def settle(self, *, actor):
        pass

    @workflow_transition(
        source=[BatchState.DRAFT, BatchState.APPROVED],
        target=BatchState.CANCELLED,
        label=_("Cancel the batch"),
        permission=FINANCE,
        form=CancelForm,
        effects=[notify(TO_FINANCE, message=messages.BATCH_CANCELLED)],
    )
    def cancel(self, *, actor, reason):
        _batches().pending_items_release(batch=self, actor=actor)
