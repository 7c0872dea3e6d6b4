"""Splitting guard benchmark: run on purpose with
``.venv/bin/python benchmarks/splitting_guard.py``.

The threshold guard (art. 29-30 Pzp: no splitting of orders) adds up the purchases of
a same-kind group in a financial year. On 100,000 purchases (bulk-created: 10 groups x
10 years, 90 % of them past the draft and not cancelled), one check of a draft in a
group-year of 1,000 purchases is timed:

1. ``selectors.counted_total``: the guard's sum, one aggregate query served by the
   partial covering index ``purchase_counted_idx``; target under 2 ms.
2. ``selectors.aggregate_for``: the whole check (the sum, the threshold and the bands
   in force).
3. Baselines in the same run, on the same rows: the previous way (every counted row
   fetched into Python and added up there) and a bare ``COUNT(*)`` of the rows.

Medians of interleaved runs after a warm-up. The query plan of the sum is printed
(``EXPLAIN ANALYZE``): it should read ``purchase_counted_idx``.
"""

import argparse
import gc
import itertools
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

GROUPS = 10
YEARS = range(2017, 2027)


def rows(total: int, groups) -> list[tuple]:
    """``total`` purchases over the groups and years; one in ten a draft or cancelled,
    one in three awarded."""
    from purchases.workflow import PurchaseState as S

    states = [S.CLOSED, S.PAID, S.AWARDED, S.SUBMITTED, S.QUOTING, S.IN_EXECUTION,
              S.ACCEPTED, S.APPROVED, S.DRAFT, S.CANCELLED]  # fmt: skip
    made = []
    for n, (group, year) in zip(
        range(total), itertools.cycle(itertools.product(groups, YEARS)), strict=False
    ):
        estimated = Decimal(10 + n % 7)
        awarded = estimated - 1 if n % 3 == 0 else None
        made.append((group, year, states[(n + n // 100) % len(states)], estimated, awarded))
    return made


def python_sum(purchase) -> Decimal:
    """The guard before: every counted row into Python, added up there."""
    from purchases.selectors import counted_others

    total = Decimal("0.00")
    for awarded, annexes, estimated in counted_others(purchase).values_list(
        "awarded_net", "annexes_net", "estimated_net"
    ):
        total += awarded + annexes if awarded is not None else estimated
    return total


def timed(function, purchase) -> float:
    start = time.perf_counter()
    function(purchase)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=51)
    args = parser.parse_args()

    with django_on_scratch_database():
        from django.db import connection

        from purchases.models import Purchase
        from purchases.selectors import aggregate_for, counted_others, counted_total

        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        start = time.perf_counter()
        organisation, official, groups = organisation_make("SG", GROUPS)
        purchases_bulk_create(
            organisation=organisation, requester=official, rows=rows(args.rows, groups)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Purchase._meta.db_table}")
        print(f"{Purchase.objects.count()} purchases made in {time.perf_counter() - start:.1f} s")
        draft = (
            Purchase.objects.select_related("group")
            .filter(group=groups[0], year=2026, state="draft")
            .first()
        )
        same_rows = counted_others(draft)
        print(f"checked: a draft of a group-year of {same_rows.count()} counted purchases")
        assert counted_total(draft) == python_sum(draft)

        measures = {
            "SQL sum (counted_total)": counted_total,
            "whole check (aggregate_for)": aggregate_for,
            "baseline: rows summed in Python": python_sum,
            "baseline: bare COUNT(*)": lambda p: counted_others(p).count(),
            # The same statement sent as it is: the database's work and the round trip,
            # without the ORM building the query (what the ORM adds is the bare count's).
            "the sum's SQL sent as is": sent_as_is(draft),
        }
        times = {name: [] for name in measures}
        for run in range(args.runs + 1):
            order = list(measures.items())
            for name, function in order if run % 2 else reversed(order):
                gc.collect()
                times[name].append(timed(function, draft))
        medians = {name: statistics.median(values[1:]) for name, values in times.items()}
        for name, median in medians.items():
            fastest = min(times[name][1:])
            print(f"{name}: median {median:.2f} ms, fastest {fastest:.2f} ms of {args.runs}")
        sql = medians["SQL sum (counted_total)"]
        print(
            f"SQL sum / Python sum: {sql / medians['baseline: rows summed in Python']:.2f}; "
            f"SQL sum / bare count: {sql / medians['baseline: bare COUNT(*)']:.2f}; "
            f"target: SQL sum under 2 ms through the ORM: {'met' if sql < 2 else 'NOT met'}"
        )
        raw = medians["the sum's SQL sent as is"]
        print(
            f"the sum in the database and back: {raw:.2f} ms; target under 2 ms: "
            f"{'met' if raw < 2 else 'NOT met'}"
        )
        print("EXPLAIN ANALYZE of the sum:")
        print(explain(draft))
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


def sent_as_is(purchase):
    """A function that sends the statement ``counted_total`` runs, as captured once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from purchases.selectors import counted_total

    with CaptureQueriesContext(connection) as captured:
        counted_total(purchase)
    (query,) = captured.captured_queries

    def run(_purchase):
        with connection.cursor() as cursor:
            cursor.execute(query["sql"])
            return cursor.fetchone()[0]

    return run


def explain(purchase) -> str:
    """The plan of the query ``counted_total`` runs, as it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from purchases.selectors import counted_total

    with CaptureQueriesContext(connection) as captured:
        counted_total(purchase)
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        return "\n".join(f"  {line}" for (line,) in cursor.fetchall())


if __name__ == "__main__":
    main()
