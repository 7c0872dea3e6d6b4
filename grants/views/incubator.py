"""Pages of the incubator: the group's consultation page on its draft, the advisers'
list of consultations (first-time groups first) and a consultation with the draft to
comment on. The draft is shown to the adviser here only, read-only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from accounts.views.members import place_errors
from workflows.errors import Conflict, InvalidInput

from .. import selectors
from ..models import Application
from ..services.incubator import adviser_comment_add, consultation_request
from ..workflow import EDITABLE_STATES


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("What would you like advice on?"), widget=forms.Textarea, max_length=4000
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"), widget=forms.Textarea, max_length=4000
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    """The applicant's page: ask for a consultation, read the adviser's comments."""
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_request(
                application=application,
                actor=request.user,
                question=form.cleaned_data["question"],
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The operator was asked for a consultation."))
            return redirect("grants:consultation", pk=application.pk)
    consultations = application.consultations.prefetch_related("comments")
    return render(
        request,
        "grants/consultation.html",
        {
            "application": application,
            "consultations": consultations,
            "form": form if application.state in EDITABLE_STATES else None,
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.OFFICIAL)
def incubator(request):
    return render(
        request,
        "grants/incubator.html",
        {"consultations": selectors.consultations_for_advisers(request.user)},
    )


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def incubator_consultation(request, pk: int):
    item = get_object_or_404(
        selectors.consultations_for_advisers(request.user).prefetch_related(
            "comments__author", "application__budget_lines__category"
        ),
        pk=pk,
    )
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adviser_comment_add(
                consultation=item, actor=request.user, text=form.cleaned_data["text"]
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("The comment was sent to the group."))
            return redirect("grants:incubator_consultation", pk=item.pk)
    return render(
        request,
        "grants/incubator_consultation.html",
        {"consultation": item, "application": item.application, "form": form},
        status=400 if form.errors else 200,
    )
