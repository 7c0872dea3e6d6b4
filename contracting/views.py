"""Pages of the contracting process for officials: plan a task under a model, run the
efficiency analysis, start and evaluate a pilot, open the multi-year agreement; and
the beneficiaries' satisfaction survey (a signed link, no account)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation, Role
from accounts.permissions import has_role, organisation_ids_with, role_required
from finance.selectors import planned_classifications
from workflows.audit import audit_entries_for
from workflows.engine import history_for, transitions_for
from workflows.errors import DomainError
from workflows.views import transition_page

from . import selectors, services
from .forms import (
    TASK_FIELDS,
    AgreementForm,
    AnalysisForm,
    AnalysisLinkForm,
    OptionFormSet,
    TaskForm,
    TranchePaidForm,
    YearReportForm,
    YearReturnForm,
    YearReviewForm,
)
from .models import AnalysisOption, SurveyResponse

STAFF = selectors.STAFF


def _errors_to(form, exc: DomainError) -> None:
    for field, errors in (exc.field_errors or {None: [str(exc.message)]}).items():
        form.add_error(field if field in form.fields else None, errors)


@role_required(*STAFF)
def task_list(request):
    tasks = selectors.tasks_visible_to(request.user).select_related("area", "model")
    can_plan = bool(organisation_ids_with(request.user, Role.OFFICIAL))
    return render(request, "contracting/task_list.html", {"tasks": tasks, "can_plan": can_plan})


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def task_create(request):
    ids = organisation_ids_with(request.user, Role.OFFICIAL)
    organisations = Organisation.objects.filter(pk__in=ids)
    presets = [m for pk in ids for m in selectors.models_for(pk)]
    form = TaskForm(request.POST or None, organisations=organisations, models=presets)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                actor=request.user,
                organisation=form.single_organisation or form.cleaned_data["organisation"],
                **{name: form.cleaned_data[name] for name in TASK_FIELDS},
            )
        except DomainError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("The task is planned."))
            return redirect(task)
    return render(request, "contracting/task_form.html", {"form": form})


@role_required(*STAFF)
def task_detail(request, pk):
    task = get_object_or_404(
        selectors.tasks_visible_to(request.user).select_related("area", "model"), pk=pk
    )
    official = has_role(request.user, task.organisation_id, Role.OFFICIAL)
    context = {
        "task": task,
        "official": official,
        "preset": task.model,
        "pilots": task.pilots.all(),
        "analyses": task.analyses.select_related("chosen"),
        "agreements": task.agreements.all(),
        "options": transitions_for(task, request.user) if official else [],
        "action_url": reverse("contracting:task", args=[pk]) + "czynnosc/",
    }
    return render(request, "contracting/task_detail.html", context)


def _transition(request, visible, route: str, pk, name):
    """A transition's page for an object the user may see; back to its page."""
    obj = get_object_or_404(visible(request.user), pk=pk)
    url = reverse(route, args=[pk])
    return transition_page(request, obj=obj, name=name, success_url=url, back_url=url)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def task_transition(request, pk, name):
    return _transition(request, selectors.tasks_visible_to, "contracting:task", pk, name)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def analysis_create(request, pk):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=pk)
    if not has_role(request.user, task.organisation_id, Role.OFFICIAL):
        raise Http404
    preset = task.model
    initial = {
        "weight_cost": preset.weight_cost,
        "weight_social": preset.weight_social,
        "weight_risk": preset.weight_risk,
        "volunteer_rate": preset.volunteer_rate,
    }
    option_initial = [
        {
            "kind": kind,
            "years": task.years,
            "units_per_year": task.units_per_year,
            "beneficiaries_per_year": task.beneficiaries_per_year,
            "risk_level": 3,
        }
        for kind in (
            AnalysisOption.Kind.OWN_UNIT,
            AnalysisOption.Kind.MICRO_PURCHASE,
            AnalysisOption.Kind.COMPETITION_MULTI_YEAR,
        )
    ]
    form = AnalysisForm(request.POST or None, initial=initial)
    formset = OptionFormSet(request.POST or None, prefix="options", initial=option_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [row for row in formset.cleaned_data if row]
        try:
            analysis = services.analysis_create(
                task=task,
                actor=request.user,
                weights={
                    k: form.cleaned_data[k] for k in ("weight_cost", "weight_social", "weight_risk")
                },
                volunteer_rate=form.cleaned_data["volunteer_rate"],
                options=rows,
            )
        except DomainError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("The analysis is computed."))
            return redirect(analysis)
    return render(
        request,
        "contracting/analysis_form.html",
        {"task": task, "form": form, "formset": formset},
    )


@role_required(*STAFF)
def analysis_detail(request, pk):
    analysis = get_object_or_404(
        selectors.analyses_visible_to(request.user).select_related(
            "task", "chosen", "call", "purchase", "grant_agreement"
        ),
        pk=pk,
    )
    official = has_role(request.user, analysis.organisation_id, Role.OFFICIAL)
    from documents.selectors import documents_of

    context = {
        "analysis": analysis,
        "task": analysis.task,
        "rows": analysis.options.all(),
        "best": max((o.weighted_score for o in analysis.options.all()), default=None),
        "documents": documents_of(analysis, kind="decision-note"),
        "comparisons": selectors.evaluation_comparison(analysis),
        "options": transitions_for(analysis, request.user) if official else [],
        "official": official,
        "action_url": reverse("contracting:analysis", args=[pk]) + "czynnosc/",
    }
    return render(request, "contracting/analysis_detail.html", context)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def analysis_links(request, pk):
    """Link the analysis to the call, purchase or grant agreement that follows it."""
    analysis = get_object_or_404(selectors.analyses_visible_to(request.user), pk=pk)
    if not has_role(request.user, analysis.organisation_id, Role.OFFICIAL):
        raise Http404
    form = AnalysisLinkForm(
        request.POST or None, instance=analysis, organisation_id=analysis.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_link(analysis=analysis, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The links are saved."))
            return redirect("contracting:analysis", pk=pk)
    context = {"analysis": analysis, "task": analysis.task, "form": form}
    return render(request, "contracting/analysis_links.html", context)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def analysis_transition(request, pk, name):
    return _transition(request, selectors.analyses_visible_to, "contracting:analysis", pk, name)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def agreement_create(request, pk):
    task = get_object_or_404(selectors.tasks_visible_to(request.user), pk=pk)
    if not has_role(request.user, task.organisation_id, Role.OFFICIAL):
        raise Http404
    classifications = planned_classifications(task.organisation_id)
    initial = {"contractor_name": task.contractor_name, "years": task.years}
    form = AgreementForm(request.POST or None, initial=initial, classifications=classifications)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        analysis = task.analyses.exclude(chosen=None).order_by("-pk").first()
        try:
            agreement = services.agreement_create(
                actor=request.user,
                task=task,
                number=data["number"],
                contractor_name=data["contractor_name"],
                start_year=data["start_year"],
                amounts=[data["yearly_amount"]] * data["years"],
                tranches_per_year=data["tranches_per_year"],
                classification=data["classification"],
                analysis=analysis,
            )
        except DomainError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, _("The multi-year agreement is opened as a draft."))
            return redirect(agreement)
    return render(request, "contracting/agreement_form.html", {"task": task, "form": form})


@role_required(*STAFF)
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        selectors.agreements_visible_to(request.user).select_related("task"), pk=pk
    )
    official = has_role(request.user, agreement.organisation_id, Role.OFFICIAL)
    schedule = agreement.schedule.select_related("classification", "review").prefetch_related(
        "tranches"
    )
    context = {
        "agreement": agreement,
        "schedule": schedule,
        "annexes": agreement.annexes.select_related("agreement_year"),
        "history": history_for(agreement),
        "audit": audit_entries_for(agreement).order_by("at", "pk"),
        "survey_links": {
            row.pk: request.build_absolute_uri(
                reverse("contracting:survey", args=[selectors.survey_token(row)])
            )
            for row in schedule
        }
        if official
        else {},
        "options": transitions_for(agreement, request.user) if official else [],
        "action_url": reverse("contracting:agreement", args=[pk]) + "czynnosc/",
    }
    return render(request, "contracting/agreement_detail.html", context)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def agreement_transition(request, pk, name):
    return _transition(request, selectors.agreements_visible_to, "contracting:agreement", pk, name)


YEAR_FORMS = {
    "report": YearReportForm,
    "review": YearReviewForm,
    "return": YearReturnForm,
    "tranche": TranchePaidForm,
}


def _year_action(request, row, action: str, data: dict) -> None:
    """Run the service of one action on a year (each audited on the agreement)."""
    if action == "report":
        services.year_report_record(row=row, actor=request.user, **data)
    elif action == "review":
        services.year_review_record(row=row, actor=request.user, **data)
    elif action == "return":
        services.year_return_record(row=row, actor=request.user, **data)
    elif action == "tranche":
        tranche = get_object_or_404(row.tranches, pk=data["tranche"])
        services.tranche_paid_record(tranche=tranche, actor=request.user, paid_on=data["paid_on"])
    else:
        services.year_settle(row=row, actor=request.user)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def agreement_year(request, pk, year):
    """One budget year of an agreement: tranches paid, the partial report, the review
    (with an annex or a termination), the year's settlement and its return."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    if not has_role(request.user, agreement.organisation_id, Role.OFFICIAL):
        raise Http404
    row = get_object_or_404(agreement.schedule, year=year)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_ = {
        name: form_class(request.POST if action == name else None, prefix=name)
        for name, form_class in YEAR_FORMS.items()
    }
    if action in (*YEAR_FORMS, "settle"):
        form = forms_.get(action)
        if form is None or form.is_valid():
            try:
                _year_action(request, row, action, form.cleaned_data if form else {})
            except DomainError as exc:
                if form is None:
                    messages.error(request, str(exc.message))
                else:
                    _errors_to(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("contracting:agreement_year", pk=pk, year=year)
    context = {
        "agreement": agreement,
        "row": row,
        "tranches": row.tranches.all(),
        "review": getattr(row, "review", None),
        "forms": forms_,
        "satisfaction": services.satisfaction_of(row),
    }
    return render(request, "contracting/agreement_year.html", context)


@require_http_methods(["GET", "POST"])
def survey(request, token):
    """The beneficiaries' short survey: one question and a comment, anonymous."""
    row = selectors.survey_row(token)
    if row is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            score = None
        try:
            services.survey_response_record(
                row=row, score=score, comment=request.POST.get("comment", "")
            )
        except DomainError as exc:
            error = exc.field_errors.get("score", [str(exc.message)])[0]
        else:
            return render(request, "contracting/survey_thanks.html", {"row": row})
    question = SurveyResponse._meta.get_field("score").verbose_name
    return render(
        request,
        "contracting/survey.html",
        {"row": row, "error": error, "question": question, "typed": request.POST},
        status=400 if error else 200,
    )
