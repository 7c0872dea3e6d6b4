"""The checks the contracting guards and services ask; each returns None or a reason."""

import datetime

from django.utils.translation import gettext as _

from .workflow import TaskState


def term_limit_on(day: datetime.date):
    """The maximum term in force on ``day`` (effective-dated ``AgreementTermLimit``)."""
    from .models import AgreementTermLimit

    return AgreementTermLimit.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def term_problem(*, years: int, on: datetime.date) -> str | None:
    """A term of ``years`` budget years beyond the maximum in force on ``on``."""
    limit = term_limit_on(on)
    if limit is None or years <= limit.max_years:
        return None
    return _(
        "An agreement on a public task may run for at most %(max)d years (%(basis)s); "
        "%(years)d years were asked for."
    ) % {"max": limit.max_years, "basis": limit.legal_basis, "years": years}


def pilot_problem(task) -> str | None:
    """The multi-year agreement waits for the pilot's positive evaluation, unless an
    official recorded why it need not (the task is then ready too)."""
    if task.state == TaskState.READY:
        return None
    if task.state == TaskState.PILOT_NEGATIVE:
        return _(
            "The pilot was evaluated negatively. A multi-year agreement is possible only if "
            "an official records why it may go ahead."
        )
    return _(
        "A multi-year agreement is concluded only after the pilot's positive evaluation, "
        "or when an official records why it may go ahead without one."
    )


def analysis_options_problem(analysis) -> str | None:
    if not analysis.options.exists():
        return _("Add at least one option to the analysis.")
    return None


def schedule_problem(agreement) -> str | None:
    years = list(agreement.schedule.prefetch_related("tranches"))
    if len(years) != agreement.years:
        return _("The schedule must have a row for each of the %(n)d budget years.") % {
            "n": agreement.years
        }
    for row in years:
        total = sum((t.amount for t in row.tranches.all()), 0)
        if total != row.amount:
            return _("The tranches of %(year)d add up to %(total)s, not %(amount)s.") % {
                "year": row.year,
                "total": total,
                "amount": row.amount,
            }
    return None


def reports_problem(agreement) -> str | None:
    missing = [str(r.year) for r in agreement.schedule.all() if r.report_on is None]
    if missing:
        return _("The partial report is missing for: %(years)s.") % {"years": ", ".join(missing)}
    if agreement.final_report_on is None:
        return _("The final report is not recorded yet.")
    return None


def settlement_problem(agreement) -> str | None:
    missing = [str(r.year) for r in agreement.schedule.all() if r.settled_on is None]
    if missing:
        return _("These years are not settled yet: %(years)s.") % {"years": ", ".join(missing)}
    return None


def returns_problem(agreement) -> str | None:
    open_years = [
        str(r.year)
        for r in agreement.schedule.all()
        if r.unused and r.unused > 0 and r.returned_on is None
    ]
    if open_years:
        return _("The return of unused money is not recorded for: %(years)s.") % {
            "years": ", ".join(open_years)
        }
    return None
