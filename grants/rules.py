"""The rules of the micro-grant process: each ``*_problem`` answers a workflow guard with
the reason it refuses (or None), each ``*_errors`/`*_check`` the field errors of input."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import format_amount, polish_date
from workflows.errors import GuardRefused, InvalidInput

from .models import (
    ZERO,
    Agreement,
    ApplicantKind,
    Application,
    Call,
    Review,
    SmallGrantLimits,
)
from .workflow import (
    APPROVED_STATES,
    ApplicationState,
    CallState,
    ReportState,
    ReviewState,
    moment_label,
)

CENT = Decimal("0.01")


def percent(share: Decimal) -> str:
    """0.1000 -> "10", 0.0750 -> "7.5"."""
    return format(share * 100, "f").rstrip("0").rstrip(".")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Once an application is submitted, these rules decided who could apply and for how
# much; changing them would be unfair to those who applied (and to those who did not).
# The pool may grow and the submission period may lengthen; nothing else of them moves.
LOCKED_RULES = (
    "procedure",
    "min_grant",
    "max_grant",
    "min_own_share",
    "min_own_money_share",
    "allows_informal_group",
    "allows_ngo",
    "allows_resident",
    "min_group_size",
    "max_duration_days",
    "yearly_cap",
    "min_average_score",
    "tie_break",
)


def locked_rule_errors(before: dict, after: dict) -> dict[str, list[str]]:
    """The refusals for changed rules (``before``/``after``: the changed fields' values)."""
    errors = {}
    refusal = _(
        "Applications have already been submitted to this call: this rule can no longer change."
    )
    for name in after:
        if name in LOCKED_RULES or name == "opens_at":
            errors[name] = [refusal]
    if "pool" in after and after["pool"] < before["pool"]:
        errors["pool"] = [
            _("Applications have already been submitted to this call: the pool may only grow.")
        ]
    if "closes_at" in after and after["closes_at"] < before["closes_at"]:
        errors["closes_at"] = [
            _(
                "Applications have already been submitted to this call: the submission "
                "period may only be extended."
            )
        ]
    return errors


def small_grant_limits_in_force(on: datetime.date) -> SmallGrantLimits:
    limits = SmallGrantLimits.in_force(on)
    if limits is None:
        raise GuardRefused(
            _(
                "No art. 19a statutory limits are recorded for %(day)s; ask the "
                "administrator to enter them."
            )
            % {"day": polish_date(on)}
        )
    return limits


def small_grant_limits_check(call: Call) -> None:
    """An art. 19a call obeys the statutory limits in force on its opening day: it may be
    stricter, never looser (refused with an error at each field that is looser)."""
    if not call.is_19a:
        return
    limits = small_grant_limits_in_force(timezone.localdate(call.opens_at))
    errors = {}
    if call.max_grant is not None and call.max_grant > limits.max_grant:
        errors["max_grant"] = [
            _("Art. 19a allows a grant of at most %(limit)s; a call may set less, never more.")
            % {"limit": format_amount(limits.max_grant)}
        ]
    if call.max_duration_days is not None and call.max_duration_days > limits.max_duration_days:
        errors["max_duration_days"] = [
            _("Art. 19a allows a task of at most %(n)d days; a call may set fewer, never more.")
            % {"n": limits.max_duration_days}
        ]
    if call.yearly_cap is not None and call.yearly_cap > limits.yearly_cap:
        errors["yearly_cap"] = [
            _(
                "Art. 19a allows at most %(limit)s to one organisation in a calendar year; a "
                "call may set less, never more."
            )
            % {"limit": format_amount(limits.yearly_cap)}
        ]
    if call.comment_period_days != limits.comment_period_days:
        errors["comment_period_days"] = [
            _("Art. 19a publishes an offer for comments for %(n)d days.")
            % {"n": limits.comment_period_days}
        ]
    if limits.ngo_only:
        not_ngo = _(
            "Art. 19a grants go only to non-governmental organisations and the entities of "
            "art. 3 ust. 3 of the act."
        )
        if call.allows_informal_group:
            errors["allows_informal_group"] = [not_ngo]
        if call.allows_resident:
            errors["allows_resident"] = [not_ngo]
    if errors:
        raise InvalidInput(field_errors=errors)


def application_rule_errors(application: Application) -> dict[str, list[str]]:
    """Every way the application breaks its call's rules, by field."""
    call = application.call
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = {
        "title": application.title,
        "place": application.place,
        "summary": application.summary,
        "goals": application.goals,
        "beneficiaries": application.beneficiaries,
        "expected_results": application.expected_results,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "applicant_name": application.applicant_name,
        "account_number": application.account_number,
    }
    for field, value in required.items():
        if value in (None, ""):
            add(field, _("This field is required to submit."))
    limits = small_grant_limits_in_force(timezone.localdate()) if call.is_19a else None
    if application.kind not in call.allowed_kinds():
        add("kind", _("This kind of applicant may not apply to this call."))
    elif limits and limits.ngo_only and application.kind != ApplicantKind.NGO:
        add("kind", _("Art. 19a grants go only to non-governmental organisations."))
    if application.kind == ApplicantKind.NGO:
        for field in ("krs", "nip", "representatives"):
            if not getattr(application, field):
                add(field, _("This field is required for an organisation."))
    members = list(application.members.all())
    if application.kind == ApplicantKind.INFORMAL_GROUP:
        if len(members) < call.min_group_size:
            add(
                "members",
                _("An informal group needs at least %(n)d members.") % {"n": call.min_group_size},
            )
        if not any(m.is_leader for m in members):
            add("members", _("Name the group's leader."))
        for i, member in enumerate(members):
            if not (member.declares_adult_resident and member.consents_to_processing):
                add(
                    f"members[{i}]",
                    _("Every member must declare being an adult resident and consent."),
                )
    if application.start_date and application.end_date:
        if application.end_date < application.start_date:
            add("end_date", _("The end date is before the start date."))
        elif (application.end_date - application.start_date).days + 1 > call.max_duration_days:
            add(
                "end_date",
                _("The task may last at most %(n)d days.") % {"n": call.max_duration_days},
            )
        elif limits and (
            (application.end_date - application.start_date).days + 1 > limits.max_duration_days
        ):
            add(
                "end_date",
                _("Art. 19a allows a task of at most %(n)d days.")
                % {"n": limits.max_duration_days},
            )
        if application.end_date.year > call.year:
            add("end_date", _("The task must end within the budget year %(y)d.") % {"y": call.year})
    lines = list(application.budget_lines.all())
    if not lines:
        add("budget_lines", _("Add at least one budget line."))
    for i, line in enumerate(lines):
        if line.from_grant + line.own_money + line.own_in_kind != line.total:
            add(
                f"budget_lines[{i}]",
                _("The sources (%(sources)s) must add up to the line's cost (%(total)s).")
                % {
                    "sources": format_amount(line.from_grant + line.own_money + line.own_in_kind),
                    "total": format_amount(line.total),
                },
            )
    requested = application.requested_amount
    if requested > call.max_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is over the call's maximum of %(max)s.")
            % {"requested": format_amount(requested), "max": format_amount(call.max_grant)},
        )
    elif limits and requested > limits.max_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is over the art. 19a maximum of %(max)s.")
            % {"requested": format_amount(requested), "max": format_amount(limits.max_grant)},
        )
    if lines and requested < call.min_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is under the call's minimum of %(min)s.")
            % {"requested": format_amount(requested), "min": format_amount(call.min_grant)},
        )
    total = application.total_cost + application.volunteer_value
    own = application.own_contribution
    if total and own < money(total * call.min_own_share):
        add(
            "own_contribution",
            _(
                "The own contribution (%(own)s) must be at least %(share)s%% of the total "
                "(%(needed)s)."
            )
            % {
                "own": format_amount(own),
                "share": percent(call.min_own_share),
                "needed": format_amount(money(total * call.min_own_share)),
            },
        )
    if own and application.own_money < money(own * call.min_own_money_share):
        add(
            "own_money",
            _("At least %(needed)s of the own contribution must be money.")
            % {"needed": format_amount(money(own * call.min_own_money_share))},
        )
    categories = {c.pk: c for c in call.cost_categories.all()}
    for category in categories.values():
        if category.cap_share is None or not application.total_cost:
            continue
        spent = sum((line.total for line in lines if line.category_id == category.pk), ZERO)
        if spent > money(application.total_cost * category.cap_share):
            add(
                "budget_lines",
                _("“%(category)s” may be at most %(share)s%% of the costs (%(cap)s).")
                % {
                    "category": category.name,
                    "share": percent(category.cap_share),
                    "cap": format_amount(money(application.total_cost * category.cap_share)),
                },
            )
    cap_problem = yearly_cap_problem(application, requested)
    if cap_problem:
        add("requested_amount", cap_problem)
    return errors


def yearly_cap_problem(application: Application, amount: Decimal) -> str | None:
    """Art. 19a ust. 4: one organisation gets at most the yearly cap a calendar year in
    this mode, across all of the grantor's calls: the call's, or the statutory one in
    force today when that is lower or the call sets none."""
    call = application.call
    cap = call.yearly_cap
    if call.is_19a:
        statutory = small_grant_limits_in_force(timezone.localdate()).yearly_cap
        cap = statutory if cap is None else min(cap, statutory)
    if cap is None or not application.nip:
        return None
    granted = (
        Application.objects.filter(
            call__organisation_id=call.organisation_id,
            call__year=call.year,
            call__procedure=call.procedure,
            nip=application.nip,
            state__in=APPROVED_STATES,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount"))["total"]
        or ZERO
    )
    if granted + amount > cap:
        return _(
            "This organisation has already been granted %(granted)s this year; with "
            "%(amount)s it would pass the yearly cap of %(cap)s."
        ) % {
            "granted": format_amount(granted),
            "amount": format_amount(amount),
            "cap": format_amount(cap),
        }
    return None


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
