"""Pages of agreements (umowy)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role
from documents.selectors import documents_of
from workflows.engine import transitions_for
from workflows.errors import DomainError, InvalidInput
from workflows.views import transition_page

from .. import forms, selectors, services
from ..rules import percent
from ..workflow import AgreementState
from .applications import (
    _application,
)
from .statutory import agreement_documents_context

# Agreements -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, pk):
    application = _application(request, pk)
    if not has_role(request.user, application.call.organisation_id, Role.OFFICIAL):
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
            "documents": documents_of(agreement, kind="agreement"),
            **agreement_documents_context(agreement, request.user),
            "official": has_role(request.user, agreement.organisation_id, Role.OFFICIAL),
            "report_opens": selectors.report_opens(agreement, request.user),
            "changes": agreement.change_requests.order_by("pk"),
            "may_ask_change": agreement.application.applicant_id == request.user.pk
            and agreement.state == AgreementState.IN_IMPLEMENTATION,
            "tolerance": percent(agreement.application.call.budget_shift_tolerance),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request(request, pk):
    """The grantee asks to move grant money between budget lines; the page says the
    call's tolerance: within it no annex is needed, beyond it the office makes one."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    application = agreement.application
    if application.applicant_id != request.user.pk:
        raise Http404
    lines = application.budget_lines.select_related("category")
    form = forms.ChangeRequestForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_request_submit(
                agreement=agreement,
                actor=request.user,
                description=form.cleaned_data["description"],
                shifts=form.shifts(),
            )
        except InvalidInput as exc:
            for errors in exc.field_errors.values():
                form.add_error(None, errors)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("The change is sent to the office; it needs an annex to the agreement.")
                if change.needs_annex
                else _("The change is sent to the office; it is within the tolerance, no annex."),
            )
            return redirect("grants:agreement", pk=pk)
    return render(
        request,
        "grants/change_request.html",
        {
            "agreement": agreement,
            "form": form,
            "tolerance": percent(application.call.budget_shift_tolerance),
        },
    )


@login_required
@require_http_methods(["POST"])
def change_request_approve(request, pk, change_id):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    change = get_object_or_404(agreement.change_requests, pk=change_id)
    try:
        services.change_request_approve(change=change, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The change is approved."))
    return redirect("grants:agreement", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_transition(request, pk, name):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    url = reverse("grants:agreement", args=[pk])
    return transition_page(request, obj=agreement, name=name, success_url=url, back_url=url)
