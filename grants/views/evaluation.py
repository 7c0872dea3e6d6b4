"""Pages of the evaluation (ocena): an evaluator's reviews and scoring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.engine import transition_apply
from workflows.errors import DomainError
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Application
from ..workflow import (
    ReviewState,
)
from .case import inline_actions

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
    return render(
        request,
        "grants/review.html",
        {
            "review": item,
            # Before the declaration only who applies (to see a conflict of interest).
            "application": _whole_application(item.application_id) if show_application else None,
            "form": form,
            "inline_actions": inline_actions(
                item, request.user, url=reverse("grants:review", args=[pk]) + "czynnosc/"
            ),
        },
    )


def _whole_application(pk: int) -> Application:
    return (
        Application.objects.select_related("call")
        .prefetch_related(
            "members", "activities", "indicators", "budget_lines__category", "attachments"
        )
        .get(pk=pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_transition(request, pk, name):
    item = get_object_or_404(selectors.reviews_visible_to(request.user), pk=pk)
    url = reverse("grants:review", args=[pk])
    return transition_page(request, obj=item, name=name, success_url=url, back_url=url)
