"""Pages of the model "the operator pays the group's invoices": the agreement's
invoices, the group's form to submit one, the official's approval or rejection (the
generic transition page), and the report's expenses drawn from them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role
from accounts.views.members import place_errors
from workflows.errors import Conflict, InvalidInput
from workflows.views import transition_page

from .. import selectors
from ..models import GroupInvoice, GroupModel
from ..services.group_invoices import (
    INVOICE_FIELDS,
    group_invoice_submit,
    group_report_from_invoices,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GroupInvoiceForm(forms.ModelForm):
    class Meta:
        model = GroupInvoice
        fields = [name.removesuffix("_id") for name in INVOICE_FIELDS]
        widgets = {"issued_on": DATE, "due_date": DATE}

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = application.budget_lines.all()


def _agreement(request, pk):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    if agreement.application.call.group_model != GroupModel.OPERATOR_PAYS:
        raise Http404
    return agreement


@login_required
@require_http_methods(["GET", "POST"])
def group_invoices(request, pk: int):
    agreement = _agreement(request, pk)
    application = agreement.application
    grantee = application.applicant_id == request.user.pk
    form = GroupInvoiceForm(
        request.POST if request.POST.get("action") == "invoice" else None,
        application=application,
    )
    status = 200
    if request.method == "POST" and grantee:
        action = request.POST.get("action")
        try:
            if action == "report":
                group_report_from_invoices(
                    agreement=agreement,
                    actor=request.user,
                    narrative=request.POST.get("narrative", "")[:10000],
                )
                messages.success(request, _("The report lists the approved invoices."))
                return redirect("grants:report", pk=agreement.pk)
            if form.is_valid():
                values = {k: v for k, v in form.cleaned_data.items() if k != "budget_line"}
                values["budget_line_id"] = form.cleaned_data["budget_line"].pk
                group_invoice_submit(agreement=agreement, actor=request.user, fields=values)
                messages.success(request, _("The invoice was submitted for approval."))
                return redirect("grants:group_invoices", pk=agreement.pk)
        except InvalidInput as exc:
            place_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        status = 400
    elif request.method == "POST":
        raise Http404
    invoices = agreement.group_invoices.select_related("payment_order", "budget_line")
    return render(
        request,
        "grants/group_invoices.html",
        {
            "agreement": agreement,
            "invoices": invoices,
            "form": form if grantee else None,
            "official": has_role(request.user, agreement.organisation_id, Role.OFFICIAL),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_invoice_transition(request, pk: int, invoice_id: int, name: str):
    agreement = _agreement(request, pk)
    invoice = get_object_or_404(GroupInvoice, pk=invoice_id, agreement=agreement)
    url = reverse("grants:group_invoices", args=[agreement.pk])
    return transition_page(request, obj=invoice, name=name, success_url=url, back_url=url)
