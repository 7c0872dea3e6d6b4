"""The whole contracting process, top to bottom: a task (planned, piloted, ready to
contract), its efficiency analysis (draft, decided) and the multi-year agreement
(draft, signed, in implementation, completed, settled, closed, or terminated).

Writes that are not state changes (a partial report, a yearly review, an annex, a
year's settlement, a return) are services in ``contracting.services`` that leave an
audit entry on the agreement, so the agreement's history holds every year.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE

from accounts.models import Role
from documents.effects import render_document_effect
from workflows.rules import has_role
from workflows.transitions import guard, workflow_transition

OFFICIAL = has_role(Role.OFFICIAL)
OVERRIDE_REASON_MIN = 20


def _services():
    from . import services

    return services


def _rules():
    from . import rules

    return rules


# Task ----------------------------------------------------------------------------------


class TaskState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("task state", "planned")
    PILOT = "pilot", pgettext_lazy("task state", "pilot running")
    PILOT_NEGATIVE = "pilot_negative", pgettext_lazy("task state", "pilot evaluated negatively")
    READY = "ready", pgettext_lazy("task state", "ready for a multi-year agreement")


class PilotForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Form of the pilot"),
        choices=[
            ("agreement", _("a short agreement")),
            ("purchase", _("a micro-purchase")),
        ],
    )
    reference = forms.CharField(
        label=_("Agreement or purchase number"), max_length=100, required=False
    )
    starts_on = forms.DateField(label=_("Pilot starts on"))
    ends_on = forms.DateField(label=_("Pilot ends on"))
    planned_units = forms.DecimalField(
        label=_("Units of service planned"), max_digits=10, decimal_places=2, min_value=1
    )
    planned_cost_per_unit = forms.DecimalField(
        label=_("Planned cost per unit (zł)"), max_digits=12, decimal_places=2, min_value=0.01
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The pilot cannot end before it starts."))
        return data


class PilotEvaluationForm(forms.Form):
    indicators = forms.CharField(
        label=_("Indicators achieved"),
        help_text=_("One a line: the indicator's code, a colon, the value (e.g. hours: 120)."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    satisfaction = forms.DecimalField(
        label=_("Beneficiary satisfaction (1 to 5)"),
        max_digits=3,
        decimal_places=2,
        min_value=1,
        max_value=5,
    )
    actual_units = forms.DecimalField(
        label=_("Units of service delivered"), max_digits=10, decimal_places=2, min_value=0.01
    )
    actual_cost = forms.DecimalField(
        label=_("Actual cost (zł)"), max_digits=12, decimal_places=2, min_value=0
    )


class OverrideForm(forms.Form):
    justification = forms.CharField(
        label=_("Why the multi-year agreement may go ahead without a positive pilot"),
        min_length=OVERRIDE_REASON_MIN,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TaskWorkflow:
    @workflow_transition(
        source=TaskState.PLANNED,
        target=TaskState.PILOT,
        label=_("Start a pilot"),
        permission=OFFICIAL,
        form=PilotForm,
    )
    def start_pilot(self, *, actor, **pilot):
        _services().pilot_create(task=self, actor=actor, **pilot)

    @workflow_transition(
        source=TaskState.PILOT,
        target=RETURN_VALUE(TaskState.READY, TaskState.PILOT_NEGATIVE),
        label=_("Record the pilot's evaluation"),
        permission=OFFICIAL,
        form=PilotEvaluationForm,
    )
    def evaluate_pilot(self, *, actor, **evaluation):
        pilot = _services().pilot_evaluate(task=self, actor=actor, **evaluation)
        return TaskState.READY if pilot.positive else TaskState.PILOT_NEGATIVE

    @workflow_transition(
        source=[TaskState.PLANNED, TaskState.PILOT, TaskState.PILOT_NEGATIVE],
        target=TaskState.READY,
        label=_("Allow a multi-year agreement without a positive pilot"),
        permission=OFFICIAL,
        form=OverrideForm,
    )
    def override_pilot(self, *, actor, justification):
        self.pilot_override_reason = justification


# Efficiency analysis --------------------------------------------------------------------


class AnalysisState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("analysis state", "draft")
    DECIDED = "decided", pgettext_lazy("analysis state", "decided")


class DecideForm(forms.Form):
    option = forms.IntegerField(
        label=_("Chosen option (its number in the table)"), min_value=1, max_value=20
    )
    justification = forms.CharField(
        label=_("Justification of the choice"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@guard(_("the analysis has options"))
def has_options(analysis):
    return _rules().analysis_options_problem(analysis)


DECISION_NOTE = render_document_effect(
    "decision-note", "contracting/decision_note.html", "contracting.document_contexts.decision_note"
)


class AnalysisWorkflow:
    @workflow_transition(
        source=AnalysisState.DRAFT,
        target=AnalysisState.DECIDED,
        label=_("Decide and issue the decision note"),
        permission=OFFICIAL,
        guards=[has_options],
        form=DecideForm,
        effects=[DECISION_NOTE],
    )
    def decide(self, *, actor, option, justification):
        _services().analysis_decide(analysis=self, actor=actor, position=option, note=justification)


# Multi-year agreement --------------------------------------------------------------------


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("multi-year agreement state", "draft")
    SIGNED = "signed", pgettext_lazy("multi-year agreement state", "signed")
    IN_IMPLEMENTATION = (
        "in_implementation",
        pgettext_lazy("multi-year agreement state", "in implementation"),
    )
    COMPLETED = "completed", pgettext_lazy("multi-year agreement state", "completed")
    SETTLED = "settled", pgettext_lazy("multi-year agreement state", "settled")
    CLOSED = "closed", pgettext_lazy("multi-year agreement state", "closed")
    TERMINATED = "terminated", pgettext_lazy("multi-year agreement state", "terminated")


#: The states in which each year's amount is committed against that year's plan line.
COMMITTED_STATES = (
    AgreementState.SIGNED,
    AgreementState.IN_IMPLEMENTATION,
    AgreementState.COMPLETED,
    AgreementState.SETTLED,
    AgreementState.CLOSED,
)


class ConcludeForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"))


class TerminateForm(forms.Form):
    justification = forms.CharField(label=_("Justification"), max_length=4000)


@guard(_("the pilot was evaluated positively, or an official recorded why not"))
def pilot_positive(agreement):
    return _rules().pilot_problem(agreement.task)


@guard(_("the term is within the legal maximum"))
def term_within_limit(agreement):
    return _rules().term_problem(years=agreement.years, on=agreement.first_day)


@guard(_("each year's tranches add up to its amount"))
def schedule_complete(agreement):
    return _rules().schedule_problem(agreement)


@guard(_("every year's partial report and the final report are in"))
def reports_in(agreement):
    return _rules().reports_problem(agreement)


@guard(_("every year is settled"))
def years_settled(agreement):
    return _rules().settlement_problem(agreement)


@guard(_("every return is recorded"))
def returns_recorded(agreement):
    return _rules().returns_problem(agreement)


class MultiYearAgreementWorkflow:
    @workflow_transition(
        source=AgreementState.DRAFT,
        target=AgreementState.SIGNED,
        label=_("Conclude the multi-year agreement"),
        permission=OFFICIAL,
        guards=[pilot_positive, term_within_limit, schedule_complete],
        form=ConcludeForm,
    )
    def conclude(self, *, actor, signed_on):
        self.signed_on = signed_on
        _services().agreement_commit_years(agreement=self)

    @workflow_transition(
        source=AgreementState.SIGNED,
        target=AgreementState.IN_IMPLEMENTATION,
        label=_("Start implementation"),
        permission=OFFICIAL,
    )
    def start(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.IN_IMPLEMENTATION,
        target=AgreementState.COMPLETED,
        label=_("Complete (final report accepted)"),
        permission=OFFICIAL,
        guards=[reports_in],
    )
    def complete(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.COMPLETED,
        target=AgreementState.SETTLED,
        label=_("Settle the agreement"),
        permission=OFFICIAL,
        guards=[years_settled],
    )
    def settle(self, *, actor):
        pass

    @workflow_transition(
        source=AgreementState.SETTLED,
        target=AgreementState.CLOSED,
        label=_("Close"),
        permission=OFFICIAL,
        guards=[returns_recorded],
    )
    def close(self, *, actor):
        pass

    @workflow_transition(
        source=[AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION],
        target=AgreementState.TERMINATED,
        label=_("Terminate"),
        permission=OFFICIAL,
        form=TerminateForm,
    )
    def terminate(self, *, actor, justification):
        pass
