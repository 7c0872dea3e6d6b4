"""Issue 16: the area an official sets on a call's page or on a need in the API is
the area the metropolis figures count it under (``member_figures``, on the fixture of
``conftest``)."""

from decimal import Decimal

from metropolis.selectors import member_figures
from purchases.models import Purchase, ValueBand
from tests.clients import api, web
from tests.forms_support import form_data

D = ValueBand.Procedure.DIRECT


def _rows(metro, year=None):
    return {
        (r.municipality.short_name, r.year, r.area.code if r.area else None): r.figures
        for r in member_figures(metro.metropolis, year).rows
    }


def test_a_calls_area_set_on_its_page_moves_it_to_that_area_in_the_figures(metro):
    call = metro.gamma.calls.get(code="FS1")
    assert _rows(metro)[("GG", 2026, None)].calls == 1
    client = web(metro.official[metro.gamma.pk])
    url = f"/granty/nabory/{call.pk}/edycja/"
    data = form_data(client.get(url).content.decode())

    response = client.post(url, {**data, "area": metro.area_b.pk})

    assert response.status_code == 302
    rows = _rows(metro)
    assert ("GG", 2026, None) not in rows
    assert rows[("GG", 2026, metro.area_b.code)].calls == 1
    assert member_figures(metro.metropolis).totals.calls == 3


def test_a_needs_area_set_in_the_api_counts_the_purchase_under_that_area(metro):
    official = metro.official[metro.alfa.pk]
    group = metro.paid.group
    client = api(official)
    created = client.post(
        "/api/v1/purchases/",
        {
            "organisation": metro.alfa.pk,
            "requesting_unit": "Wydział Kultury",
            "area": metro.area_b.pk,
            "title": "Koncert podwórkowy",
            "expected_result": "Koncert dla 100 osób",
            "group": group.pk,
            "cpv_code": "85300000-2",
            "estimated_net": "5000.00",
            "vat_rate": "23",
            "estimation_method": "Cennik",
            "estimated_on": "2027-01-10",
            "estimated_by": "Jan Kowalski",
            "legal_basis": "regulation",
            "planned_start": "2027-03-01",
            "planned_end": "2027-03-31",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert _rows(metro, 2027) == {}  # a draft is not counted

    submitted = client.post(f"/api/v1/purchases/{pk}/transitions/submit/", {}, format="json")

    assert submitted.status_code == 200, submitted.json()
    assert Purchase.objects.get(pk=pk).area == metro.area_b
    rows = _rows(metro, 2027)
    assert list(rows) == [("GA", 2027, metro.area_b.code)]
    assert rows[("GA", 2027, metro.area_b.code)].purchases[D] == [1, Decimal("5000.00")]
