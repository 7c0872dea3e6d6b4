"""Each user's own page: name, language, which optional messages to receive, the API
key; and the unsubscribe link of optional e-mails, which needs no sign-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.errors import InvalidInput

from .. import services
from ..forms import ProfileForm
from ..preferences import message_kind_label
from ..tokens import unsubscribe_read
from .members import place_errors


def _page(request, form, **extra):
    from rest_framework.authtoken.models import Token

    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "token_created": token.created if token else None, **extra},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, fields=form.service_fields())
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return _page(request, form)


@login_required
@require_POST
def api_token(request):
    """Create (or replace) the API key, shown once on the page that answers; or revoke it."""
    form = ProfileForm(initial=ProfileForm.initial_for(request.user))
    if request.POST.get("action") == "revoke":
        if services.api_token_revoke(user=request.user):
            messages.success(request, _("The API key is revoked."))
        return redirect("accounts:profile")
    key = services.api_token_create(user=request.user)
    return _page(request, form, new_key=key)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks, POST turns the kind of message off (mail scanners only follow GET)."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "accounts/unsubscribe.html", {"broken": True}, status=400)
    user, group = found
    done = False
    if request.method == "POST":
        services.message_kind_mute(user=user, kind=group)
        done = True
    return render(
        request,
        "accounts/unsubscribe.html",
        {"label": message_kind_label(group), "done": done, "email": user.email},
    )
