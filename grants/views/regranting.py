"""Pages of regranting (art. 16a): the overview a municipality reads of the calls its
operators run with its grants (read-only), and the operator's form linking a call to
the grant that funds it."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role, role_required
from accounts.views.members import place_errors
from workflows.errors import Conflict, InvalidInput

from .. import selectors
from ..models import Agreement, GroupModel
from ..selectors import OFFICE_ROLES
from ..services.regranting import regranting_fund_link


class FundForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=gettext_lazy("The operator's grant from the municipality"), queryset=None
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(
            organisation_id=call.organisation.parent_id
        ).select_related("application")


@role_required(*OFFICE_ROLES)
def regranting(request):
    return render(
        request,
        "grants/regranting.html",
        {"funds": selectors.regranting_overview(request.user)},
    )


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def regranting_fund(request, pk: int):
    call = get_object_or_404(
        selectors.calls_visible_to(request.user).select_related("organisation"), pk=pk
    )
    if call.group_model != GroupModel.REGRANTING or not has_role(
        request.user, call.organisation_id, Role.OFFICIAL
    ):
        raise Http404
    form = FundForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            regranting_fund_link(
                call=call, agreement=form.cleaned_data["agreement"], actor=request.user
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The call is linked to the grant that funds it."))
            return redirect("grants:regranting")
    return render(
        request,
        "grants/regranting_fund.html",
        {"call": call, "form": form},
        status=400 if form.errors else 200,
    )
