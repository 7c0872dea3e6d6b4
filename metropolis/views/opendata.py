"""Open data at public addresses: an index of organisations and years, and per
organisation and year the grants as 360Giving JSON and the purchases as an OCDS
release package."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.models import Organisation
from grants.models import Call
from grants.workflow import CallState
from purchases.models import Purchase

from ..opendata import YEARS
from ..opendata.ocds import published_purchases_filter, release_package
from ..opendata.threesixty import grants_package

JSON_PARAMS = {"ensure_ascii": False, "indent": 1}


def organisation_year(organisation_id: int, year: int) -> Organisation:
    if not YEARS[0] <= year <= YEARS[1]:
        raise Http404
    return get_object_or_404(Organisation, pk=organisation_id)


def index(request):
    years: dict[int, set[int]] = {}
    for org_id, year in (
        Call.objects.exclude(state=CallState.DRAFT)
        .values_list("organisation_id", "year")
        .distinct()
    ):
        years.setdefault(org_id, set()).add(year)
    published = Purchase.objects.filter(published_purchases_filter())
    for org_id, year in published.values_list("organisation_id", "year").distinct():
        years.setdefault(org_id, set()).add(year)
    organisations = Organisation.objects.filter(pk__in=years).order_by("name")
    rows = [(o, sorted(years[o.pk], reverse=True)) for o in organisations]
    return render(request, "metropolis/open_data.html", {"rows": rows})


def threesixty(request, organisation_id: int, year: int):
    organisation = organisation_year(organisation_id, year)
    return JsonResponse(grants_package(organisation, year), json_dumps_params=JSON_PARAMS)


def ocds(request, organisation_id: int, year: int):
    organisation = organisation_year(organisation_id, year)
    path = reverse("metropolis:ocds", args=[organisation_id, year])
    return JsonResponse(
        release_package(organisation, year, uri_path=path), json_dumps_params=JSON_PARAMS
    )
