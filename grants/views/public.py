"""Art. 19a public pages: offers published for comments, and commenting on them."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.errors import DomainError

from .. import forms, services
from ..document_contexts.offer import offer_statutory_context
from ..models import Application
from ..workflow import (
    ApplicationState,
    moment_label,
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
        .prefetch_related("activities", "indicators", "public_comments"),
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
    return render(
        request,
        "grants/public_offer.html",
        {"offer": offer, "form": form, "ends": ends, "statutory": public_offer_context(offer)},
    )


def public_offer_context(offer: Application) -> dict:
    """Art. 19a ust. 3: the whole offer is published, but not the personal data of
    natural persons in it: no contact person, phone, e-mail, representatives or bank
    account; the register number of the organisation stays."""
    statutory = offer_statutory_context(offer)
    for personal in ("contact",):
        statutory.pop(personal)
    return statutory
