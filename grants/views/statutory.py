"""Statutory records and documents: the interest rates on tax arrears (late grant
returns), kept by finance and organisation administrators (a new rate from a date,
never a change of the past); the signed copies of agreements and annexes; the
committee's documents of a call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role, role_required
from accounts.views.members import place_errors
from documents.selectors import documents_of
from workflows.errors import DomainError, InvalidInput

from .. import selectors
from ..forms import InterestRateForm
from ..forms_offer import SignedCopyForm
from ..models import InterestRate
from ..services.agreements import signed_copy_add
from ..services.committee import (
    CALL_DOCUMENTS,
    call_document_request,
    decision_letters_send,
    protocol_sign_off,
)
from ..services.statutory import interest_rate_add


@role_required(Role.FINANCE, Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def interest_rates(request):
    form = InterestRateForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            rate = interest_rate_add(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("The rate of %(rate)s%% is in force from %(date)s.")
                % {"rate": rate.annual_rate, "date": rate.valid_from.isoformat()},
            )
            return redirect("grants:interest_rates")
    today = timezone.localdate()
    rates = list(InterestRate.objects.order_by("-valid_from"))
    current = next((r for r in rates if r.valid_from <= today), None)
    return render(
        request,
        "grants/interest_rates.html",
        {"form": form, "rates": rates, "current": current},
    )


# Signed copies of agreements and annexes ------------------------------------------


def _official_agreement(request, pk):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    if not has_role(request.user, agreement.organisation_id, Role.OFFICIAL):
        raise Http404
    return agreement


@login_required
@require_http_methods(["GET", "POST"])
def signed_copy_upload(request, pk):
    """An official records the signed agreement or annex: its file, kept byte for byte,
    or the date it was signed on paper."""
    agreement = _official_agreement(request, pk)
    form = SignedCopyForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            copy = signed_copy_add(
                agreement=agreement,
                actor=request.user,
                signed_on=form.cleaned_data["signed_on"],
                annex=form.cleaned_data["annex"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(method)s, signed on %(date)s.")
                % {"method": copy.get_method_display(), "date": copy.signed_on.isoformat()},
            )
            return redirect("grants:agreement", pk=agreement.pk)
    return render(request, "grants/signed_copy_form.html", {"agreement": agreement, "form": form})


@login_required
def signed_copy_download(request, pk, copy_id):
    """The signed file exactly as it was uploaded, to whoever may see the agreement."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    copy = get_object_or_404(agreement.signed_copies.exclude(file=""), pk=copy_id)
    return FileResponse(
        copy.file.open("rb"),
        as_attachment=True,
        filename=copy.original_name or copy.file.name.rsplit("/", 1)[-1],
        content_type=copy.content_type or "application/octet-stream",
    )


def agreement_documents_context(agreement, user) -> dict:
    """What the agreement page shows of its documents: the offer and annexes attached,
    the version history, the signed copies, and whether the user may add one."""
    return {
        "attached_documents": selectors.agreement_annex_documents(agreement),
        "history": selectors.agreement_history(agreement),
        "signed_copies": list(agreement.signed_copies.select_related("annex")),
        "may_add_signed_copy": has_role(user, agreement.organisation_id, Role.OFFICIAL),
    }


# The committee's and the decision documents of a call ------------------------------

CALL_ACTIONS = ("call-notice", "protocol", "decision-list", "sign-off", "letters")


@login_required
@require_http_methods(["GET", "POST"])
def call_documents(request, pk):
    """The documents of a call for its officials: the notice, the committee protocol
    (and its sign-off by the chair), the decision list and the letters to applicants."""
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    if not has_role(request.user, call.organisation_id, Role.OFFICIAL):
        raise Http404
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _call_action(call, request.user, action)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, CALL_ACTION_DONE.get(action, _("Done.")))
            return redirect("grants:call_documents", pk=call.pk)
    return render(
        request,
        "grants/call_documents.html",
        {
            "call": call,
            "documents": documents_of(call),
            "sign_offs": call.protocol_sign_offs.select_related("chair", "document"),
            "error": error,
        },
        status=409 if error else 200,
    )


CALL_ACTION_DONE = {
    "sign-off": _lazy("The protocol is signed off."),
    "letters": _lazy("The letters are being prepared and sent."),
}


def _call_action(call, user, action: str) -> None:
    if action == "sign-off":
        protocol_sign_off(call=call, actor=user)
    elif action == "letters":
        decision_letters_send(call=call, actor=user)
    elif action in CALL_DOCUMENTS:
        call_document_request(call=call, actor=user, kind=action)
    else:
        raise InvalidInput(_("Choose what to do."))
