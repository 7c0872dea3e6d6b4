"""The micro-purchase process, top to bottom.

A requesting unit's official drafts the need and submits it; the threshold guard adds
up the group's purchases of the financial year and picks the value band (a unit head
may override a refusal with a written justification). Finance confirms the funds are
planned and the unit head approves. The official invites suppliers (quoting); offers
stay sealed until the deadline; after it the offers are scored (evaluating) and the
official awards one (order or contract). The supplier carries the order out, the
official accepts the delivery (partly or with defects if need be), records the invoice
(a payment order follows), finance marks it paid and the official closes the file.
Any state before the invoice may end in cancellation with a reason.

Every transition writes what it brings along itself (the invitations, the scores, the
invoice and its payment order, the order paid), calling the services, so the pages, the
API and the timers run the same thing through ``workflows.engine.transition_apply``.
The threshold guards take the group's aggregation lock inside the transition's
transaction (after the engine has locked the purchase's row: always in that order).
"""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from documents.effects import render_document_effect
from documents.formatting import format_amount
from finance.validators import validate_paid_on
from notifications.effects import notify
from notifications.recipients import role, user_at
from workflows.errors import GuardRefused, InvalidInput
from workflows.rules import SYSTEM, has_role
from workflows.timers import StateTimer
from workflows.transitions import Effect, guard, workflow_transition

from . import messages, rules


class PurchaseState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("purchase state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("purchase state", "submitted")
    APPROVED = "approved", pgettext_lazy("purchase state", "approved")
    QUOTING = "quoting", pgettext_lazy("purchase state", "quoting")
    EVALUATING = "evaluating", pgettext_lazy("purchase state", "evaluating")
    AWARDED = "awarded", pgettext_lazy("purchase state", "awarded")
    IN_EXECUTION = "in_execution", pgettext_lazy("purchase state", "in execution")
    DELIVERED = "delivered", pgettext_lazy("purchase state", "delivered")
    ACCEPTED = "accepted", pgettext_lazy("purchase state", "accepted")
    INVOICED = "invoiced", pgettext_lazy("purchase state", "invoiced")
    PAID = "paid", pgettext_lazy("purchase state", "paid")
    CLOSED = "closed", pgettext_lazy("purchase state", "closed")
    CANCELLED = "cancelled", pgettext_lazy("purchase state", "cancelled")


S = PurchaseState
# States whose value counts towards the group's aggregate (past the draft, not cancelled).
COUNTED_STATES = [s for s in S.values if s not in (S.DRAFT, S.CANCELLED)]
CANCELLABLE_STATES = [
    S.DRAFT,
    S.SUBMITTED,
    S.APPROVED,
    S.QUOTING,
    S.EVALUATING,
    S.AWARDED,
    S.IN_EXECUTION,
    S.DELIVERED,
    S.ACCEPTED,
]

OFFICIAL = has_role(Role.OFFICIAL)
UNIT_HEAD = has_role(Role.UNIT_HEAD)
FINANCE = has_role(Role.FINANCE)

# Who is told (notifications.recipients)
TO_REQUESTER = user_at("requested_by")
TO_OFFICIALS = role(Role.OFFICIAL)
TO_UNIT_HEADS = role(Role.UNIT_HEAD)
TO_FINANCE = role(Role.FINANCE)


# Guards -------------------------------------------------------------------------


under_threshold = guard(_("aggregated value under the threshold"))(rules.under_threshold)
band_exists = guard(_("a value band covers the value"))(rules.band_exists)
criteria_complete = guard(_("criteria weights add up to 100"))(rules.criteria_complete)
funds_confirmed = guard(_("finance confirmed the funds"))(rules.funds_confirmed)
funds_not_confirmed = guard(_("funds not yet confirmed"))(rules.funds_not_confirmed)
enough_invitations = guard(_("enough suppliers invited"))(rules.enough_invitations)
deadline_passed = guard(_("deadline for offers passed"))(rules.deadline_passed)
has_valid_offer = guard(_("a valid offer exists"))(rules.has_valid_offer)
award_under_threshold = guard(_("the awarded value keeps the aggregate under the threshold"))(
    rules.award_under_threshold
)
enough_offers = guard(_("enough valid offers"))(rules.enough_offers)


# Payload forms ------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000)


class OverrideForm(forms.Form):
    justification = forms.CharField(
        label=_("objective justification"),
        min_length=40,
        max_length=4000,
        help_text=_(
            "Why the orders are not one order under art. 29 and 30 of the public "
            "procurement law (at least 40 characters); it is kept in the log."
        ),
    )


class SupplierIdsField(forms.Field):
    """Suppliers to invite: ids as a list, or one string of ids separated by commas."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if value in (None, "", []):
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            return [int(str(v).strip()) for v in value if str(v).strip()]
        except ValueError:
            raise forms.ValidationError(_("Choose suppliers from your registry.")) from None


class QuotingForm(forms.Form):
    deadline = forms.DateTimeField(label=_("deadline for offers"))
    suppliers = SupplierIdsField(label=_("suppliers to invite"), required=False)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline for offers must be in the future."))
        return deadline


class AwardForm(forms.Form):
    offer = forms.IntegerField(
        label=_("offer"), required=False, help_text=_("Empty: the best-scored offer.")
    )
    contract_form = forms.ChoiceField(
        label=_("form of the agreement"),
        choices=[("order", _("order (zlecenie)")), ("contract", _("contract (umowa)"))],
    )


class DateForm(forms.Form):
    on = forms.DateField(label=_("date"))


class PaidForm(forms.Form):
    on = forms.DateField(label=_("date of payment"), validators=[validate_paid_on])


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("acceptance date"))
    delivered = forms.CharField(label=_("what was delivered"), max_length=4000)
    partial = forms.BooleanField(label=_("partial acceptance"), required=False)
    defects = forms.CharField(label=_("defects found"), max_length=4000, required=False)
    accepted_net = forms.DecimalField(
        label=_("accepted net value"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.00"),
        required=False,
        help_text=_("Empty: the awarded value."),
    )


class InvoiceForm(forms.Form):
    number = forms.CharField(label=_("invoice number"), max_length=100)
    issued_on = forms.DateField(label=_("issue date"))
    sale_on = forms.DateField(label=_("sale date"))
    received_on = forms.DateField(label=_("date received"))
    net = forms.DecimalField(
        label=_("net"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    vat = forms.DecimalField(
        label=_("VAT"), max_digits=12, decimal_places=2, min_value=Decimal("0.00")
    )
    gross = forms.DecimalField(
        label=_("gross"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    due_on = forms.DateField(label=_("due date"))

    def clean(self):
        data = super().clean()
        net, vat, gross = data.get("net"), data.get("vat"), data.get("gross")
        if None not in (net, vat, gross) and net + vat != gross:
            self.add_error(
                "gross",
                _("Gross must equal net plus VAT (%(sum)s).") % {"sum": format_amount(net + vat)},
            )
        issued, due = data.get("issued_on"), data.get("due_on")
        if issued and due and due < issued:
            self.add_error("due_on", _("The due date cannot be before the issue date."))
        return data


# Effects ------------------------------------------------------------------------


def _render(kind: str) -> Effect:
    """Render document ``kind`` from ``documents/purchases/<kind>.html``."""
    return render_document_effect(
        kind, f"purchases/{kind}.html", f"purchases.document_contexts.{kind}_context"
    )


def _queue(task_name: str, label: str) -> Effect:
    def run(event) -> None:
        from workflows.outbox import outbox_enqueue

        from . import tasks

        outbox_enqueue(getattr(tasks, task_name), purchase_id=event.object_id)

    return Effect(run=run, label=label)


RENDER_ESTIMATE = _render("estimate_note")
RENDER_RFQ = _render("request_for_quotation")
SEND_INVITATIONS = _queue("send_invitations", "e-mail invited suppliers")
RENDER_SELECTION = _render("selection_note")
RENDER_ORDER = _render("order")
# Not a ``notify`` effect (the supplier has no inbox): its label must not read as one.
NOTIFY_AWARD = _queue("notify_award", "e-mail the awarded supplier")
RENDER_ACCEPTANCE = _render("acceptance_protocol")


class PurchaseWorkflow:
    """Mixed into ``Purchase``; reads top to bottom as the process."""

    timers = (
        StateTimer(
            state=S.QUOTING,
            due=lambda purchase: purchase.quote_deadline,
            expire="close_quoting",
            label=_("deadline for offers"),
        ),
    )

    @workflow_transition(
        source=S.DRAFT,
        target=S.SUBMITTED,
        label=_("Submit the need"),
        permission=OFFICIAL,
        guards=[criteria_complete, under_threshold, band_exists],
        effects=[notify(TO_UNIT_HEADS, TO_FINANCE, message=messages.SUBMITTED), RENDER_ESTIMATE],
    )
    def submit(self, *, actor):
        self.aggregate_record()

    @workflow_transition(
        source=S.DRAFT,
        target=S.SUBMITTED,
        label=_("Submit above the threshold with a justification"),
        permission=UNIT_HEAD,
        guards=[criteria_complete],
        form=OverrideForm,
        effects=[
            notify(TO_OFFICIALS, TO_FINANCE, essential=True, message=messages.OVERRIDDEN),
            RENDER_ESTIMATE,
        ],
    )
    def submit_with_override(self, *, actor, justification):
        self.threshold_override = justification
        self.threshold_overridden_by = actor
        self.aggregate_record()

    @workflow_transition(
        source=S.SUBMITTED,
        target=S.DRAFT,
        label=_("Return for changes"),
        permission=UNIT_HEAD,
        form=ReasonForm,
        effects=[notify(TO_REQUESTER, essential=True, message=messages.RETURNED)],
    )
    def return_for_changes(self, *, actor, reason):
        self.funds_confirmed_at = None
        self.funds_confirmed_by = None
        self.threshold_override = ""
        self.threshold_overridden_by = None

    @workflow_transition(
        source=S.SUBMITTED,
        target=S.SUBMITTED,
        label=_("Confirm the funds are planned"),
        permission=FINANCE,
        guards=[funds_not_confirmed],
        effects=[notify(TO_UNIT_HEADS, message=messages.FUNDS_CONFIRMED)],
    )
    def confirm_funds(self, *, actor):
        self.funds_confirmed_at = timezone.now()
        self.funds_confirmed_by = actor

    @workflow_transition(
        source=S.SUBMITTED,
        target=S.APPROVED,
        label=_("Approve the purchase"),
        permission=UNIT_HEAD,
        guards=[funds_confirmed],
        effects=[notify(TO_REQUESTER, TO_FINANCE, message=messages.APPROVED)],
    )
    def approve(self, *, actor):
        self.approved_by = actor
        self.approved_at = timezone.now()

    @workflow_transition(
        source=S.APPROVED,
        target=S.QUOTING,
        label=_("Ask for offers"),
        permission=OFFICIAL,
        form=QuotingForm,
        effects=[RENDER_RFQ, SEND_INVITATIONS],
    )
    def start_quoting(self, *, actor, deadline, suppliers):
        # The form names the suppliers to invite, so the rule on how many must be
        # invited is applied once they are (not as a guard, which runs before).
        from .services import invitations_create

        invitations_create(purchase=self, supplier_ids=suppliers, actor=actor)
        refusal = enough_invitations(self)
        if refusal:
            raise GuardRefused(refusal)
        self.quote_deadline = deadline
        if self.band and self.band.procedure == self.band.Procedure.PUBLIC_INQUIRY:
            now = timezone.now()
            until = now + datetime.timedelta(days=self.band.publication_days)
            if deadline < until:
                raise InvalidInput(
                    field_errors={
                        "deadline": [
                            str(
                                _(
                                    "A public inquiry is published for %(days)d days: "
                                    "the deadline cannot be before %(until)s."
                                )
                                % {
                                    "days": self.band.publication_days,
                                    "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
                                }
                            )
                        ]
                    }
                )
            self.published_at = now

    @workflow_transition(
        source=S.QUOTING,
        target=S.EVALUATING,
        label=_("Open the offers for evaluation"),
        permission=OFFICIAL | SYSTEM,
        guards=[deadline_passed],
        effects=[notify(TO_REQUESTER, TO_OFFICIALS, message=messages.OFFERS_OPENED)],
    )
    def close_quoting(self, *, actor):
        from .services import offers_score

        offers_score(purchase=self)

    @workflow_transition(
        source=S.EVALUATING,
        target=S.QUOTING,
        label=_("No valid offers: ask again"),
        permission=OFFICIAL,
        form=QuotingForm,
        effects=[RENDER_RFQ, SEND_INVITATIONS],
    )
    def requote(self, *, actor, deadline, suppliers):
        from .services import invitations_create

        invitations_create(purchase=self, supplier_ids=suppliers, actor=actor)
        self.quote_deadline = deadline
        if self.published_at is not None:
            self.published_at = timezone.now()

    @workflow_transition(
        source=S.EVALUATING,
        target=S.AWARDED,
        label=_("Award the order"),
        permission=OFFICIAL,
        guards=[has_valid_offer, enough_offers, award_under_threshold],
        form=AwardForm,
        effects=[
            notify(TO_FINANCE, message=messages.AWARDED),
            RENDER_SELECTION,
            RENDER_ORDER,
            NOTIFY_AWARD,
        ],
    )
    def award(self, *, actor, offer, contract_form):
        offers = {o.pk: o for o in self.offers.filter(rejected=False)}
        chosen = offers.get(offer) if offer else self.best_offer()
        if chosen is None:
            raise InvalidInput(
                field_errors={"offer": [str(_("Choose a valid offer of this purchase."))]}
            )
        self.awarded_offer = chosen
        self.awarded_net = chosen.price_net
        self.awarded_gross = chosen.price_gross
        self.contract_form = contract_form
        self.awarded_at = timezone.now()
        refusal = award_under_threshold(self)  # now with the chosen offer's value
        if refusal:
            raise GuardRefused(refusal)
        from finance.services import budget_check

        budget_check(
            organisation_id=self.organisation_id,
            year=self.year,
            classification=self.classification,
            amount=self.contract_gross,
        )

    @workflow_transition(
        source=S.AWARDED,
        target=S.IN_EXECUTION,
        label=_("Record the signed order"),
        permission=OFFICIAL,
        form=DateForm,
    )
    def start_execution(self, *, actor, on):
        self.signed_on = on

    @workflow_transition(
        source=S.IN_EXECUTION,
        target=S.DELIVERED,
        label=_("Record the delivery"),
        permission=OFFICIAL,
        form=DateForm,
    )
    def report_delivery(self, *, actor, on):
        self.delivered_on = on

    @workflow_transition(
        source=S.DELIVERED,
        target=S.ACCEPTED,
        label=_("Accept the delivery"),
        permission=OFFICIAL,
        form=AcceptForm,
        effects=[notify(TO_FINANCE, message=messages.ACCEPTED), RENDER_ACCEPTANCE],
    )
    def accept(self, *, actor, accepted_on, delivered, partial, defects, accepted_net):
        value = accepted_net if accepted_net is not None else self.awarded_net
        if value > self.contract_net:
            raise InvalidInput(
                field_errors={
                    "accepted_net": [
                        str(
                            _("The accepted value cannot exceed the awarded %(value)s net.")
                            % {"value": format_amount(self.contract_net)}
                        )
                    ]
                }
            )
        self.accepted_on = accepted_on
        self.accepted_scope = delivered
        self.acceptance_partial = partial
        self.acceptance_defects = defects
        self.accepted_net = value
        self.accepted_by = actor

    @workflow_transition(
        source=S.ACCEPTED,
        target=S.INVOICED,
        label=_("Record the invoice"),
        permission=OFFICIAL,
        form=InvoiceForm,
        effects=[notify(TO_FINANCE, essential=True, message=messages.INVOICED)],
    )
    def record_invoice(
        self, *, actor, number, issued_on, sale_on, received_on, net, vat, gross, due_on
    ):
        if gross > self.contract_gross or net > self.contract_net:
            raise InvalidInput(
                field_errors={
                    "gross": [
                        str(
                            _(
                                "The invoice (%(net)s net, %(gross)s gross) exceeds the awarded "
                                "value (%(awarded_net)s net, %(awarded_gross)s gross); add an "
                                "annex first."
                            )
                            % {
                                "net": format_amount(net),
                                "gross": format_amount(gross),
                                "awarded_net": format_amount(self.contract_net),
                                "awarded_gross": format_amount(self.contract_gross),
                            }
                        )
                    ]
                }
            )
        from .services import invoice_record

        invoice_record(
            purchase=self,
            actor=actor,
            number=number,
            issued_on=issued_on,
            sale_on=sale_on,
            received_on=received_on,
            net=net,
            vat=vat,
            gross=gross,
            due_on=due_on,
        )

    @workflow_transition(
        source=S.INVOICED,
        target=S.PAID,
        label=_("Mark as paid"),
        permission=FINANCE,
        form=PaidForm,
        effects=[notify(TO_REQUESTER, message=messages.PAID)],
    )
    def mark_paid(self, *, actor, on):
        from .services import invoice_order_pay

        invoice_order_pay(purchase=self, actor=actor, paid_on=on)
        self.paid_on = on

    @workflow_transition(
        source=S.PAID,
        target=S.CLOSED,
        label=_("Close the file"),
        permission=OFFICIAL,
    )
    def close(self, *, actor):
        pass

    @workflow_transition(
        source=CANCELLABLE_STATES,
        target=S.CANCELLED,
        label=_("Cancel the purchase"),
        permission=OFFICIAL | UNIT_HEAD,
        form=ReasonForm,
        effects=[
            notify(
                TO_REQUESTER, TO_UNIT_HEADS, TO_FINANCE, essential=True, message=messages.CANCELLED
            )
        ],
    )
    def cancel(self, *, actor, reason):
        self.cancel_reason = reason
