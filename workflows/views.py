"""HTML side of the engine: one view runs any transition from a page.

A process's URL maps ``.../<pk>/czynnosc/<name>/`` to ``transition_page`` with the
object (already scoped to the user) and where to go afterwards. GET shows the
transition's form (its payload fields and a comment); POST runs it through
``transition_apply``. Errors come back on the same page with what the user typed;
a refusal (403/409) is shown as a message on the object's page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import read_only_for

from .engine import COMMENT_MAX_LENGTH, history_for, spec_of, transition_apply, transitions_for
from .errors import Conflict, InvalidInput, NotPermitted


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def transition_form_class(obj, name: str) -> type[forms.Form]:
    spec = spec_of(type(obj), name)
    if spec.form is None:
        return CommentForm
    return type("TransitionForm", (spec.form, CommentForm), {})


def transition_page(request, *, obj, name: str, success_url: str, back_url: str):
    option = next((t for t in transitions_for(obj, request.user) if t.name == name), None)
    if option is None:
        raise Http404
    if not option.allowed and read_only_for(
        request.user, getattr(obj, "workflow_organisation_id", None)
    ):
        raise PermissionDenied  # the parent municipality reads an operator's work only
    form_class = transition_form_class(obj, name)
    if request.method == "POST":
        form = form_class(data=request.POST)
        if form.is_valid():
            try:
                transition_apply(
                    obj=obj,
                    name=name,
                    actor=request.user,
                    payload=request.POST.dict(),
                    reuse_related=True,
                )
            except InvalidInput as exc:
                for field, errors in exc.field_errors.items():
                    form.add_error(field if field in form.fields else None, errors)
            except (Conflict, NotPermitted) as exc:
                messages.error(request, str(exc.message))
                return redirect(back_url)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": option.label})
                return redirect(success_url)
    else:
        form = form_class()
    return render(
        request,
        "workflows/transition.html",
        {"object": obj, "option": option, "form": form, "back_url": back_url},
    )


def history_rows(obj) -> list[dict]:
    """Who did what and when, each action named by its label in the active language
    (never the transition's code name), with the comment given."""
    model = type(obj)
    rows = []
    for log in history_for(obj):
        try:
            label = spec_of(model, log.transition).label
        except (AttributeError, KeyError, LookupError):
            label = log.transition
        rows.append(
            {"when": log.timestamp, "who": log.by, "what": label, "comment": log.description}
        )
    return rows
