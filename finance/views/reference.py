"""Finance pages for the reference tables: the interest rates on tax arrears (a new
rate from a date, never a change of the past) and the budget classification upload
(checked line by line; nothing is written when a line is wrong)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from accounts.views.members import place_errors
from grants.models import InterestRate
from grants.services.statutory import interest_rate_add
from workflows.errors import InvalidInput

from ..forms.reference import ClassificationUploadForm, InterestRateForm
from ..models import BudgetClassification
from ..services import classification_upload
from .home import finance_user_required


@finance_user_required
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
            return redirect("finance:interest_rates")
    today = timezone.localdate()
    rates = list(InterestRate.objects.order_by("-valid_from"))
    current = next((r for r in rates if r.valid_from <= today), None)
    return render(
        request,
        "finance/reference/interest_rates.html",
        {"form": form, "rates": rates, "current": current},
    )


@role_required(Role.FINANCE)
@require_http_methods(["GET", "POST"])
def classification(request):
    form = ClassificationUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": request.GET.get("rok") or timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = classification_upload(
                actor=request.user,
                data=form.cleaned_data["file"].read(),
                year=form.cleaned_data["year"],
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Budget classification %(year)d: %(created)d added, %(renamed)d renamed, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "year": result.year,
                    "created": result.created,
                    "renamed": result.renamed,
                    "unchanged": result.unchanged,
                },
            )
            return redirect(f"{request.path}?rok={result.year}")
    year = form["year"].value()
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = timezone.localdate().year
    lines = BudgetClassification.objects.filter(year=year).order_by(
        "section", "chapter", "paragraph"
    )
    return render(
        request,
        "finance/reference/classification.html",
        {"form": form, "year": year, "lines": lines},
    )
