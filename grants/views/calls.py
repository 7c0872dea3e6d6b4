"""Pages of calls (nabory): the list, a call, its form, ranking and results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation, Role
from accounts.permissions import has_role, organisation_ids_with
from workflows.engine import transitions_for
from workflows.errors import ConcurrentChange, DomainError
from workflows.views import transition_page

from .. import forms, selectors, services
from ..models import Call

# Calls ------------------------------------------------------------------------------


def call_list(request):
    calls = selectors.calls_visible_to(request.user)
    can_create = bool(organisation_ids_with(request.user, Role.OFFICIAL))
    return render(request, "grants/call_list.html", {"calls": calls, "can_create": can_create})


def call_detail(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    official = has_role(request.user, call.organisation_id, Role.OFFICIAL)
    context = {
        "call": call,
        "official": official,
        "criteria": call.criteria.all(),
        "categories": call.cost_categories.all(),
        "options": transitions_for(call, request.user) if official else [],
        "action_url": reverse("grants:call", args=[pk]) + "czynnosc/",
        "funded": selectors.funded_publicly(call),
        "pool_shares": selectors.pool_shares(call) if call.metropolis_wide else [],
    }
    return render(request, "grants/call_detail.html", context)


def _call_form_page(request, *, call=None):
    organisations = organisation_ids_with(request.user, Role.OFFICIAL)
    if not organisations or (call and call.organisation_id not in organisations):
        raise Http404
    form = forms.CallForm(
        request.POST or None,
        instance=call,
        organisations=Organisation.objects.filter(pk__in=organisations),
    )
    formsets = {}
    if call is None:
        formsets = {
            "criteria": forms.CriterionFormSet(request.POST or None, prefix="criteria"),
            "cost_categories": forms.CostCategoryFormSet(request.POST or None, prefix="categories"),
            "checklist": forms.ChecklistFormSet(request.POST or None, prefix="checklist"),
        }
    if "metropolis_wide" in form.fields:
        formsets["pool_shares"] = forms.pool_share_formset(
            data=request.POST or None,
            municipalities=selectors.member_municipalities_of(
                [call.organisation_id] if call else organisations
            ),
            shares=selectors.pool_shares(call) if call else (),
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        rows = {
            name: [row for row in fs.cleaned_data if row and not row.get("DELETE")]
            for name, fs in formsets.items()
        }
        if "pool_shares" in rows:
            data["pool_shares"] = rows["pool_shares"]
        try:
            # The rules and the handlers are saved together or not at all.
            with transaction.atomic():
                if call is None:
                    saved = services.call_create(
                        actor=request.user,
                        organisation=form.cleaned_data["organisation"],
                        criteria=rows["criteria"],
                        cost_categories=rows["cost_categories"],
                        checklist=[row["text"] for row in rows["checklist"]],
                        **data,
                    )
                else:
                    saved = services.call_update(
                        call=call,
                        actor=request.user,
                        expected_version=form.edited_version(),
                        **data,
                    )
                services.call_handlers_set(
                    call=saved, handlers=list(form.cleaned_data["handlers"]), actor=request.user
                )
        except ConcurrentChange:
            form.show_conflict(Call.objects.values_list("version", flat=True).get(pk=call.pk))
        except DomainError as exc:
            _place_call_errors(exc.field_errors or {None: [exc.message]}, form, formsets)
        except ValidationError as exc:
            _place_call_errors(exc.message_dict, form, formsets)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("grants:call", pk=saved.pk)
    return render(
        request, "grants/call_form.html", {"form": form, "formsets": formsets, "call": call}
    )


def _place_call_errors(errors: dict, form, formsets) -> None:
    """The service's errors at their fields: a share's at its row of the split, the
    split's own above its rows, the rest at the call's fields or the top of the form."""
    shares = formsets.get("pool_shares")
    kept = (
        [f for f in shares.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if shares is not None
        else []
    )
    for key, messages_ in errors.items():
        name, _sep, rest = (key or "").partition("[")
        if shares is not None and name == "pool_shares":
            index = int(rest.split("]")[0]) if rest else None
            field = key.split(".", 1)[1] if "." in key else None
            if index is not None and index < len(kept):
                kept[index].add_error(field if field in kept[index].fields else None, messages_)
            else:
                shares.non_form_errors().extend(messages_)
        else:
            form.add_error(key if key in form.fields else None, messages_)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    return _call_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    return _call_form_page(request, call=call)


@login_required
@require_http_methods(["GET", "POST"])
def call_transition(request, pk, name):
    call = get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)
    url = reverse("grants:call", args=[pk])
    return transition_page(request, obj=call, name=name, success_url=url, back_url=url)


def results(request, pk):
    """Public results, once announced: funded initiatives without personal data of
    natural persons. Before the announcement there are none to show (404)."""
    call = get_object_or_404(selectors.calls_with_public_results(), pk=pk)
    return render(
        request,
        "grants/results.html",
        {"call": call, "funded": selectors.funded_publicly(call)},
    )
