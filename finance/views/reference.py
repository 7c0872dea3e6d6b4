"""The budget classification upload page for finance (checked line by line; nothing is
written when a line is wrong)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import role_required
from accounts.views.members import place_errors
from workflows.errors import InvalidInput

from ..forms.reference import ClassificationUploadForm
from ..models import BudgetClassification
from ..services import classification_upload


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
