"""Pages of applications (wnioski): starting, editing, the formal check, evaluators, the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role, organisation_ids_with
from documents.selectors import documents_of
from workflows.engine import transition_apply, transitions_for
from workflows.errors import ConcurrentChange, DomainError, InvalidInput
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
            "members", "activities", "indicators", "budget_lines__category", "attachments"
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


def _formset_rows(formset) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k != "DELETE"}
        for row in formset.cleaned_data
        if row and not row.get("DELETE")
    ]


_INITIAL_KEYS = ("members", "activities", "indicators", "lines")


def _initial(application):
    return {
        "members": [
            {
                "full_name": m.full_name,
                "email": m.email,
                "is_leader": m.is_leader,
                "declares_adult_resident": m.declares_adult_resident,
                "consents_to_processing": m.consents_to_processing,
            }
            for m in application.members.all()
        ],
        "activities": [
            {"name": a.name, "start_date": a.start_date, "end_date": a.end_date}
            for a in application.activities.all()
        ],
        "indicators": [
            {"name": i.name, "target": i.target, "unit": i.unit}
            for i in application.indicators.all()
        ],
        "lines": [
            {
                "category": line.category_id,
                "description": line.description,
                "unit": line.unit,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "from_grant": line.from_grant,
                "own_money": line.own_money,
                "own_in_kind": line.own_in_kind,
            }
            for line in application.budget_lines.all()
        ],
    }


# Errors of the submission rules that name no field of the page, by where they are shown:
# a formset's own errors (above its rows), or the top of the form.
_FORMSET_OF_ERROR = {
    "members": "members",
    "budget_lines": "budget_lines",
    "requested_amount": "budget_lines",
    "own_contribution": "budget_lines",
    "own_money": "budget_lines",
}

# How the service reads each list back (the models' ordering), so that an error about
# its row i is shown at the form that row came from.
_SAVED_ORDER = {
    "members": lambda row: not row.cleaned_data.get("is_leader"),
    "activities": lambda row: row.cleaned_data.get("start_date"),
}


def _row_forms(formsets, *, saved_order: bool) -> dict[str, list]:
    """The forms of each formset that became rows (not empty, not deleted): in the order
    they were sent (errors of the draft) or the order they are read back (rule errors)."""
    rows = {}
    for name, formset in formsets.items():
        kept = [
            subform
            for subform, data in zip(formset.forms, formset.cleaned_data, strict=True)
            if data and not data.get("DELETE")
        ]
        if saved_order and name in _SAVED_ORDER:
            kept.sort(key=_SAVED_ORDER[name])  # stable: ties keep the order sent
        rows[name] = kept
    return rows


def _place_errors(errors: dict, form, formsets, *, saved_order: bool = False) -> None:
    """Show the service's field errors next to the fields that caused them: a row's error
    at that row's form, a list's error above the list, the rest at the top of the form.
    ``form`` and ``formsets`` are bound and validated, so what was typed stays shown."""
    rows = _row_forms(formsets, saved_order=saved_order)
    for key, messages_ in errors.items():
        name, _sep, rest = key.partition("[")
        if name in formsets and rest:
            index = int(rest.split("]")[0])
            field = key.split(".", 1)[1] if "." in key else None
            if index < len(rows[name]):
                target = rows[name][index]
                target.add_error(field if field in target.fields else None, messages_)
                continue
            _formset_error(formsets[name], messages_)
        elif name in form.fields:
            form.add_error(name, messages_)
        elif _FORMSET_OF_ERROR.get(name) in formsets:
            _formset_error(formsets[_FORMSET_OF_ERROR[name]], messages_)
        else:
            form.add_error(None, messages_)


def _formset_error(formset, messages_) -> None:
    """Add errors above a validated formset's rows (its non-form errors)."""
    formset.non_form_errors().extend(messages_)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    """The application form: everything on one page, saved as a draft on every POST;
    "Submit" saves first, so a refused submission never loses what was typed."""
    application = _application(request, pk)
    if application.applicant_id != request.user.pk or application.state not in EDITABLE_STATES:
        raise Http404
    call = application.call
    data = request.POST or None
    # The saved rows fill the page; a post is read as sent, never compared with them (a
    # posted row equal to its saved one would otherwise count as empty and be dropped).
    initial = _initial(application) if data is None else dict.fromkeys(_INITIAL_KEYS)
    form = forms.ApplicationForm(data, instance=application)
    formsets = {
        "members": forms.MemberFormSet(data, prefix="members", initial=initial["members"]),
        "activities": forms.ActivityFormSet(
            data, prefix="activities", initial=initial["activities"]
        ),
        "indicators": forms.IndicatorFormSet(
            data, prefix="indicators", initial=initial["indicators"]
        ),
        "budget_lines": forms.BudgetLineFormSet(
            data, prefix="lines", initial=initial["lines"], form_kwargs={"call": call}
        ),
    }
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        lines = []
        for row in _formset_rows(formsets["budget_lines"]):
            row["category_id"] = row.pop("category").pk
            row["own_money"] = row.get("own_money") or 0
            row["own_in_kind"] = row.get("own_in_kind") or 0
            lines.append(row)
        try:
            with transaction.atomic():
                services.application_save_draft(
                    application=application,
                    actor=request.user,
                    fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                    members=_formset_rows(formsets["members"]),
                    activities=_formset_rows(formsets["activities"]),
                    indicators=_formset_rows(formsets["indicators"]),
                    budget_lines=lines,
                    expected_version=form.edited_version(),
                )
        except ConcurrentChange:
            form.show_conflict(Application.objects.values_list("version", flat=True).get(pk=pk))
        except InvalidInput as exc:
            _place_errors(exc.field_errors, form, formsets)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("The draft is saved."))
                return redirect("grants:application_edit", pk=pk)
            name = {
                ApplicationState.DRAFT: "submit",
                ApplicationState.CORRECTIONS_REQUESTED: "resubmit",
                ApplicationState.BUDGET_REVISION: "submit_revised_budget",
            }[application.state]
            try:
                transition_apply(obj=application, name=name, actor=request.user)
            except InvalidInput as exc:
                messages.error(request, str(exc.message))
                _place_errors(exc.field_errors, form, formsets, saved_order=True)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The application is submitted."))
                return redirect("grants:application", pk=pk)
    application.refresh_from_db()
    return render(
        request,
        "grants/application_form.html",
        {"application": application, "form": form, "formsets": formsets, "call": call},
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


class QueuePage:
    """A page of the queue without counting the queue: its rows and one more, to know
    whether a next page exists, so that the page costs the same at any size (#18)."""

    size = 50

    def __init__(self, queryset, number) -> None:
        try:
            self.number = max(int(number or 1), 1)
        except ValueError:
            self.number = 1
        start = (self.number - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        self.object_list = rows[: self.size]
        self.has_next = len(rows) > self.size
        self.has_previous = self.number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.previous_page_number = self.number - 1
        self.next_page_number = self.number + 1

    def __iter__(self):
        return iter(self.object_list)


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
