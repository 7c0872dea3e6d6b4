"""Finance pages: the budget plan of an organisation's year (with the overrides) and the
yearly summary with its chart.

The plan page shows every line with planned, committed, paid, returned and available;
finance sets the planned amount of a line (or adds a line) and allows an application or
purchase to exceed its line: it types the number the official reads on the refused
application or purchase, the amount and the reason. Organisation administrators see the
pages; only finance changes anything (the services check it).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_role
from documents.formatting import format_amount
from workflows.errors import ConcurrentChange, DomainError, NotPermitted

from .. import selectors
from ..charts import grouped_bars
from ..forms.budget import OverrideForm, PlanFilterForm, PlanLineForm
from ..models import BudgetClassification, BudgetPlanLine
from ..services import budget
from .home import finance_user_required


def _selection(request, data) -> tuple[PlanFilterForm, object, int]:
    """The organisation and year a page is about: the user's first organisation and
    this year unless asked otherwise; an organisation not theirs is 404."""
    current = timezone.localdate().year
    organisation_id = data.get("organisation")
    if not organisation_id:
        first = budget.finance_organisations(request.user).first()
        if first is None:
            raise Http404
        organisation_id = first.pk
    form = PlanFilterForm(
        data={"organisation": organisation_id, "year": data.get("year") or current},
        user=request.user,
    )
    form.is_valid()
    organisation = form.cleaned_data.get("organisation")
    if organisation is None:
        raise Http404
    return form, organisation, form.cleaned_data.get("year") or current


def _plan_url(organisation_id: int, year: int) -> str:
    query = urlencode({"organisation": organisation_id, "year": year})
    return f"{reverse('finance:plan')}?{query}"


def _render_plan(request, organisation, year, filter_form, *, line_form=None, override_form=None):
    rows = budget.plan_rows(organisation_id=organisation.pk, year=year)
    planned_ids = [row.classification.pk for row in rows if row.plan_line is not None]
    totals = budget.Figures()
    for row in rows:
        totals.add(row.figures)
    can_change = has_role(request.user, organisation.pk, Role.FINANCE)
    return render(
        request,
        "finance/budget/plan.html",
        {
            "filter_form": filter_form,
            "organisation": organisation,
            "year": year,
            "rows": rows,
            "totals": totals,
            "has_plan": bool(planned_ids),
            "classification_loaded": BudgetClassification.objects.filter(year=year).exists(),
            "can_change": can_change,
            "line_form": line_form or PlanLineForm(year=year, exclude=planned_ids),
            "override_form": override_form or OverrideForm(),
            "overrides": list(budget.overrides_for(organisation_id=organisation.pk, year=year)),
        },
    )


@finance_user_required
def plan(request):
    filter_form, organisation, year = _selection(request, request.GET)
    return _render_plan(request, organisation, year, filter_form)


def _form_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for name, errors in exc.field_errors.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, str(error))
        if not set(exc.field_errors) <= set(form.fields):
            form.add_error(None, str(exc.message))
    else:
        form.add_error(None, str(exc.message))


@require_POST
@finance_user_required
def plan_line_set(request):
    """Set the planned amount of a line, or add a line (the same form)."""
    filter_form, organisation, year = _selection(request, request.POST)
    if not has_role(request.user, organisation.pk, Role.FINANCE):  # administrators only see
        raise PermissionDenied(budget.PLAN_CHANGE_REFUSED)
    form = PlanLineForm(request.POST, year=year)
    if form.is_valid():
        try:
            line = budget.plan_line_set(
                organisation=organisation,
                classification=form.cleaned_data["classification"],
                planned=form.cleaned_data["planned"],
                actor=request.user,
                expected_version=form.edited_version(),
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ConcurrentChange:
            line = BudgetPlanLine.objects.get(
                organisation=organisation, classification=form.cleaned_data["classification"]
            )
            form.show_conflict(line.version)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Planned amount of %(code)s saved.") % {"code": line.classification.code},
            )
            return HttpResponseRedirect(_plan_url(organisation.pk, year))
    return _render_plan(request, organisation, year, filter_form, line_form=form)


@require_POST
@finance_user_required
def override_create(request):
    """Allow an application or purchase, found by its number, to exceed its line."""
    filter_form, organisation, year = _selection(request, request.POST)
    if not has_role(request.user, organisation.pk, Role.FINANCE):  # administrators only see
        raise PermissionDenied(budget.PLAN_CHANGE_REFUSED)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            source = budget.source_find(user=request.user, number=form.cleaned_data["number"])
            override = budget.budget_override_create(
                source=source,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            if not exc.field_errors:
                exc.field_errors = {"number": [str(exc.message)]}
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(number)s may exceed the plan by up to %(amount)s.")
                % {"number": form.cleaned_data["number"], "amount": format_amount(override.amount)},
            )
            line = override.plan_line
            return HttpResponseRedirect(_plan_url(line.organisation_id, line.classification.year))
    return _render_plan(request, organisation, year, filter_form, override_form=form)


SERIES_FIELDS = ("planned", "committed", "paid", "returned")
SERIES = (
    pgettext_lazy("budget figure", "planned"),
    pgettext_lazy("budget figure", "committed"),
    pgettext_lazy("budget figure", "paid"),
    pgettext_lazy("budget figure", "returned"),
)


@finance_user_required
def summary(request):
    """The year in numbers: per classification line and per call, with a chart."""
    filter_form, organisation, year = _selection(request, request.GET)
    data = budget.year_summary(organisation_id=organisation.pk, year=year)
    chart = grouped_bars(
        groups=[
            (row.classification.code, [getattr(row.figures, name) for name in SERIES_FIELDS])
            for row in data.lines
        ],
        series=[str(name) for name in SERIES],
    )
    return render(
        request,
        "finance/budget/summary.html",
        {
            "filter_form": filter_form,
            "organisation": organisation,
            "year": year,
            "summary": data,
            "chart": chart,
            "later_years": selectors.commitments_of_later_years(
                organisation_id=organisation.pk, year=year
            ),
        },
    )
