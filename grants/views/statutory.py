"""The interest rates on tax arrears (late grant returns), kept by finance and
organisation administrators: a new rate from a date, never a change of the past."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from accounts.views.members import place_errors
from workflows.errors import InvalidInput

from ..forms import InterestRateForm
from ..models import InterestRate
from ..services.statutory import interest_rate_add


@role_required(Role.FINANCE, Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def interest_rates(request):
    form = InterestRateForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            rate = interest_rate_add(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("The rate of %(rate)s%% is in force from %(date)s.")
                % {"rate": rate.annual_rate, "date": rate.valid_from.isoformat()},
            )
            return redirect("grants:interest_rates")
    today = timezone.localdate()
    rates = list(InterestRate.objects.order_by("-valid_from"))
    current = next((r for r in rates if r.valid_from <= today), None)
    return render(
        request,
        "grants/interest_rates.html",
        {"form": form, "rates": rates, "current": current},
    )
