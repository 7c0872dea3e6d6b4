"""Pages of final reports (sprawozdania), ineligible expenses and returns (zwroty)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role
from attachments.forms import AttachmentForm
from attachments.models import Attachment
from attachments.selectors import attachment_for, attachments_of
from attachments.services import attachment_add, attachment_delete
from workflows.engine import transition_apply, transitions_for
from workflows.errors import DomainError, InvalidInput
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Expense, Report, Return
from ..models.reports import REPORT_STATUTORY_FIELDS
from ..workflow import (
    ReportState,
)
from .applications import (
    _formset_rows,
)

# Reports and settlement -------------------------------------------------------------


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
    form = expenses = files = None
    if editable:
        lines = application.budget_lines.all()
        data = request.POST or None
        form = forms.ReportForm(
            data,
            indicators=application.indicators.all(),
            initial={
                "narrative": item.narrative if item else "",
                "volunteer_hours": item.volunteer_hours if item else 0,
                **{name: getattr(item, name) for name in REPORT_STATUTORY_FIELDS if item},
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
        files = AttachmentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and expenses.is_valid():
            saved = _report_post(request, agreement, form, expenses, files)
            if saved:
                return saved
    return render(
        request,
        "grants/report.html",
        {
            "agreement": agreement,
            "report": item,
            "form": form,
            "expenses": expenses,
            "official": has_role(request.user, agreement.organisation_id, Role.OFFICIAL),
            "options": transitions_for(item, request.user) if item else [],
            "action_url": reverse("grants:report", args=[pk]) + "czynnosc/",
            "ineligible_form": forms.IneligibleForm(),
            "attachment_form": files,
            "attachments": attachments_of(item) if item else [],
        },
    )


def _report_post(request, agreement, form, expenses, files):
    """Save the report, attach the photo or scan chosen, delete one asked for, then
    submit when asked. A refused file is said at its field: the report stays saved."""
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
            statutory=form.statutory(),
        )
        delete = request.POST.get("delete_attachment", "")
        attachment = attachment_for(request.user, int(delete)) if delete.isdigit() else None
        if attachment is not None and attachment.owner_id == item.pk:
            attachment_delete(attachment=attachment, actor=request.user)
        upload = files.is_valid() and files.cleaned_data.get("attachment")
        if upload:
            try:
                attachment_add(
                    owner=item, actor=request.user, upload=upload, purpose=Attachment.Purpose.PHOTO
                )
            except InvalidInput as exc:
                files.add_error("attachment", str(exc.message))
                messages.error(request, _("The report is saved; the file was refused."))
                return None
        if "submit" in request.POST:
            transition_apply(obj=item, name="submit", actor=request.user)
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        for errors in exc.field_errors.values():
            form.add_error(None, errors)
        return None
    messages.success(request, _("The report is saved."))
    return redirect("grants:report", pk=agreement.pk)


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
