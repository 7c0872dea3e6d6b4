"""Pages of the evaluation (ocena): an evaluator's reviews and scoring."""

from decimal import Decimal

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role
from workflows.engine import transition_apply
from workflows.errors import DomainError, InvalidInput
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Application
from ..services.ranking import ranking_decide
from ..workflow import (
    ApplicationState,
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
        .prefetch_related("members", "activities", "indicators", "budget_lines__category")
        .get(pk=pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_transition(request, pk, name):
    item = get_object_or_404(selectors.reviews_visible_to(request.user), pk=pk)
    url = reverse("grants:review", args=[pk])
    return transition_page(request, obj=item, name=name, success_url=url, back_url=url)


# Ranking ----------------------------------------------------------------------------

DECIDABLE = (ApplicationState.EVALUATED, ApplicationState.RESERVE)


class RankingDecisionForm(django_forms.Form):
    """One decision for the ticked applications, with one justification; each ticked
    application to approve has its amount (the proposal down the ranking to start)."""

    applications = django_forms.MultipleChoiceField(
        label=gettext_lazy("Applications"), choices=(), required=False
    )
    decision = django_forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=django_forms.RadioSelect,
        choices=(
            ("approve", gettext_lazy("Approve (the amounts in the table)")),
            ("put_on_reserve", gettext_lazy("Put on the reserve list")),
            ("reject", gettext_lazy("Reject")),
        ),
        initial="approve",
    )
    justification = django_forms.CharField(
        label=gettext_lazy("Justification (one for all)"),
        max_length=4000,
        widget=django_forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.decidable = [a for a, _proposed in rows if a.state in DECIDABLE]
        self.fields["applications"].choices = [(str(a.pk), str(a)) for a, _p in rows]
        self.fields["applications"].initial = [
            str(a.pk) for a, proposed in rows if proposed and a.state in DECIDABLE
        ]
        for application, proposed in rows:
            if application.state in DECIDABLE:
                self.fields[f"amount_{application.pk}"] = django_forms.DecimalField(
                    label=gettext_lazy("Amount for %(application)s") % {"application": application},
                    max_digits=12,
                    decimal_places=2,
                    min_value=Decimal("0.01"),
                    required=False,
                    initial=proposed or application.requested_amount,
                )

    def choices(self) -> list[tuple]:
        ticked = set(self.cleaned_data["applications"])
        return [
            (a, self.cleaned_data.get(f"amount_{a.pk}"))
            for a in self.decidable
            if str(a.pk) in ticked
        ]

    def rows(self, rows) -> list[dict]:
        return [
            {
                "application": a,
                "proposed": proposed,
                "amount": self[f"amount_{a.pk}"] if f"amount_{a.pk}" in self.fields else None,
                "ticked": str(a.pk) in self._ticked(),
            }
            for a, proposed in rows
        ]

    def _ticked(self) -> list[str]:
        if self.is_bound:
            return self.data.getlist("applications")
        return self.fields["applications"].initial


@login_required
@require_http_methods(["GET", "POST"])
def ranking(request, pk):
    """The ranking, and decisions down it in bulk: tick the applications, choose
    approve, reserve or reject, give one justification; within the pool."""
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    if not has_role(request.user, call.organisation_id, Role.OFFICIAL):
        raise Http404
    proposals = dict(services.award_proposals(call))
    rows = [(a, proposals.get(a)) for a in selectors.ranking(call)]
    form = RankingDecisionForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            decided = ranking_decide(
                call=call,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                choices=form.choices(),
                justification=form.cleaned_data["justification"],
            )
        except InvalidInput as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.field_errors:
                form.add_error(None, str(exc.message))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Decided: %(n)d application(s).") % {"n": len(decided)})
            return redirect("grants:ranking", pk=pk)
    return render(
        request,
        "grants/ranking.html",
        {
            "call": call,
            "rows": form.rows(rows),
            "form": form,
            "committed": services.pool_committed(call),
        },
    )
