"""The checks the grant workflow's guards ask, one ``*_problem`` function each: the
reason the action cannot be taken now, or None."""

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import format_amount

from ..models import (
    ZERO,
    Agreement,
    Application,
    Review,
)
from ..workflow import (
    ApplicationState,
    CallState,
    ReportState,
    ReviewState,
    moment_label,
)
from .base import money


def formal_checklist_problem(application: Application) -> str | None:
    items = list(application.call.checklist.all())
    answers = {a.item_id: a.passed for a in application.formal_answers.all()}
    failed = [item.text for item in items if not answers.get(item.pk)]
    if failed:
        return _("The formal checklist is not all passed: %(items)s.") % {
            "items": "; ".join(failed)
        }
    return None


def review_problem(review: Review) -> str | None:
    scored = {s.criterion_id for s in review.scores.all()}
    missing = [c.name for c in review.application.call.criteria.all() if c.pk not in scored]
    if missing:
        return _("Score every criterion first: %(missing)s.") % {"missing": ", ".join(missing)}
    return None


def required_reviews(application: Application) -> int:
    return application.call.evaluators_per_application + (
        1 if application.needs_third_evaluator else 0
    )


def evaluation_problem(application: Application) -> str | None:
    reviews = list(application.reviews.all())
    submitted = [r for r in reviews if r.state == ReviewState.SUBMITTED]
    pending = [r for r in reviews if r.state in (ReviewState.ASSIGNED, ReviewState.DECLARED)]
    required = required_reviews(application)
    if pending or len(submitted) < required:
        message = _("%(done)d of %(required)d reviews are in.") % {
            "done": len(submitted),
            "required": required,
        }
        if application.needs_third_evaluator:
            message += " " + _("The scores differ too much: a third evaluator is needed.")
        return message
    return None


def fundability_problem(application: Application) -> str | None:
    call = application.call
    if application.state == ApplicationState.PUBLISHED_FOR_COMMENT:
        return comment_period_problem(application)
    if application.average_score is not None and application.average_score < call.min_average_score:
        return _("The average score %(score)s is under the call's minimum of %(min)s.") % {
            "score": application.average_score,
            "min": call.min_average_score,
        }
    return None


def returns_problem(agreement: Agreement) -> str | None:
    open_returns = [r for r in agreement.returns.all() if r.returned_on is None]
    if open_returns:
        return _("%(n)d return(s) are not recorded yet.") % {"n": len(open_returns)}
    return None


def negative_source_errors(lines: dict, shifts: dict) -> dict[str, list[str]]:
    """No source of a budget line may go below zero: the grant part is at least 0 and
    the line's own money, which takes what the grant no longer covers, too."""
    problems = []
    for pk, amount in shifts.items():
        line = lines[int(pk)]
        from_grant = money(amount)
        own_money = line.own_money + line.from_grant - from_grant
        if from_grant < ZERO or own_money < ZERO:
            problems.append(
                _(
                    "The line “%(line)s” costs %(total)s: with %(grant)s from the grant its "
                    "own money would be %(own)s. No source of a line may be negative."
                )
                % {
                    "line": line.description,
                    "total": format_amount(line.total),
                    "grant": format_amount(from_grant),
                    "own": format_amount(own_money),
                }
            )
    return {"shifts": problems} if problems else {}


# The checks of the workflow's guards (grants.workflow) ------------------------------


def criteria_problem(call) -> str | None:
    if call.is_19a or call.criteria.exists():
        return None
    return _("Add at least one evaluation criterion before publishing the call.")


def submissions_open_problem(call) -> str | None:
    if timezone.now() >= call.closes_at:
        return None
    return _("Submissions are open until %(when)s.") % {"when": moment_label(call.closes_at)}


def call_closed_problem(application) -> str | None:
    call = application.call
    now = timezone.now()
    if call.state != CallState.PUBLISHED or now < call.opens_at:
        return _("Submissions to this call open on %(when)s.") % {
            "when": moment_label(call.opens_at)
        }
    if now >= call.closes_at:
        return _("The call closed on %(when)s; applications can no longer be submitted.") % {
            "when": moment_label(call.closes_at)
        }
    return None


def correction_deadline_problem(application) -> str | None:
    deadline = application.correction_deadline
    if deadline is None or timezone.now() < deadline:
        return None
    return _("The deadline for corrections passed on %(when)s.") % {"when": moment_label(deadline)}


def not_19a_problem(application) -> str | None:
    if application.call.is_19a:
        return None
    return _("Only art. 19a offers are published for comments.")


def budget_approval_problem(application) -> str | None:
    if application.requested_amount == application.approved_amount:
        return None
    return _(
        "The grant in the budget (%(requested)s) must equal the approved amount (%(approved)s)."
    ) % {
        "requested": format_amount(application.requested_amount),
        "approved": format_amount(application.approved_amount),
    }


def comment_period_problem(application) -> str | None:
    ends = application.comment_period_ends
    if timezone.now() >= ends:
        return None
    return _("The public comment period runs until %(when)s.") % {"when": moment_label(ends)}


def report_accepted_problem(agreement) -> str | None:
    report = getattr(agreement, "report", None)
    if report is not None and report.state == ReportState.ACCEPTED:
        return None
    return _("The final report has not been accepted yet.")


def expenses_problem(report) -> str | None:
    if report.expenses.exists():
        return None
    return _("List at least one expense document before submitting the report.")
