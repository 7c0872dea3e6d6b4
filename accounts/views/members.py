"""Pages of the organisation administrator: members and roles, invitations, the
organisation's data; and the invitee's page that sets a password."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.errors import DomainError, InvalidInput

from .. import services
from ..forms import InviteForm, OrganisationForm, RepresentativeFormSet, RoleForm, SetPasswordForm
from ..models import Organisation, Role, User
from ..permissions import has_role
from ..selectors import members_of
from ..tokens import InvitationInvalid, invitation_user


def place_errors(form, exc: InvalidInput) -> None:
    """A service's refusal shown where it belongs: at the field, else above the form."""
    for field, errors in exc.field_errors.items():
        form.add_error(field if field in form.fields else None, errors)
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


def _administered(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not has_role(request.user, organisation.pk, Role.ORG_ADMIN):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def members(request, pk):
    organisation = _administered(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.member_invite(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            if user.is_active:
                messages.success(request, _("%(email)s has the new role.") % {"email": user.email})
            else:
                messages.success(
                    request,
                    _("An invitation is sent to %(email)s.") % {"email": user.email},
                )
            return redirect("accounts:members", pk=organisation.pk)
    return render(
        request,
        "accounts/members.html",
        {"organisation": organisation, "members": members_of(organisation), "form": form},
    )


def _member(organisation: Organisation, user_pk: int) -> User:
    return get_object_or_404(members_of(organisation), pk=user_pk)


@login_required
@require_http_methods(["GET", "POST"])
def member(request, pk, user_pk):
    organisation = _administered(request, pk)
    person = _member(organisation, user_pk)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_role_grant(
                organisation=organisation,
                user=person,
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("The role is given."))
            return redirect("accounts:member", pk=pk, user_pk=user_pk)
    return render(
        request,
        "accounts/member.html",
        {"organisation": organisation, "person": person, "form": form},
    )


def _member_action(request, pk, user_pk, write, done) -> HttpResponse:
    """A button on the member's page: run the service, say how it went, go back."""
    organisation = _administered(request, pk)
    person = _member(organisation, user_pk)
    try:
        write(organisation=organisation, user=person, actor=request.user)
    except DomainError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, done)
    return redirect("accounts:member", pk=pk, user_pk=user_pk)


@login_required
@require_POST
def member_role_revoke(request, pk, user_pk):
    role = request.POST.get("role", "")
    return _member_action(
        request,
        pk,
        user_pk,
        partial(services.member_role_revoke, role=role),
        _("The role is taken away."),
    )


@login_required
@require_POST
def member_deactivate(request, pk, user_pk):
    return _member_action(
        request,
        pk,
        user_pk,
        services.user_deactivate,
        _("The account is deactivated; its history stays."),
    )


def _first_error(exc: DomainError) -> str:
    for errors in exc.field_errors.values():
        return str(errors[0])
    return str(exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = _administered(request, pk)
    posted = request.method == "POST"
    form = OrganisationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=organisation,
    )
    initial = [
        {"full_name": r.full_name, "function": r.function}
        for r in organisation.representatives.order_by("order", "pk")
    ]
    formset = RepresentativeFormSet(
        request.POST if posted else None, initial=initial, prefix="representatives"
    )
    if posted and form.is_valid() and formset.is_valid():
        representatives = [
            (row["full_name"], row["function"])
            for row in formset.cleaned_data
            if row and not row.get("DELETE")
        ]
        logo = form.cleaned_data.get("logo")
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                fields={n: form.cleaned_data[n] for n in services.ORGANISATION_FIELDS},
                representatives=representatives,
                logo=logo if "logo" in request.FILES else None,
                logo_clear=logo is False,
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("The organisation's data are saved."))
            return redirect("accounts:organisation", pk=organisation.pk)
    organisation.refresh_from_db()
    return render(
        request,
        "accounts/organisation_form.html",
        {"organisation": organisation, "form": form, "formset": formset},
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link from the invitation e-mail: set a password, then sign in."""
    try:
        user = invitation_user(token)
    except InvitationInvalid as exc:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": exc.reason}, status=400
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(user=user, password=form.cleaned_data["password1"])
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Your password is set. Sign in with it now."))
            return redirect("account_login")
    return render(request, "accounts/invitation.html", {"invitee": user, "form": form})
