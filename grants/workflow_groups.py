"""The informal-group steps outside the grant's main process (``grants.workflow``),
read top to bottom.

- ``GroupInvoice`` (faktura grupy), under the call model "the operator pays the group's
  invoices": submitted by the group -> approved by the operator's official, which
  orders its payment to the seller (a finance payment order, paid through a batch), or
  rejected with a reason. No money is transferred to the group itself.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.effects import notify
from notifications.recipients import role, user_at
from workflows.rules import has_role, is_user
from workflows.transitions import guard, workflow_transition

from . import messages

OFFICIAL = has_role(Role.OFFICIAL)
GROUP = is_user("agreement.application.applicant", _("the group's leader"))
TO_GROUP = user_at("agreement.application.applicant")
TO_OFFICIALS = role(Role.OFFICIAL)
TO_FINANCE = role(Role.FINANCE)


def _invoice_within_grant(invoice):
    from . import rules

    return rules.invoice_grant_problem(invoice)


within_grant = guard(_("within the grant"))(_invoice_within_grant)


class GroupInvoiceState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved, payment ordered")
    REJECTED = "rejected", _("rejected")


class RejectInvoiceForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class GroupInvoiceWorkflow:
    @workflow_transition(
        source=GroupInvoiceState.SUBMITTED,
        target=GroupInvoiceState.APPROVED,
        label=_("Approve the invoice and order its payment"),
        permission=OFFICIAL,
        guards=[within_grant],
        effects=[
            notify(TO_GROUP, TO_FINANCE, essential=True, message=messages.GROUP_INVOICE_APPROVED)
        ],
    )
    def approve(self, *, actor):
        from .services.group_invoices import group_invoice_order_payment

        group_invoice_order_payment(self, actor=actor)

    @workflow_transition(
        source=GroupInvoiceState.SUBMITTED,
        target=GroupInvoiceState.REJECTED,
        label=_("Reject the invoice"),
        permission=OFFICIAL,
        form=RejectInvoiceForm,
        effects=[notify(TO_GROUP, essential=True, message=messages.GROUP_INVOICE_REJECTED)],
    )
    def reject(self, *, actor, reason):
        self.rejection_reason = reason
