"""Purchase list pages after years of data: run on purpose with
``.venv/bin/python benchmarks/pages_purchases.py``.

The first page of the purchase register (``/zakupy/rejestr/``: this financial year,
50 rows a page, rendered by its view with its template) and of the purchases API list
(``/api/v1/purchases/``: every year, newest first, 50 rows a page) at 10, 2,000 and
50,000 purchases of one organisation (bulk-created; the first 10 in this year, the rest
spread over ten years). Medians of interleaved runs after a warm-up; the queries of one
request are counted. Target: the time at 50,000 within 1.5x the time at 10, the queries
the same. Both lists are measured with pages of ``PAGE`` (10) rows at every size
(their own size is 50), so that the smallest size fills a page too and every size
renders the same number of rows; the ratio 50,000/2,000 is printed too.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.purchase_rows import (
    django_on_scratch_database,
    organisation_make,
    purchases_bulk_create,
)

SIZES = (10, 2_000, 50_000)
PAGE = 10  # rows a page, the same at every size
YEARS = range(2017, 2027)


def rows(start: int, stop: int, group) -> list[tuple]:
    """Rows ``start`` to ``stop`` of the data: the first 10 in 2026, then every year."""
    from purchases.workflow import PurchaseState as S

    states = [S.CLOSED, S.PAID, S.AWARDED, S.SUBMITTED, S.DRAFT, S.CANCELLED]
    return [
        (
            group,
            2026 if n < 10 else YEARS[n % len(YEARS)],
            states[n % len(states)],
            Decimal(100 + n % 50),
            None,
        )
        for n in range(start, stop)
    ]


def register_page(user):
    from django.test import RequestFactory

    from purchases import views
    from purchases.views import register

    views.REGISTER_PAGE_SIZE = PAGE
    request = RequestFactory().get("/zakupy/rejestr/")
    request.user = user
    request.session = {}
    response = register(request)
    assert response.status_code == 200
    return response


def api_page(user):
    from rest_framework.test import APIRequestFactory, force_authenticate

    from purchases.api import PurchaseViewSet

    request = APIRequestFactory().get(f"/api/v1/purchases/?page_size={PAGE}")
    force_authenticate(request, user=user)
    response = PurchaseViewSet.as_view({"get": "list"})(request)
    response.render()
    assert response.status_code == 200
    return response


def measure(page, user, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``runs`` requests (a fresh user each: its roles are read
    as in a real request) and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs + 1):
        fresh = type(user).objects.get(pk=user.pk)
        gc.collect()
        start = time.perf_counter()
        page(fresh)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        page(type(user).objects.get(pk=user.pk))
    return statistics.median(times[1:]), len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    with django_on_scratch_database():
        from django.db import connection

        from purchases.models import Purchase

        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        organisation, official, (group,) = organisation_make("PG")
        results = {}
        made = 0
        for size in SIZES:
            purchases_bulk_create(
                organisation=organisation,
                requester=official,
                rows=rows(made, size, group),
                first_number=made + 1,
            )
            made = size
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Purchase._meta.db_table}")
            for name, page in (("register", register_page), ("API list", api_page)):
                results[name, size] = measure(page, official, args.runs)
                ms, queries = results[name, size]
                print(f"{name}, page 1 at {size} purchases: median {ms:.1f} ms, {queries} queries")
        for name in ("register", "API list"):
            (small, q_small), (middle, _q), (large, q_large) = (
                results[name, size] for size in SIZES
            )
            print(
                f"{name}: 50,000/10 = {large / small:.2f}x, 50,000/2,000 = {large / middle:.2f}x "
                f"(target <= 1.5x); queries {q_small} at 10, {q_large} at 50,000"
            )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
