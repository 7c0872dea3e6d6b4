"""Pages of informal groups: a member's (or a guardian's) consent by a personal link,
without an account; the leader's page of the group's confirmations and its patron; the
patron organisation's list of patronages to confirm."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from accounts.views.members import place_errors
from workflows.errors import Conflict, InvalidInput

from .. import rules, selectors, services
from ..models import ApplicantKind, GroupModel, MemberConsent, Patronage
from ..workflow import EDITABLE_STATES


class PatronForm(forms.Form):
    patron = forms.ModelChoiceField(label=gettext_lazy("Patron organisation"), queryset=None)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patron"].queryset = selectors.patron_candidates(call)


class PatronageConfirmForm(forms.Form):
    account_number = forms.CharField(
        label=gettext_lazy("Bank account for the grant (NRB)"), max_length=40
    )


@require_http_methods(["GET", "POST"])
def member_consent(request, token: str):
    """The personal link of a member (or of a minor's guardian)."""
    try:
        member, party = services.consent_link_read(token)
    except services.ConsentLinkInvalid as exc:
        return render(
            request,
            "grants/group_consent_invalid.html",
            {"reason": exc.reason},
            status=410 if exc.reason == "expired" else 404,
        )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.group_consent_withdraw(token=token)
                messages.success(request, _("Your consent was withdrawn."))
            elif action == "give":
                services.group_consent_give(token=token)
                messages.success(request, _("Thank you: your consent was recorded."))
            else:
                raise Conflict(_("Choose to confirm or to withdraw."))
        except Conflict as exc:
            messages.error(request, str(exc.message))
            status = 409
        else:
            return redirect("grants:member_consent", token=token)
    consent = MemberConsent.objects.filter(
        application=member.application, member_email=member.email.lower(), party=party
    ).first()
    return render(
        request,
        "grants/group_consent.html",
        {
            "member": member,
            "application": member.application,
            "guardian": party == MemberConsent.Party.GUARDIAN,
            "consent": consent,
            "open": member.application.state in EDITABLE_STATES,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group(request, pk: int):
    """The leader's page: who has confirmed, the links sent, the patron named."""
    application = get_object_or_404(
        selectors.applications_visible_to(request.user).prefetch_related(
            "members", "member_consents"
        ),
        pk=pk,
    )
    if application.kind != ApplicantKind.INFORMAL_GROUP:
        raise Http404
    leader = application.applicant_id == request.user.pk
    editable = leader and application.state in EDITABLE_STATES
    call = application.call
    patronage = Patronage.objects.filter(application=application).select_related("patron").first()
    patron_form = None
    if call.group_model == GroupModel.PATRON and editable:
        patron_form = PatronForm(
            request.POST if request.POST.get("action") == "patron" else None,
            call=call,
            initial={"patron": patronage.patron_id if patronage else None},
        )
    if request.method == "POST":
        if not editable:
            raise Http404
        response = _group_post(request, application, patron_form)
        if response is not None:
            return response
    given = rules.consents_given(application)
    members = [
        {
            "member": m,
            "confirmed": (m.email.lower(), MemberConsent.Party.MEMBER) in given,
            "guardian_consent": (m.email.lower(), MemberConsent.Party.GUARDIAN) in given,
        }
        for m in application.members.all()
    ]
    return render(
        request,
        "grants/group.html",
        {
            "application": application,
            "call": call,
            "members": members,
            "problem": rules.group_problem(application),
            "editable": editable,
            "patronage": patronage,
            "patron_form": patron_form,
            "patron_model": call.group_model == GroupModel.PATRON,
        },
        status=400 if patron_form is not None and patron_form.errors else 200,
    )


def _group_post(request, application, patron_form):
    action = request.POST.get("action")
    if action == "links":
        sent = services.group_consents_request(application=application, actor=request.user)
        messages.success(request, _("Links sent: %(n)d.") % {"n": sent})
        return redirect("grants:group", pk=application.pk)
    if action == "patron" and patron_form is not None and patron_form.is_valid():
        try:
            services.patronage_set(
                application=application,
                actor=request.user,
                patron=patron_form.cleaned_data["patron"],
            )
        except InvalidInput as exc:
            place_errors(patron_form, exc)
            return None
        messages.success(request, _("The patron was asked to confirm."))
        return redirect("grants:group", pk=application.pk)
    return None


@role_required(Role.OFFICIAL, Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def patronages(request):
    """The patronages addressed to the user's organisations, to confirm or decline."""
    rows = list(selectors.patronages_for(request.user))
    forms_by_id = {}
    status = 200
    for patronage in rows:
        bound = request.method == "POST" and request.POST.get("patronage") == str(patronage.pk)
        form = PatronageConfirmForm(
            request.POST if bound else None,
            prefix=f"p{patronage.pk}",
            initial={"account_number": patronage.account_number},
        )
        forms_by_id[patronage.pk] = form
        if not bound:
            continue
        try:
            if request.POST.get("action") == "decline":
                services.patronage_decline(patronage=patronage, actor=request.user)
                messages.success(request, _("The patronage was declined."))
                return redirect("grants:patronages")
            if form.is_valid():
                services.patronage_confirm(
                    patronage=patronage,
                    actor=request.user,
                    account_number=form.cleaned_data["account_number"],
                )
                messages.success(request, _("The patronage was confirmed."))
                return redirect("grants:patronages")
        except InvalidInput as exc:
            place_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        status = 400
    return render(
        request,
        "grants/patronages.html",
        {"rows": [(p, forms_by_id[p.pk]) for p in rows]},
        status=status,
    )
