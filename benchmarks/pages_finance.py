"""Finance pages after years of data: run on purpose with
``.venv/bin/python benchmarks/pages_finance.py``.

For each size (``--sizes``, by default 10, 2,000 and 50,000 rows) a fresh database is
filled: the settlement register's rows cloned in SQL (``benchmarks/export.py``'s
``make_rows``: half grant agreements, half purchases, with their payment orders), and
as many payment batches, payment orders and export log rows bulk-created for the same
municipality. Then page 1 of each list, 10 rows a page at every size, is timed with its
query count, the sizes taking turns (``--rounds`` turns of ``--runs`` calls of each
list at each size, after a warm-up; the median of all), so that the load of a shared
machine weighs on every size alike: the batch list and the settlement
register (rendered by their views), and the API lists of payment orders, payment
batches, settlements and exports.
Printed: each list's time and queries per size, the ratio of its time at the
largest size to its time at the smallest (goal <= 1.5x, queries constant), and the
plan of the register's page keys at the largest size (the indexes used).

``DATABASE_URL`` names the server (a database ``<name>_pages_<size>`` is created for
each size and dropped at the end); without it a throwaway PostgreSQL cluster is started (see
``benchmarks/pdf.py``).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 10  # rows a page, the same at every size


def fill(rows: int):
    """The register's rows, then ``rows`` batches, orders and exports; the finance user."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from benchmarks.export import make_rows
    from finance.models import BankAccount, Export, PaymentBatch, PaymentOrder
    from grants.models import Tranche

    user, organisation = make_rows(rows)
    account = BankAccount.objects.create(
        organisation=organisation, name="Rachunek główny", number="61109010140000071219812874"
    )
    now = timezone.now()
    PaymentBatch.objects.bulk_create(
        PaymentBatch(
            organisation=organisation,
            number=f"P/2026/{i:05d}",
            account=account,
            execution_date=datetime.date(2026, 12, 1),
            created_by=user,
            created_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(1, rows + 1)
    )
    tranche_type = ContentType.objects.get_for_model(Tranche)
    PaymentOrder.objects.bulk_create(
        PaymentOrder(
            organisation=organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE,
            source_type=tranche_type,
            source_id=0,
            beneficiary_name=f"Stowarzyszenie {i}",
            beneficiary_address="ul. Polna 1, 00-001 Testowo",
            account_number="61109010140000071219812874",
            title=f"Dotacja {i}",
            amount=Decimal("100.00"),
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 365),
        )
        for i in range(rows)
    )
    Export.objects.bulk_create(
        Export(
            kind=Export.Kind.SETTLEMENTS,
            format=Export.Format.CSV,
            user=user,
            organisation=organisation,
            rows_total=i,
        )
        for i in range(rows)
    )
    with connection_cursor() as cursor:
        cursor.execute("ANALYZE")
    return user


def connection_cursor():
    from django.db import connection

    return connection.cursor()


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def _page(view, path: str):
    def call(user):
        from django.test import RequestFactory

        request = RequestFactory().get(path)
        request.user = user
        request.session = {}
        response = view(request)
        assert response.status_code == 200, path
        return response

    return call


def _api(viewset, path: str):
    def call(user):
        from rest_framework.test import APIRequestFactory, force_authenticate

        request = APIRequestFactory().get(path)
        force_authenticate(request, user=user)
        response = viewset.as_view({"get": "list"})(request)
        response.render()
        assert response.status_code == 200, path
        return response

    return call


def lists():
    """Page 1 of each list, ``PAGE`` rows a page whatever the size (the pages' own size
    is 50: set to ``PAGE`` here so that the smallest size fills a page too)."""
    from finance.api import PaymentOrderViewSet
    from finance.api.batches import PaymentBatchViewSet
    from finance.api.settlements import ExportViewSet, SettlementViewSet
    from finance.views import batches
    from finance.views import settlements as register
    from finance.views.batches import batch_list
    from finance.views.settlements import settlements

    batches.BATCH_PAGE_SIZE = register.PAGE_SIZE = PAGE
    query = f"?page_size={PAGE}"
    return {
        "batch list page": _page(batch_list, "/finanse/paczki/"),
        "settlement register page": _page(settlements, "/finanse/rozliczenia/"),
        "API payment orders": _api(PaymentOrderViewSet, "/api/v1/payment-orders/" + query),
        "API payment batches": _api(PaymentBatchViewSet, "/api/v1/payment-batches/" + query),
        "API settlements": _api(SettlementViewSet, "/api/v1/settlements/" + query),
        "API exports": _api(ExportViewSet, "/api/v1/exports/" + query),
    }


def timed(user, runs: int) -> dict[str, tuple[list[float], int]]:
    """``runs`` timings of each list (after a warm-up) and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for name, call in lists().items():
        call(fresh(user))  # warm-up
        times = []
        for _run in range(runs):
            viewer = fresh(user)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                call(viewer)
                times.append(time.perf_counter() - start)
        found[name] = (times, len(queries))
    return found


def register_plan(user) -> str:
    """``EXPLAIN ANALYZE`` of the settlement register's page 1 keys (each process's
    part from its index, cut after the page)."""
    from django.db import connection

    from finance.services.exports import finance_organisation_ids
    from finance.settlements import SettlementPages

    pages = SettlementPages(organisation_ids=finance_organisation_ids(user))
    sql, params = pages.page_keys(slice(0, PAGE + 1)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        return "\n".join("    " + line for (line,) in cursor.fetchall())


def use_database(base_url: str, name: str) -> None:
    """Create database ``name`` on the server of ``base_url`` and point Django at it."""
    from django.db import connection, connections

    connection.close()
    with _Server(base_url) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    connections["default"].settings_dict["NAME"] = name


def switch_database(name: str) -> None:
    from django.db import connection, connections

    connection.close()
    connections["default"].settings_dict["NAME"] = name


def drop_database(base_url: str, name: str) -> None:
    from django.db import connection

    connection.close()
    with _Server(base_url) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')


class _Server:
    def __init__(self, base_url):
        self.base_url = base_url

    def __enter__(self):
        import psycopg

        self.connection = psycopg.connect(self.base_url.rsplit("/", 1)[0] + "/postgres")
        self.connection.autocommit = True
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,2000,50000")
    parser.add_argument("--runs", type=int, default=3, help="calls of a list per round")
    parser.add_argument("--rounds", type=int, default=5, help="turns of every size")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    sys.path.insert(0, str(ROOT))
    from benchmarks.environment import django_on_postgres

    with django_on_postgres() as database_url:
        from django.core.management import call_command
        from django.utils import translation

        translation.activate("pl")
        base = database_url.rsplit("/", 1)[1].split("?")[0]
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        names = {size: f"{base}_pages_{size}" for size in sizes}
        users = {}
        try:
            for size in sizes:
                use_database(database_url, names[size])
                call_command("migrate", verbosity=0)
                start = time.perf_counter()
                users[size] = fill(size)
                print(f"{size} rows of each made in {time.perf_counter() - start:.1f} s")
            # The sizes take turns, a round of every list at each size per turn, so
            # that the load of a shared machine weighs on every size alike.
            samples = {size: {} for size in sizes}
            for _round in range(args.rounds):
                for size in sizes:
                    switch_database(names[size])
                    for name, (times, queries) in timed(users[size], args.runs).items():
                        samples[size].setdefault(name, ([], queries))[0].extend(times)
            switch_database(names[max(sizes)])
            print(f"The register's page keys at {max(sizes)} rows:")
            print(register_plan(users[max(sizes)]))
        finally:
            for size in sizes:
                drop_database(database_url, names[size])
        results = {
            size: {
                name: (statistics.median(times), queries)
                for name, (times, queries) in samples[size].items()
            }
            for size in sizes
        }
        for size in sizes:
            for list_name, (seconds, queries) in results[size].items():
                print(
                    f"  {size:>6} rows  {list_name:<26} {seconds * 1000:8.1f} ms  {queries} queries"
                )
        small, large = min(sizes), max(sizes)
        print(f"Ratio of page 1 at {large} rows to page 1 at {small} rows (goal <= 1.5x):")
        for list_name in results[small]:
            ratio = results[large][list_name][0] / results[small][list_name][0]
            queries = [results[size][list_name][1] for size in sizes]
            print(f"  {list_name:<26} {ratio:5.2f}x  queries {queries}")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
