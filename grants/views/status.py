"""The applicant's status page of an application: where it is, what happens next, by
when, what the applicant must do, and its history in words (never a transition's code
name). Read-only; the applicant's own."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from workflows.engine import history_for

from .. import selectors
from ..models import Application
from ..workflow import EDITABLE_STATES, AgreementState, ApplicationState

S = ApplicationState

# The stages a resident recognises, in order, and the states that belong to each.
STAGES = (
    (_("Draft"), (S.DRAFT,)),
    (_("Submitted"), (S.SUBMITTED, S.CORRECTIONS_REQUESTED)),
    (_("Evaluation"), (S.FORMALLY_ACCEPTED, S.EVALUATED, S.PUBLISHED_FOR_COMMENT)),
    (_("Decision"), (S.BUDGET_REVISION, S.APPROVED, S.RESERVE, S.REJECTED, S.FORMALLY_REJECTED)),
    (_("Agreement and the task"), ()),
)

# Per state: what happens next, and what the applicant must do (None: nothing now).
NEXT = {
    S.DRAFT: (
        _("Nobody at the office sees a draft. Once submitted, it gets a number."),
        _("Complete the application and submit it before the call closes."),
    ),
    S.SUBMITTED: (
        _("The office checks that the application is complete and meets the call's rules."),
        None,
    ),
    S.CORRECTIONS_REQUESTED: (
        _("The office asked for corrections. After you submit them, it checks again."),
        _("Correct the application as asked and submit it again before the deadline."),
    ),
    S.FORMALLY_REJECTED: (_("The application did not pass the formal check."), None),
    S.FORMALLY_ACCEPTED: (
        _("The application passed the formal check; the evaluators score it."),
        None,
    ),
    S.EVALUATED: (_("The scores are in; the office decides on the grants."), None),
    S.PUBLISHED_FOR_COMMENT: (
        _("The offer is published for public comments; then the office decides."),
        None,
    ),
    S.BUDGET_REVISION: (
        _("The grant was cut; the agreement follows once the budget fits the amount."),
        _("Adjust the budget to the amount granted and submit it."),
    ),
    S.APPROVED: (_("The grant is approved; the office prepares the agreement."), None),
    S.RESERVE: (
        _("The application is on the reserve list: it is funded if money becomes free."),
        None,
    ),
    S.REJECTED: (_("The application was not granted."), None),
    S.WITHDRAWN: (_("You withdrew the application."), None),
}

AGREEMENT_NEXT = {
    AgreementState.DRAFT: (_("The office prepares the agreement."), None),
    AgreementState.GENERATED: (_("The office prepares the agreement."), None),
    AgreementState.SENT: (
        _("The agreement waits for signatures."),
        _("Download the agreement, sign it and return it to the office."),
    ),
    AgreementState.SIGNED: (_("The agreement is signed; the task may start."), None),
    AgreementState.IN_IMPLEMENTATION: (
        _("The task is under way."),
        _("Carry out the task, keep the invoices and file the final report by the deadline."),
    ),
    AgreementState.COMPLETED: (_("The office reviews the final report."), None),
    AgreementState.SETTLED: (_("The grant is settled."), None),
    AgreementState.CLOSED: (_("The case is closed."), None),
    AgreementState.TERMINATED: (_("The agreement was terminated."), None),
}


def _deadline(application: Application, agreement):
    if agreement is not None and agreement.state == AgreementState.IN_IMPLEMENTATION:
        return agreement.report_deadline
    if application.state == S.CORRECTIONS_REQUESTED:
        return application.correction_deadline
    if application.state == S.DRAFT:
        return application.call.closes_at
    return None


def _history(application, agreement) -> list[dict]:
    entries = []
    for obj in filter(None, (application, agreement)):
        labels = dict(type(obj)._meta.get_field("state").choices)
        for log in history_for(obj):
            entries.append(
                {
                    "when": log.timestamp,
                    "what": labels.get(log.state, ""),
                    "of_agreement": obj is agreement,
                    "by_you": log.by_id == application.applicant_id,
                    "by_system": log.by_id is None,
                }
            )
    return sorted(entries, key=lambda entry: entry["when"])


@login_required
def application_status(request, pk):
    application = selectors.applications_visible_to(request.user).filter(pk=pk).first()
    if application is None or application.applicant_id != request.user.pk:
        raise Http404
    agreement = (
        selectors.agreements_visible_to(request.user).filter(application=application).first()
    )
    if agreement is not None:
        happens_next, to_do = AGREEMENT_NEXT[agreement.state]
        current = len(STAGES) - 1
    else:
        happens_next, to_do = NEXT[application.state]
        current = next(
            (i for i, (_t, states) in enumerate(STAGES) if application.state in states), 0
        )
    deadline = _deadline(application, agreement)
    return render(
        request,
        "grants/application_status.html",
        {
            "application": application,
            "agreement": agreement,
            "stages": [
                {"title": title, "done": i < current, "current": i == current}
                for i, (title, _states) in enumerate(STAGES)
            ],
            "happens_next": happens_next,
            "to_do": to_do,
            "deadline": deadline,
            "deadline_has_time": isinstance(deadline, datetime.datetime),
            "editable": application.state in EDITABLE_STATES,
            "history": _history(application, agreement),
        },
    )
