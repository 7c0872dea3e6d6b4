"""Pages of the micro-grant process for residents, officials and evaluators. Views are
thin: they pick the object through a selector (so what is not visible is 404), bind a
form, and call a service or the engine."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation, Role
from documents.selectors import documents_of
from workflows.engine import transition_apply, transitions_for
from workflows.errors import ConcurrentChange, DomainError, InvalidInput
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Application, Call, Expense, Report, Return
from ..workflow import (
    EDITABLE_STATES,
    AgreementState,
    ApplicationState,
    ReportState,
    ReviewState,
    moment_label,
)

# Calls ------------------------------------------------------------------------------


def _is_official(user, organisation_id) -> bool:
    return user.is_authenticated and Role.OFFICIAL in user.roles_in(organisation_id)


def call_list(request):
    calls = selectors.calls_visible_to(request.user)
    can_create = request.user.is_authenticated and bool(
        request.user.organisation_ids(Role.OFFICIAL)
    )
    return render(request, "grants/call_list.html", {"calls": calls, "can_create": can_create})


def call_detail(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    official = _is_official(request.user, call.organisation_id)
    context = {
        "call": call,
        "official": official,
        "criteria": call.criteria.all(),
        "categories": call.cost_categories.all(),
        "options": transitions_for(call, request.user) if official else [],
        "action_url": reverse("grants:call", args=[pk]) + "czynnosc/",
        "funded": selectors.funded_publicly(call),
    }
    return render(request, "grants/call_detail.html", context)


def _call_form_page(request, *, call=None):
    organisations = request.user.organisation_ids(Role.OFFICIAL)
    if not organisations or (call and call.organisation_id not in organisations):
        raise Http404
    form = forms.CallForm(
        request.POST or None,
        instance=call,
        organisations=Organisation.objects.filter(pk__in=organisations),
    )
    formsets = {}
    if call is None:
        formsets = {
            "criteria": forms.CriterionFormSet(request.POST or None, prefix="criteria"),
            "cost_categories": forms.CostCategoryFormSet(request.POST or None, prefix="categories"),
            "checklist": forms.ChecklistFormSet(request.POST or None, prefix="checklist"),
        }
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if call is None:
                rows = {
                    name: [row for row in fs.cleaned_data if row and not row.get("DELETE")]
                    for name, fs in formsets.items()
                }
                call = services.call_create(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    criteria=rows["criteria"],
                    cost_categories=rows["cost_categories"],
                    checklist=[row["text"] for row in rows["checklist"]],
                    **data,
                )
            else:
                call = services.call_update(
                    call=call, actor=request.user, expected_version=form.edited_version(), **data
                )
        except ConcurrentChange:
            form.show_conflict(Call.objects.values_list("version", flat=True).get(pk=call.pk))
        except DomainError as exc:
            for field, errors in (exc.field_errors or {None: [exc.message]}).items():
                form.add_error(field if field in form.fields else None, errors)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("grants:call", pk=call.pk)
    return render(
        request, "grants/call_form.html", {"form": form, "formsets": formsets, "call": call}
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    return _call_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    return _call_form_page(request, call=call)


@login_required
@require_http_methods(["GET", "POST"])
def call_transition(request, pk, name):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    url = reverse("grants:call", args=[pk])
    return transition_page(request, obj=call, name=name, success_url=url, back_url=url)


@login_required
def ranking(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    if not _is_official(request.user, call.organisation_id):
        raise Http404
    proposals = dict(services.award_proposals(call))
    rows = [(a, proposals.get(a)) for a in selectors.ranking(call)]
    return render(
        request,
        "grants/ranking.html",
        {"call": call, "rows": rows, "committed": services.pool_committed(call)},
    )


def results(request, pk):
    """Public results, once announced: funded initiatives without personal data of
    natural persons. Before the announcement there are none to show (404)."""
    call = get_object_or_404(selectors.calls_with_public_results(), pk=pk)
    return render(
        request,
        "grants/results.html",
        {"call": call, "funded": selectors.funded_publicly(call)},
    )


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
    official = _is_official(request.user, application.call.organisation_id)
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
    if not _is_official(request.user, application.call.organisation_id):
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
    if not _is_official(request.user, organisation_id):
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


@login_required
def queue(request):
    """The officials' queue, filterable by call, state and text; 50 a page."""
    office = request.user.organisation_ids(Role.OFFICIAL, Role.ORG_ADMIN, Role.FINANCE)
    if not office:
        raise Http404
    params = request.GET
    applications = selectors.application_queue(
        request.user,
        call_id=params.get("call") or None,
        state=params.get("state") or None,
        search=params.get("q") or None,
    )
    page = Paginator(applications, 50).get_page(params.get("page"))
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


# Evaluation -------------------------------------------------------------------------


@login_required
def my_reviews(request):
    reviews = (
        selectors.reviews_visible_to(request.user)
        .filter(evaluator=request.user)
        .select_related("application__call")
    )
    return render(request, "grants/my_reviews.html", {"reviews": reviews})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The evaluator's page: the declaration first; the application's content and the
    scoring form only after declaring impartiality."""
    item = get_object_or_404(selectors.reviews_visible_to(request.user), pk=pk)
    is_evaluator = item.evaluator_id == request.user.pk
    form = None
    if is_evaluator and item.state == ReviewState.DECLARED:
        criteria = list(item.application.call.criteria.all())
        scores = {s.criterion_id: s for s in item.scores.all()}
        form = forms.ScoreForm(request.POST or None, criteria=criteria, scores=scores)
        if request.method == "POST" and form.is_valid():
            try:
                services.review_score(review=item, actor=request.user, scores=form.scores())
                if "submit" in request.POST:
                    transition_apply(obj=item, name="submit", actor=request.user)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("The scores are saved."))
                return redirect("grants:review", pk=pk)
    show_application = item.state in (ReviewState.DECLARED, ReviewState.SUBMITTED)
    application = item.application if show_application else None
    return render(
        request,
        "grants/review.html",
        {
            "review": item,
            "application": application,
            "form": form,
            "options": transitions_for(item, request.user),
            "action_url": reverse("grants:review", args=[pk]) + "czynnosc/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_transition(request, pk, name):
    item = get_object_or_404(selectors.reviews_visible_to(request.user), pk=pk)
    url = reverse("grants:review", args=[pk])
    return transition_page(request, obj=item, name=name, success_url=url, back_url=url)


# Agreements -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, pk):
    application = _application(request, pk)
    if not _is_official(request.user, application.call.organisation_id):
        raise Http404
    form = forms.AgreementForm(request.POST or None)
    tranches = forms.TrancheFormSet(
        request.POST or None,
        prefix="tranches",
        initial=[{"amount": application.approved_amount}],
    )
    if request.method == "POST" and form.is_valid() and tranches.is_valid():
        try:
            agreement = services.agreement_create(
                application=application,
                actor=request.user,
                spending_deadline=form.cleaned_data["spending_deadline"],
                tranches=[(row["amount"], row["due_date"]) for row in tranches.cleaned_data if row],
            )
        except InvalidInput as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The agreement is drafted."))
            return redirect("grants:agreement", pk=agreement.pk)
    return render(
        request,
        "grants/agreement_form.html",
        {"application": application, "form": form, "tranches": tranches},
    )


@login_required
def agreements(request):
    items = selectors.agreements_visible_to(request.user)
    return render(request, "grants/agreements.html", {"agreements": items})


@login_required
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        selectors.agreements_visible_to(request.user).prefetch_related("tranches", "returns"),
        pk=pk,
    )
    return render(
        request,
        "grants/agreement_detail.html",
        {
            "agreement": agreement,
            "options": transitions_for(agreement, request.user),
            "action_url": reverse("grants:agreement", args=[pk]) + "czynnosc/",
            "documents": documents_of(agreement),
            "official": _is_official(request.user, agreement.organisation_id),
            "report_opens": _report_opens(agreement, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_transition(request, pk, name):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    url = reverse("grants:agreement", args=[pk])
    return transition_page(request, obj=agreement, name=name, success_url=url, back_url=url)


# Reports and settlement -------------------------------------------------------------


def _report_opens(agreement, user) -> bool:
    """Whether the report page opens for ``user`` (see ``report``): the grantee may start
    it once the agreement is signed; others read it once it exists."""
    if agreement.state in (AgreementState.DRAFT, AgreementState.GENERATED, AgreementState.SENT):
        return False
    if agreement.application.applicant_id == user.pk:
        return True
    return Report.objects.filter(agreement=agreement).exists()


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """The final report: the grantee writes it; the official reviews it, marks
    ineligible expenses and decides."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    application = agreement.application
    item = Report.objects.filter(agreement=agreement).prefetch_related("expenses").first()
    is_grantee = application.applicant_id == request.user.pk
    editable = is_grantee and (
        item is None or item.state in (ReportState.DRAFT, ReportState.CORRECTIONS_REQUESTED)
    )
    if not editable and item is None:
        raise Http404
    form = expenses = None
    if editable:
        lines = application.budget_lines.all()
        data = request.POST or None
        form = forms.ReportForm(
            data,
            indicators=application.indicators.all(),
            initial={
                "narrative": item.narrative if item else "",
                "volunteer_hours": item.volunteer_hours if item else 0,
            },
        )
        expenses = forms.ExpenseFormSet(
            data,
            prefix="expenses",
            form_kwargs={"lines": lines},
            initial=[
                {
                    "document_number": e.document_number,
                    "document_date": e.document_date,
                    "issuer": e.issuer,
                    "purpose": e.purpose,
                    "budget_line": e.budget_line_id,
                    "amount": e.amount,
                    "from_grant": e.from_grant,
                }
                for e in (item.expenses.all() if item else [])
            ],
        )
        if request.method == "POST" and form.is_valid() and expenses.is_valid():
            rows = []
            for row in _formset_rows(expenses):
                row["budget_line_id"] = row.pop("budget_line").pk
                rows.append(row)
            try:
                item = services.report_save(
                    agreement=agreement,
                    actor=request.user,
                    narrative=form.cleaned_data["narrative"],
                    volunteer_hours=form.cleaned_data["volunteer_hours"],
                    achieved=form.achieved(),
                    expenses=rows,
                )
                if "submit" in request.POST:
                    transition_apply(obj=item, name="submit", actor=request.user)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                for errors in exc.field_errors.values():
                    form.add_error(None, errors)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("grants:report", pk=pk)
    return render(
        request,
        "grants/report.html",
        {
            "agreement": agreement,
            "report": item,
            "form": form,
            "expenses": expenses,
            "official": _is_official(request.user, agreement.organisation_id),
            "options": transitions_for(item, request.user) if item else [],
            "action_url": reverse("grants:report", args=[pk]) + "czynnosc/",
            "ineligible_form": forms.IneligibleForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_transition(request, pk, name):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    item = get_object_or_404(Report, agreement=agreement)
    url = reverse("grants:report", args=[pk])
    return transition_page(request, obj=item, name=name, success_url=url, back_url=url)


def _posted_action(request, form, *, invalid, run, done, back):
    """A one-field form posted from a page: run the service, tell the outcome, go back."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            run(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, done)
    return redirect(back)


@login_required
@require_http_methods(["POST"])
def expense_ineligible(request, pk, expense_id):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    expense = get_object_or_404(Expense, pk=expense_id, report__agreement=agreement)
    return _posted_action(
        request,
        forms.IneligibleForm(request.POST),
        invalid=_("Say why the expense is ineligible."),
        run=lambda data: services.expense_mark_ineligible(
            expense=expense, actor=request.user, reason=data["reason"]
        ),
        done=_("The expense is marked ineligible."),
        back=reverse("grants:report", args=[pk]),
    )


@login_required
@require_http_methods(["POST"])
def return_record(request, pk, return_id):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    ret = get_object_or_404(Return, pk=return_id, agreement=agreement)
    return _posted_action(
        request,
        forms.ReturnForm(request.POST),
        invalid=_("Give the date the money came back."),
        run=lambda data: services.return_record(
            ret=ret, actor=request.user, returned_on=data["returned_on"]
        ),
        done=_("The return is recorded with its interest."),
        back=reverse("grants:agreement", args=[pk]),
    )


# Art. 19a: public comments ------------------------------------------------------------

COMMENTS_PER_HOUR = 5


def _comment_allowed(request) -> bool:
    """At most a few comments an hour from one address (kept in the cache)."""
    key = "grants:comments:" + request.META.get("REMOTE_ADDR", "")
    count = cache.get(key, 0)
    if count >= COMMENTS_PER_HOUR:
        return False
    cache.set(key, count + 1, 3600)
    return True


def public_offers(request):
    offers = Application.objects.filter(
        state=ApplicationState.PUBLISHED_FOR_COMMENT
    ).select_related("call", "call__organisation")
    return render(request, "grants/public_offers.html", {"offers": offers})


@require_http_methods(["GET", "POST"])
def public_offer(request, pk):
    """An art. 19a offer during its comment period: anyone may read and comment."""
    offer = get_object_or_404(
        Application.objects.filter(state=ApplicationState.PUBLISHED_FOR_COMMENT)
        .select_related("call", "call__organisation")
        .prefetch_related("budget_lines__category", "public_comments"),
        pk=pk,
    )
    form = forms.PublicCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _comment_allowed(request):
            form.add_error(None, _("Too many comments from this address; try again in an hour."))
        else:
            try:
                services.public_comment_add(application=offer, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Thank you: the comment is published."))
                return redirect("grants:public_offer", pk=pk)
    ends = moment_label(offer.comment_period_ends)
    return render(request, "grants/public_offer.html", {"offer": offer, "form": form, "ends": ends})
