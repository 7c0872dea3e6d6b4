"""The official's side of an application's page (the case): its actions on the page
itself with sensible defaults, the reviews with their scores, the public comments and
the history in the reader's language."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import has_role, users_with_role
from workflows.engine import spec_of, transitions_for
from workflows.errors import DomainError
from workflows.views import history_rows, transition_form_class

from .. import selectors
from ..models import Application, Review
from ..services.handlers import application_handler_assign

LONG_TEXT = 255  # a text field allowing more than this is typed in a text area


def _defaults(application: Application, name: str) -> dict:
    """What an action's required inputs start with: the amount granted is the amount
    requested, the days to correct are the call's."""
    if name == "approve":
        return {"amount": application.requested_amount}
    if name == "request_corrections":
        return {"days": application.call.correction_days}
    return {}


def action_form(obj, name: str, *, initial: dict | None = None, data=None) -> forms.Form:
    """The transition's payload form as it is shown on the case's page: long texts as
    text areas; without any input of its own, no fields at all (one click does it)."""
    form = transition_form_class(obj, name)(data=data, initial=initial or {})
    if spec_of(type(obj), name).form is None:
        form.fields.pop("comment", None)
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and (field.max_length or 0) > LONG_TEXT:
            field.widget = forms.Textarea(attrs={"rows": 3, **field.widget.attrs})
            if field.max_length:
                field.widget.attrs["maxlength"] = str(field.max_length)
    return form


def inline_actions(obj, user, *, url: str, defaults=None) -> list[dict]:
    """Every action the user may take now, each with its form on the object's page
    (``url``: the prefix of its action pages, ending in "czynnosc/"); those refused now
    are listed with the reason. ``defaults(obj, name)`` gives the inputs' first values."""
    actions = []
    for option in transitions_for(obj, user):
        initial = defaults(obj, option.name) if defaults else {}
        actions.append(
            {
                "option": option,
                "form": action_form(obj, option.name, initial=initial),
                "show_form": option.allowed,
                "url": f"{url}{option.name}/",
            }
        )
    return actions


class HandlerForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=gettext_lazy("Handled by"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("nobody (the call's handlers are told)"),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = users_with_role(organisation_id, Role.OFFICIAL)


@login_required
@require_POST
def application_handler(request, pk):
    """Take the case, or give it to another official, from the case's page."""
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    form = HandlerForm(request.POST, organisation_id=application.call.organisation_id)
    if form.is_valid():
        try:
            application_handler_assign(
                application=application, handler=form.cleaned_data["handler"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The case's handler is saved."))
    else:
        messages.error(request, _("Choose an official of the organisation."))
    return redirect("grants:application", pk=pk)


def official_context(application: Application, user) -> dict:
    reviews = (
        Review.objects.filter(application=application)
        .select_related("evaluator")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    organisation_id = application.call.organisation_id
    return {
        "handler_form": HandlerForm(
            initial={"handler": application.handler_id or user.pk},
            organisation_id=organisation_id,
        ),
        "may_assign": has_role(user, organisation_id, Role.OFFICIAL),
        "inline_actions": inline_actions(
            application,
            user,
            url=reverse("grants:application", args=[application.pk]) + "czynnosc/",
            defaults=_defaults,
        ),
        "reviews": reviews,
        "public_comments": application.public_comments.all(),
        "history": history_rows(application),
    }
