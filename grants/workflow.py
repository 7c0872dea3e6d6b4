"""The micro-grant processes, read top to bottom.

- ``Call`` (nabór): draft -> published -> evaluating -> decided -> closed.
- ``Application`` (wniosek): draft -> submitted -> (corrections_requested ->
  submitted)* -> formally_accepted or formally_rejected; then for a neighbourhood
  fund: evaluators' reviews -> evaluated -> approved / budget_revision / reserve /
  rejected; for an art. 19a offer: deemed purposeful -> published_for_comment (7 days)
  -> approved or rejected. Withdrawn by the applicant until a decision.
- ``Review`` (ocena): assigned -> declared (impartiality) -> submitted, or declined.
- ``Agreement`` (umowa): draft -> generated -> sent -> signed -> in_implementation ->
  completed -> settled -> closed; or terminated.
- ``Report`` (sprawozdanie): draft -> submitted -> under_review -> accepted, or
  corrections_requested -> submitted.

Transition bodies change their own object; writes to other rows they need (numbers,
payment orders, returns) are in ``grants.services`` and imported lazily.
"""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE

from accounts.models import Role
from documents.effects import render_document_effect
from notifications.effects import notify
from notifications.recipients import handler, related_emails, role, user_at
from workflows.rules import SYSTEM, has_role, is_user
from workflows.timers import StateTimer, deadline_after, end_of_day
from workflows.transitions import Effect, event_object, guard, workflow_transition

from . import messages

OFFICIAL = has_role(Role.OFFICIAL)
APPLICANT = is_user("applicant", _("the applicant"))

# Who is told (notifications.recipients)
TO_APPLICANT = user_at("applicant")
TO_MEMBERS = related_emails("members")
TO_OFFICIALS = role(Role.OFFICIAL)
# The official handling the case (notifications.recipients.handler): only they are told;
# the other officials see the case in their task list and digest.
TO_HANDLER = handler(fallback_roles=(Role.OFFICIAL,))
TO_REVIEW_HANDLER = handler("application", fallback_roles=(Role.OFFICIAL,))
TO_REPORT_HANDLER = handler("agreement.application", fallback_roles=(Role.OFFICIAL,))
TO_AGREEMENT_HANDLER = handler("application", fallback_roles=(Role.OFFICIAL,))
TO_CALL_HANDLERS = handler(fallback_roles=(Role.OFFICIAL,))
TO_FINANCE = role(Role.FINANCE)
TO_EVALUATOR = user_at("evaluator")
TO_GRANTEE = user_at("application.applicant")
TO_REPORTER = user_at("agreement.application.applicant")


def moment_label(moment) -> str:
    """How the grant process shows a moment (deadlines, periods): "30 listopada 2026, 23:59"."""
    return date_format(timezone.localtime(moment), "j E Y, H:i")


def _rule(name: str):
    """A guard's check: ``grants.rules.<name>``, looked up when the guard runs (the rules
    read the models, which are built on this module)."""

    def check(obj):
        from . import rules

        return getattr(rules, name)(obj)

    return check


def _services():
    from . import services

    return services


# Last, after the notifications and the document (both read the number lazily): the
# call's counter is locked for the number and the commit only (#18).
TAKE_NUMBER = Effect(lambda event: _services().application_number_take(event_object(event)))


# Call ------------------------------------------------------------------------------


class CallState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("call state", "draft")
    PUBLISHED = "published", pgettext_lazy("call state", "published")
    EVALUATING = "evaluating", pgettext_lazy("call state", "evaluating")
    DECIDED = "decided", pgettext_lazy("call state", "results announced")
    CLOSED = "closed", pgettext_lazy("call state", "closed")


has_criteria = guard(_("neighbourhood fund has criteria"))(_rule("criteria_problem"))


submissions_closed = guard(_("submissions closed"))(_rule("submissions_open_problem"))


class CallWorkflow:
    timers = (
        StateTimer(
            state=CallState.PUBLISHED,
            due=lambda call: call.closes_at,
            expire="start_evaluation",
            label=_("submissions close"),
        ),
    )

    @workflow_transition(
        source=CallState.DRAFT,
        target=CallState.PUBLISHED,
        label=_("Publish the call"),
        permission=OFFICIAL,
        guards=[has_criteria],
    )
    def publish(self, *, actor):
        pass

    @workflow_transition(
        source=CallState.PUBLISHED,
        target=CallState.EVALUATING,
        label=_("Close submissions and start evaluation"),
        permission=OFFICIAL | SYSTEM,
        guards=[submissions_closed],
        effects=[notify(TO_CALL_HANDLERS, message=messages.SUBMISSIONS_CLOSED)],
    )
    def start_evaluation(self, *, actor):
        pass

    @workflow_transition(
        source=CallState.EVALUATING,
        target=CallState.DECIDED,
        label=_("Announce the results"),
        permission=OFFICIAL,
    )
    def announce_results(self, *, actor):
        pass

    @workflow_transition(
        source=CallState.DECIDED,
        target=CallState.CLOSED,
        label=_("Close the call"),
        permission=OFFICIAL,
    )
    def close(self, *, actor):
        pass


# Application -------------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CORRECTIONS_REQUESTED = "corrections_requested", _("corrections requested")
    FORMALLY_REJECTED = "formally_rejected", _("formally rejected")
    FORMALLY_ACCEPTED = "formally_accepted", _("formally accepted")
    EVALUATED = "evaluated", _("evaluated")
    PUBLISHED_FOR_COMMENT = "published_for_comment", _("published for comments")
    BUDGET_REVISION = "budget_revision", _("budget revision")
    APPROVED = "approved", _("approved")
    RESERVE = "reserve", _("on the reserve list")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


EDITABLE_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.CORRECTIONS_REQUESTED,
    ApplicationState.BUDGET_REVISION,
)
UNDECIDED_STATES = [
    ApplicationState.SUBMITTED,
    ApplicationState.CORRECTIONS_REQUESTED,
    ApplicationState.FORMALLY_ACCEPTED,
    ApplicationState.EVALUATED,
    ApplicationState.PUBLISHED_FOR_COMMENT,
    ApplicationState.RESERVE,
]
APPROVED_STATES = (ApplicationState.APPROVED, ApplicationState.BUDGET_REVISION)


call_is_open = guard(_("call open for submissions"))(_rule("call_closed_problem"))


group_confirmed = guard(_("the group's members and patron confirmed"))(_rule("group_problem"))


correction_deadline_open = guard(_("correction deadline not passed"))(
    _rule("correction_deadline_problem")
)


checklist_passed = guard(_("formal checklist all passed"))(_rule("formal_checklist_problem"))


reviews_complete = guard(_("all reviews submitted"))(_rule("evaluation_problem"))


is_19a = guard(_("art. 19a offer"))(_rule("not_19a_problem"))


fundable = guard(_("fundable"))(_rule("fundability_problem"))


budget_matches_approval = guard(_("budget matches the approved amount"))(
    _rule("budget_approval_problem")
)


class CorrectionRequestForm(forms.Form):
    corrections = forms.CharField(label=_("What to correct"), max_length=4000)
    days = forms.IntegerField(label=_("Days to correct"), min_value=1, max_value=60, required=False)


class ReasonForm(forms.Form):
    justification = forms.CharField(label=_("Justification"), max_length=4000)


class ApproveForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount granted (zł)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    justification = forms.CharField(label=_("Justification"), max_length=4000)


comment_period_over = guard(_("comment period over"))(_rule("comment_period_problem"))


class ApplicationWorkflow:
    def take_case(self, actor) -> None:
        """The first official who acts on an application nobody handles takes it: from
        then on they are the one told of its events."""
        if self.handler_id is None and actor is not None:
            self.handler = actor

    timers = (
        StateTimer(
            state=ApplicationState.CORRECTIONS_REQUESTED,
            due=lambda application: application.correction_deadline,
            reminders=(datetime.timedelta(days=3), datetime.timedelta(days=1)),
            remind=TO_APPLICANT,
            expire="reject_missed_corrections",
            label=_("corrections due"),
        ),
        StateTimer(
            state=ApplicationState.PUBLISHED_FOR_COMMENT,
            due=lambda application: application.comment_period_ends,
            expire="end_comment_period",
            label=_("public comment period ends"),
        ),
    )

    @workflow_transition(
        source=ApplicationState.DRAFT,
        target=ApplicationState.SUBMITTED,
        label=_("Submit the application"),
        permission=APPLICANT,
        guards=[call_is_open, group_confirmed],
        effects=[
            notify(TO_APPLICANT, TO_MEMBERS, essential=True, message=messages.SUBMITTED),
            render_document_effect(
                "application",
                "grants/application.html",
                "grants.document_contexts.application_context",
            ),
            TAKE_NUMBER,
        ],
    )
    def submit(self, *, actor):
        _services().application_prepare_submission(self)

    @workflow_transition(
        source=ApplicationState.CORRECTIONS_REQUESTED,
        target=ApplicationState.SUBMITTED,
        label=_("Submit the corrected application"),
        permission=APPLICANT,
        guards=[correction_deadline_open, group_confirmed],
        effects=[
            notify(TO_HANDLER, message=messages.RESUBMITTED),
            render_document_effect(
                "application",
                "grants/application.html",
                "grants.document_contexts.application_context",
            ),
        ],
    )
    def resubmit(self, *, actor):
        _services().application_prepare_submission(self)

    @workflow_transition(
        source=[*UNDECIDED_STATES, ApplicationState.BUDGET_REVISION],
        target=ApplicationState.WITHDRAWN,
        label=_("Withdraw the application"),
        permission=APPLICANT,
        effects=[notify(TO_HANDLER, TO_MEMBERS, message=messages.WITHDRAWN)],
    )
    def withdraw(self, *, actor):
        pass

    @workflow_transition(
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.CORRECTIONS_REQUESTED,
        label=_("Request corrections"),
        permission=OFFICIAL,
        form=CorrectionRequestForm,
        effects=[notify(TO_APPLICANT, essential=True, message=messages.CORRECTIONS_REQUESTED)],
    )
    def request_corrections(self, *, actor, corrections, days):
        self.take_case(actor)
        self.correction_request = corrections
        self.correction_deadline = deadline_after(
            timezone.now(),
            days or self.call.correction_days,
            working=self.call.correction_days_working,
        )

    @workflow_transition(
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.FORMALLY_REJECTED,
        label=_("Reject formally"),
        permission=OFFICIAL,
        form=ReasonForm,
        effects=[
            notify(TO_APPLICANT, TO_MEMBERS, essential=True, message=messages.REJECTED_FORMALLY)
        ],
    )
    def reject_formally(self, *, actor, justification):
        self.take_case(actor)
        self.decision_justification = justification

    @workflow_transition(
        source=ApplicationState.SUBMITTED,
        target=ApplicationState.FORMALLY_ACCEPTED,
        label=_("Pass the formal check"),
        permission=OFFICIAL,
        guards=[checklist_passed],
        effects=[notify(TO_APPLICANT, message=messages.PASSED_FORMAL_CHECK)],
    )
    def pass_formal_check(self, *, actor):
        self.take_case(actor)

    @workflow_transition(
        source=ApplicationState.FORMALLY_ACCEPTED,
        target=ApplicationState.EVALUATED,
        label=_("Close the evaluation"),
        permission=OFFICIAL | SYSTEM,
        guards=[reviews_complete],
        effects=[notify(TO_HANDLER, message=messages.EVALUATED)],
    )
    def complete_evaluation(self, *, actor):
        self.average_score = _services().review_average(self)

    @workflow_transition(
        source=ApplicationState.CORRECTIONS_REQUESTED,
        target=ApplicationState.FORMALLY_REJECTED,
        label=_("Reject: corrections not made in time"),
        permission=SYSTEM,
        effects=[
            notify(
                TO_APPLICANT,
                TO_MEMBERS,
                TO_HANDLER,
                essential=True,
                message=messages.CORRECTIONS_MISSED,
            )
        ],
    )
    def reject_missed_corrections(self, *, actor):
        self.decision_justification = gettext("The corrections were not made by the deadline.")

    @workflow_transition(
        source=ApplicationState.PUBLISHED_FOR_COMMENT,
        target=ApplicationState.EVALUATED,
        label=_("End the comment period"),
        permission=SYSTEM | OFFICIAL,
        guards=[comment_period_over],
        effects=[notify(TO_HANDLER, message=messages.COMMENT_PERIOD_ENDED)],
    )
    def end_comment_period(self, *, actor):
        pass

    @workflow_transition(
        source=ApplicationState.FORMALLY_ACCEPTED,
        target=ApplicationState.PUBLISHED_FOR_COMMENT,
        label=_("Deem purposeful and publish for comments"),
        permission=OFFICIAL,
        guards=[is_19a],
        effects=[notify(TO_APPLICANT, message=messages.PUBLISHED_FOR_COMMENT)],
    )
    def deem_purposeful(self, *, actor):
        self.published_at = timezone.now()

    @workflow_transition(
        source=[
            ApplicationState.EVALUATED,
            ApplicationState.RESERVE,
            ApplicationState.PUBLISHED_FOR_COMMENT,
        ],
        target=RETURN_VALUE(ApplicationState.APPROVED, ApplicationState.BUDGET_REVISION),
        label=_("Approve"),
        permission=OFFICIAL,
        guards=[fundable],
        form=ApproveForm,
        effects=[notify(TO_APPLICANT, TO_MEMBERS, essential=True, message=messages.APPROVED)],
    )
    def approve(self, *, actor, amount, justification):
        self.take_case(actor)
        _services().pool_reserve(self, amount)
        self.approved_amount = amount
        self.decision_justification = justification
        if amount < self.requested_amount:
            return ApplicationState.BUDGET_REVISION
        return ApplicationState.APPROVED

    @workflow_transition(
        source=ApplicationState.EVALUATED,
        target=ApplicationState.RESERVE,
        label=_("Put on the reserve list"),
        permission=OFFICIAL,
        form=ReasonForm,
        effects=[notify(TO_APPLICANT, TO_MEMBERS, essential=True, message=messages.RESERVED)],
    )
    def put_on_reserve(self, *, actor, justification):
        self.decision_justification = justification

    @workflow_transition(
        source=[
            ApplicationState.EVALUATED,
            ApplicationState.RESERVE,
            ApplicationState.PUBLISHED_FOR_COMMENT,
        ],
        target=ApplicationState.REJECTED,
        label=_("Reject"),
        permission=OFFICIAL,
        form=ReasonForm,
        effects=[notify(TO_APPLICANT, TO_MEMBERS, essential=True, message=messages.REJECTED)],
    )
    def reject(self, *, actor, justification):
        self.decision_justification = justification

    @workflow_transition(
        source=ApplicationState.BUDGET_REVISION,
        target=ApplicationState.APPROVED,
        label=_("Submit the revised budget"),
        permission=APPLICANT,
        guards=[budget_matches_approval],
        effects=[notify(TO_HANDLER, message=messages.BUDGET_REVISED)],
    )
    def submit_revised_budget(self, *, actor):
        pass


# Review ----------------------------------------------------------------------------


class ReviewState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("review state", "assigned")
    DECLARED = "declared", pgettext_lazy("review state", "impartiality declared")
    SUBMITTED = "submitted", pgettext_lazy("review state", "submitted")
    DECLINED = "declined", pgettext_lazy("review state", "declined (conflict of interest)")


EVALUATOR = is_user("evaluator", _("the assigned evaluator"))


all_criteria_scored = guard(_("every criterion scored"))(_rule("review_problem"))


def _close_evaluation_when_complete(event):
    # After the commit, so that it sees every other evaluator's committed review.
    from workflows.outbox import outbox_enqueue

    from .tasks import close_evaluation_if_complete

    outbox_enqueue(close_evaluation_if_complete, review_id=event.object_id)


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Conflict of interest"), max_length=2000)


class ReviewWorkflow:
    @workflow_transition(
        source=ReviewState.ASSIGNED,
        target=ReviewState.DECLARED,
        label=_("Sign the impartiality declaration"),
        permission=EVALUATOR,
        effects=[notify(TO_REVIEW_HANDLER, message=messages.REVIEW_DECLARED)],
    )
    def declare(self, *, actor):
        self.declared_at = timezone.now()

    @workflow_transition(
        source=ReviewState.ASSIGNED,
        target=ReviewState.DECLINED,
        label=_("Decline: conflict of interest"),
        permission=EVALUATOR,
        form=ConflictForm,
        effects=[notify(TO_REVIEW_HANDLER, essential=True, message=messages.REVIEW_DECLINED)],
    )
    def decline(self, *, actor, reason):
        self.conflict_reason = reason

    @workflow_transition(
        source=ReviewState.DECLARED,
        target=ReviewState.SUBMITTED,
        label=_("Submit the review"),
        permission=EVALUATOR,
        guards=[all_criteria_scored],
        effects=[
            notify(TO_REVIEW_HANDLER, message=messages.REVIEW_SUBMITTED),
            Effect(_close_evaluation_when_complete, "close the evaluation"),
        ],
    )
    def submit(self, *, actor):
        _services().review_finalise(self)


# Agreement -------------------------------------------------------------------------


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement state", "draft")
    GENERATED = "generated", pgettext_lazy("agreement state", "generated")
    SENT = "sent", pgettext_lazy("agreement state", "sent for signature")
    SIGNED = "signed", pgettext_lazy("agreement state", "signed")
    IN_IMPLEMENTATION = "in_implementation", pgettext_lazy("agreement state", "in implementation")
    COMPLETED = "completed", pgettext_lazy("agreement state", "completed")
    SETTLED = "settled", pgettext_lazy("agreement state", "settled")
    CLOSED = "closed", pgettext_lazy("agreement state", "closed")
    TERMINATED = "terminated", pgettext_lazy("agreement state", "terminated")


report_accepted = guard(_("report accepted"))(_rule("report_accepted_problem"))


returns_settled = guard(_("returns settled"))(_rule("returns_problem"))


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"))


class SettleForm(forms.Form):
    finding_date = forms.DateField(
        label=_("Date of the finding"),
        help_text=_("Money used against its purpose is returned within 15 days of it."),
    )


AGREEMENT_TEMPLATE = "grants/agreement.html"
AGREEMENT_CONTEXT = "grants.document_contexts.agreement_context"
AGREEMENT_DOCUMENT = render_document_effect("agreement", AGREEMENT_TEMPLATE, AGREEMENT_CONTEXT)


def _earliest_open_return(agreement):
    deadlines = [r.deadline for r in agreement.returns.all() if r.returned_on is None]
    return end_of_day(min(deadlines)) if deadlines else None


class AgreementWorkflow:
    timers = (
        StateTimer(
            state=AgreementState.IN_IMPLEMENTATION,
            due=lambda agreement: end_of_day(agreement.report_deadline),
            reminders=(datetime.timedelta(days=7), datetime.timedelta(days=1)),
            remind=TO_GRANTEE,
            overdue_to=TO_AGREEMENT_HANDLER,
            label=_("final report due"),
        ),
        StateTimer(
            state=AgreementState.SETTLED,
            due=_earliest_open_return,
            remind=TO_GRANTEE,
            overdue_to=TO_FINANCE,
            label=_("return due; interest runs after it"),
        ),
    )

    @workflow_transition(
        source=AgreementState.DRAFT,
        target=AgreementState.GENERATED,
        label=_("Generate the agreement"),
        permission=OFFICIAL,
        effects=[
            notify(TO_GRANTEE, essential=True, message=messages.AGREEMENT_GENERATED),
            AGREEMENT_DOCUMENT,
        ],
    )
    def generate(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.GENERATED,
        target=AgreementState.SENT,
        label=_("Send for signature"),
        permission=OFFICIAL,
        effects=[notify(TO_GRANTEE, essential=True, message=messages.AGREEMENT_SENT)],
    )
    def send_for_signature(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.SENT,
        target=AgreementState.SIGNED,
        label=_("Record the signature"),
        permission=OFFICIAL,
        form=SignForm,
        effects=[notify(TO_GRANTEE, TO_FINANCE, essential=True, message=messages.AGREEMENT_SIGNED)],
    )
    def sign(self, *, actor, signed_on):
        self.signed_on = signed_on
        _services().tranches_order_payment(self, actor=actor)

    @workflow_transition(
        source=AgreementState.SIGNED,
        target=AgreementState.IN_IMPLEMENTATION,
        label=_("Start implementation"),
        permission=OFFICIAL,
    )
    def start_implementation(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.IN_IMPLEMENTATION,
        target=AgreementState.COMPLETED,
        label=_("Complete (report accepted)"),
        permission=OFFICIAL,
        guards=[report_accepted],
        effects=[notify(TO_GRANTEE, message=messages.AGREEMENT_COMPLETED)],
    )
    def complete(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.COMPLETED,
        target=AgreementState.SETTLED,
        label=_("Settle"),
        permission=OFFICIAL,
        form=SettleForm,
        effects=[
            notify(TO_GRANTEE, TO_FINANCE, essential=True, message=messages.AGREEMENT_SETTLED)
        ],
    )
    def settle(self, *, actor, finding_date):
        _services().settlement_compute(self, finding_date=finding_date)

    @workflow_transition(
        source=AgreementState.SETTLED,
        target=AgreementState.CLOSED,
        label=_("Close"),
        permission=OFFICIAL,
        guards=[returns_settled],
        effects=[notify(TO_GRANTEE, message=messages.AGREEMENT_CLOSED)],
    )
    def close(self, *, actor):
        pass

    @workflow_transition(
        source=[AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION],
        target=AgreementState.TERMINATED,
        label=_("Terminate"),
        permission=OFFICIAL,
        form=ReasonForm,
        effects=[notify(TO_GRANTEE, TO_FINANCE, essential=True, message=messages.TERMINATED)],
    )
    def terminate(self, *, actor, justification):
        pass


# Report ----------------------------------------------------------------------------


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "draft")
    SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("report state", "under review")
    CORRECTIONS_REQUESTED = (
        "corrections_requested",
        pgettext_lazy("report state", "corrections requested"),
    )
    ACCEPTED = "accepted", pgettext_lazy("report state", "accepted")


REPORTER = is_user("agreement.application.applicant", _("the grantee"))


has_expenses = guard(_("expenses listed"))(_rule("expenses_problem"))


REPORT_DOCUMENT = render_document_effect(
    "report", "grants/report.html", "grants.document_contexts.reports.report_context"
)


class CorrectionsForm(forms.Form):
    corrections = forms.CharField(label=_("What to correct"), max_length=4000)


class ReportWorkflow:
    @workflow_transition(
        source=[ReportState.DRAFT, ReportState.CORRECTIONS_REQUESTED],
        target=ReportState.SUBMITTED,
        label=_("Submit the report"),
        permission=REPORTER,
        guards=[has_expenses],
        effects=[notify(TO_REPORT_HANDLER, message=messages.REPORT_SUBMITTED), REPORT_DOCUMENT],
    )
    def submit(self, *, actor):
        self.submitted_at = timezone.now()

    @workflow_transition(
        source=ReportState.SUBMITTED,
        target=ReportState.UNDER_REVIEW,
        label=_("Start reviewing the report"),
        permission=OFFICIAL,
    )
    def start_review(self, *, actor):
        pass

    @workflow_transition(
        source=ReportState.UNDER_REVIEW,
        target=ReportState.CORRECTIONS_REQUESTED,
        label=_("Request corrections to the report"),
        permission=OFFICIAL,
        form=CorrectionsForm,
        effects=[notify(TO_REPORTER, essential=True, message=messages.REPORT_CORRECTIONS)],
    )
    def request_corrections(self, *, actor, corrections):
        self.corrections = corrections

    @workflow_transition(
        source=ReportState.UNDER_REVIEW,
        target=ReportState.ACCEPTED,
        label=_("Accept the report"),
        permission=OFFICIAL,
        effects=[notify(TO_REPORTER, essential=True, message=messages.REPORT_ACCEPTED)],
    )
    def accept(self, *, actor):
        pass
