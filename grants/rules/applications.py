"""Every way an application breaks its call's rules, by field (checked on submit)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import format_amount

from ..models import (
    ZERO,
    ApplicantKind,
    Application,
    BudgetLine,
)
from .base import money, percent, small_grant_limits_in_force, yearly_cap_problem
from .statutory import statutory_offer_rules


def application_rule_errors(application: Application) -> dict[str, list[str]]:
    """Every way the application breaks its call's rules, by field (in this order:
    required fields, the applicant, the group, the dates, the budget, the amounts)."""
    call = application.call
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    limits = small_grant_limits_in_force(timezone.localdate()) if call.is_19a else None
    lines = list(application.budget_lines.all())
    for rules in (
        _required_rules,
        _applicant_rules,
        _municipality_rules,
        _group_rules,
        _date_rules,
        _budget_line_rules,
        _amount_rules,
        _own_contribution_rules,
        _category_rules,
        statutory_offer_rules,
    ):
        rules(application, call, limits, lines, add)
    cap_problem = yearly_cap_problem(application, application.requested_amount)
    if cap_problem:
        add("requested_amount", cap_problem)
    return errors


def _required_rules(application, call, limits, lines, add) -> None:
    """Fields every application needs before it is submitted."""
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


def _applicant_rules(application, call, limits, lines, add) -> None:
    """Who may apply, and what an organisation must give."""
    if application.kind not in call.allowed_kinds():
        add("kind", _("This kind of applicant may not apply to this call."))
    elif limits and limits.ngo_only and application.kind != ApplicantKind.NGO:
        add("kind", _("Art. 19a grants go only to non-governmental organisations."))
    if application.kind == ApplicantKind.NGO:
        for field in ("krs", "nip", "representatives"):
            if not getattr(application, field):
                add(field, _("This field is required for an organisation."))


def _municipality_rules(application, call, limits, lines, add) -> None:
    """A metropolis-wide call: the initiative takes place in one of the metropolis's
    member municipalities, named on the application."""
    if not call.metropolis_wide:
        if application.municipality_id is not None:
            add("municipality", _("This call is not metropolis-wide: name no municipality."))
        return
    if application.municipality_id is None:
        add(
            "municipality",
            _("Name the member municipality of the metropolis where the initiative takes place."),
        )
    elif not call.member_municipalities().filter(pk=application.municipality_id).exists():
        add("municipality", _("Choose one of the metropolis's member municipalities."))


def _group_rules(application, call, limits, lines, add) -> None:
    """An informal group's size (adults), leader and members' declarations; a minor
    names a parent or guardian, whose consent is asked by e-mail."""
    members = list(application.members.all())
    if application.kind == ApplicantKind.INFORMAL_GROUP:
        if len([m for m in members if not m.is_minor]) < call.min_group_size:
            add(
                "members",
                _("An informal group needs at least %(n)d members.") % {"n": call.min_group_size},
            )
        if not any(m.is_leader for m in members):
            add("members", _("Name the group's leader."))
        for i, member in enumerate(members):
            if member.is_minor:
                if not (member.guardian_name and member.guardian_email):
                    add(
                        f"members[{i}]",
                        _("Name a minor's parent or guardian and give their e-mail."),
                    )
            elif not (member.declares_adult_resident and member.consents_to_processing):
                add(
                    f"members[{i}]",
                    _("Every member must declare being an adult resident and consent."),
                )


def _date_rules(application, call, limits, lines, add) -> None:
    """The task's dates against the call and art. 19a."""
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


def _budget_line_rules(application, call, limits, lines, add) -> None:
    """Each budget line adds up."""
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


def _amount_rules(application, call, limits, lines, add) -> None:
    """The grant requested against the maxima and the minimum."""
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


def _own_contribution_rules(application, call, limits, lines, add) -> None:
    """The own contribution and its money share."""
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


def _category_rules(application, call, limits, lines, add) -> None:
    """Cost categories' caps. Only a category some line is in can be over its cap: those,
    as the lines hold them (the submit reads them with the lines: #18), in the call's
    order."""
    used = {line.category_id for line in lines if line.category_id is not None}
    held = {
        line.category_id: line.category
        for line in lines
        if line.category_id is not None and BudgetLine.category.is_cached(line)
    }
    if used - held.keys():
        held.update(call.cost_categories.in_bulk(used - held.keys()))
    for category in sorted(held.values(), key=lambda c: (c.order, c.pk)):
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
