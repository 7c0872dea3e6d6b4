"""Pages of applications (wnioski): starting, editing, the formal check, evaluators, the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role, organisation_ids_with
from documents.selectors import documents_of
from workflows.engine import transitions_for
from workflows.errors import DomainError
from workflows.pagination import UncountedPage
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Application, Call
from ..workflow import (
    EDITABLE_STATES,
    ApplicationState,
)
from .case import official_context

# Applications -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk, state="published")
    form = forms.ApplicationStartForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        application = services.application_create(
            call=call, applicant=request.user, kind=form.cleaned_data["kind"]
        )
        return redirect("grants:application_edit", pk=application.pk)
    return render(request, "grants/application_start.html", {"call": call, "form": form})


@login_required
def my_applications(request):
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("call")
        .order_by("-created_at")
    )
    return render(request, "grants/my_applications.html", {"applications": applications})


def _application(request, pk) -> Application:
    return get_object_or_404(
        selectors.applications_visible_to(request.user).prefetch_related(
            "members", "activities", "indicators", "budget_lines__category"
        ),
        pk=pk,
    )


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    official = has_role(request.user, application.call.organisation_id, Role.OFFICIAL)
    # Linked only for whom its page opens (an evaluator sees the application, not this).
    agreement = (
        selectors.agreements_visible_to(request.user).filter(application=application).first()
    )
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "official": official,
            "options": transitions_for(application, request.user),
            "action_url": reverse("grants:application", args=[pk]) + "czynnosc/",
            "documents": documents_of(application),
            "agreement": agreement,
            "reviews": application.reviews.select_related("evaluator") if official else [],
            "editable": application.applicant_id == request.user.pk
            and application.state in EDITABLE_STATES,
            "late_publication": services.publication_is_late(application),
            **(official_context(application, request.user) if official else {}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_transition(request, pk, name):
    application = _application(request, pk)
    url = reverse("grants:application", args=[pk])
    return transition_page(request, obj=application, name=name, success_url=url, back_url=url)


@login_required
@require_http_methods(["GET", "POST"])
def formal_check(request, pk):
    application = _application(request, pk)
    if not has_role(request.user, application.call.organisation_id, Role.OFFICIAL):
        raise Http404
    items = list(application.call.checklist.all())
    answers = {a.item_id: a.passed for a in application.formal_answers.all()}
    form = forms.FormalCheckForm(request.POST or None, items=items, answers=answers)
    if request.method == "POST" and form.is_valid():
        services.formal_check_record(
            application=application, actor=request.user, answers=form.answers()
        )
        messages.success(request, _("The checklist is saved."))
        return redirect("grants:application", pk=pk)
    return render(request, "grants/formal_check.html", {"application": application, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assign_evaluators(request, pk):
    application = _application(request, pk)
    organisation_id = application.call.organisation_id
    if not has_role(request.user, organisation_id, Role.OFFICIAL):
        raise Http404
    evaluators = selectors.evaluators_of(organisation_id).exclude(pk=application.applicant_id)
    form = forms.AssignEvaluatorsForm(request.POST or None, evaluators=evaluators)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviews_assign(
                application=application,
                evaluators=form.cleaned_data["evaluators"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The evaluators are assigned."))
            return redirect("grants:application", pk=pk)
    return render(
        request, "grants/assign_evaluators.html", {"application": application, "form": form}
    )


def _formset_rows(formset) -> list[dict]:
    """The rows of a valid formset that are filled in and not deleted."""
    return [
        {k: v for k, v in row.items() if k != "DELETE"}
        for row in formset.cleaned_data
        if row and not row.get("DELETE")
    ]


class QueuePage(UncountedPage):
    """A page of the queue without counting the queue (#18): 50 rows."""

    size = 50


@login_required
def queue(request):
    """The officials' queue, filterable by call, state and text; 50 a page."""
    office = organisation_ids_with(request.user, Role.OFFICIAL, Role.ORG_ADMIN, Role.FINANCE)
    if not office:
        raise Http404
    params = request.GET
    applications = selectors.application_queue(
        request.user,
        call_id=params.get("call") or None,
        state=params.get("state") or None,
        search=params.get("q") or None,
    )
    page = QueuePage(applications, params.get("page"))
    return render(
        request,
        "grants/queue.html",
        {
            "page": page,
            "calls": Call.objects.filter(organisation_id__in=office).order_by("-opens_at"),
            "states": ApplicationState.choices,
            "params": params,
        },
    )
