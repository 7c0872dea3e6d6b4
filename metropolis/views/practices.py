"""The public catalogue of good practices, a practice's page, and the officials'
publishing of a settled initiative."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import has_role, organisation_ids_with, role_required
from grants.models import Agreement
from workflows.errors import DomainError

from ..forms import CatalogueFilterForm, PracticeForm
from ..models import GoodPractice, PracticePhoto
from ..selectors import practice_years, practices_search
from ..services import SETTLED, practice_initial, practice_publish
from . import place_errors

PAGE_SIZE = 20


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    practices = practices_search(
        query=filters.get("q") or "",
        municipality=filters.get("municipality"),
        area=filters.get("area"),
        form=filters.get("form") or "",
        cost_band=filters.get("cost_band") or "",
        year=filters.get("year"),
    )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "metropolis/catalogue.html",
        {"form": form, "page": page, "years": practice_years(), "query": query.urlencode()},
    )


def practice(request, slug: str):
    item = get_object_or_404(
        GoodPractice.objects.select_related("organisation", "area").prefetch_related("photos"),
        slug=slug,
    )
    return render(request, "metropolis/practice.html", {"practice": item})


def photo(request, slug: str, pk: int):
    item = get_object_or_404(PracticePhoto, pk=pk, practice__slug=slug, people_consented=True)
    if not item.image:
        raise Http404
    return FileResponse(item.image.open("rb"))


@role_required(Role.OFFICIAL)
def to_publish(request):
    """The officials' settled initiatives not yet published as practices."""
    agreements = (
        Agreement.objects.filter(
            organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL),
            state__in=SETTLED,
            good_practice__isnull=True,
        )
        .select_related("application__call")
        .order_by("-pk")
    )
    return render(request, "metropolis/to_publish.html", {"agreements": agreements})


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def publish(request, agreement_id: int):
    agreement = get_object_or_404(
        Agreement.objects.select_related("application__call", "organisation"),
        pk=agreement_id,
        organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL),
    )
    if not has_role(request.user, agreement.organisation_id, Role.OFFICIAL):
        raise Http404  # pragma: no cover - the queryset already asks
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            photo_fields = {
                "image": data.pop("photo", None),
                "caption": data.pop("photo_caption", ""),
                "people_consented": data.pop("people_consented", False),
            }
            data.pop("consent", None)
            try:
                item = practice_publish(
                    agreement=agreement, actor=request.user, fields=data, photo=photo_fields
                )
            except DomainError as exc:
                place_errors(form, exc)
            else:
                return redirect(item.get_absolute_url())
    else:
        form = PracticeForm(initial=practice_initial(agreement))
    return render(
        request,
        "metropolis/publish_practice.html",
        {"form": form, "agreement": agreement},
        status=400 if request.method == "POST" else 200,
    )
