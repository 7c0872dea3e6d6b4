"""The public catalogue of good practices, a practice's page, and the officials'
publishing of a settled initiative."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.permissions import organisation_ids_with, role_required
from grants.models import Agreement
from purchases.models import Purchase
from workflows.errors import DomainError

from ..forms import CatalogueFilterForm, PracticeForm
from ..models import GoodPractice, PracticePhoto
from ..selectors import practice_years, practices_search
from ..services import (
    ACCEPTED_PURCHASES,
    SETTLED,
    practice_initial,
    practice_publish,
    purchase_initial,
)
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
    """The officials' settled initiatives (grants settled, purchases accepted) not yet
    published as practices."""
    own = organisation_ids_with(request.user, Role.OFFICIAL)
    agreements = (
        Agreement.objects.filter(
            organisation_id__in=own, state__in=SETTLED, good_practice__isnull=True
        )
        .select_related("application__call")
        .order_by("-pk")
    )
    purchases = Purchase.objects.filter(
        organisation_id__in=own, state__in=ACCEPTED_PURCHASES, good_practice__isnull=True
    ).order_by("-pk")
    return render(
        request, "metropolis/to_publish.html", {"agreements": agreements, "purchases": purchases}
    )


def _publish_page(request, *, source: dict, initial: dict, title: str):
    """The publishing form of a settled initiative (``source``: agreement= or
    purchase=); a refused submit shows its errors at the fields with what was typed."""
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
                    actor=request.user, fields=data, photo=photo_fields, **source
                )
            except DomainError as exc:
                place_errors(form, exc)
            else:
                return redirect(item.get_absolute_url())
    else:
        form = PracticeForm(initial=initial)
    return render(
        request,
        "metropolis/publish_practice.html",
        {"form": form, "source_title": title},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def publish(request, agreement_id: int):
    agreement = get_object_or_404(
        Agreement.objects.select_related("application__call", "organisation"),
        pk=agreement_id,
        organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL),
    )
    return _publish_page(
        request,
        source={"agreement": agreement},
        initial=practice_initial(agreement),
        title=agreement.number,
    )


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def publish_purchase(request, purchase_id: int):
    purchase = get_object_or_404(
        Purchase.objects.select_related("awarded_offer__supplier", "requested_by"),
        pk=purchase_id,
        organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL),
    )
    return _publish_page(
        request,
        source={"purchase": purchase},
        initial=purchase_initial(purchase),
        title=purchase.number,
    )
