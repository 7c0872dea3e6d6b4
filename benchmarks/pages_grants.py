"""The officials' application queue at 10, 2,000 and 50,000 applications. Run on purpose:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/pages_grants.py [--samples 15]

Applications (submitted, one call) are added in bulk between the sizes; at each size
the script renders the first page of ``/granty/kolejka/`` as an official, 10 rows a
page at every size (the page's own size is 50: set to 10 here so that the smallest
size fills a page too and the sizes compare pages of the same rows),
``--samples`` times after a warm-up, and prints the median time and the number of
queries, then the same for a search by title that matches every application and
for one that matches a tenth of them. The baseline is the 10-application
queue, measured in the same run. Goals: 50,000 / 10 <= 1.5 and the same number of
queries at every size.
"""

import argparse
import time
from decimal import Decimal

SIZES = (10, 2_000, 50_000)
PAGE = 10  # rows a page, the same at every size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    from grants_world import api_client, grant_world, load, median, scratch_database

    print(load())
    with scratch_database():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from accounts.models import User
        from grants.models import Application
        from grants.views.applications import QueuePage
        from grants.workflow import ApplicationState

        QueuePage.size = PAGE
        world = grant_world()
        applicant = world.resident

        def grow_to(total: int) -> None:
            have = Application.objects.count()
            rows = [
                Application(
                    call=world.call,
                    applicant=applicant,
                    kind="informal_group",
                    number=f"GMP/2026/FS1/{i:05d}",
                    sequence=i,
                    title=f"Inicjatywa sąsiedzka numer {i}",
                    state=ApplicationState.SUBMITTED,
                    requested_amount=Decimal("1000.00"),
                )
                for i in range(have + 1, total + 1)
            ]
            Application.objects.bulk_create(rows, batch_size=5000)
            with connection.cursor() as cursor:
                # Every table, as autovacuum keeps them: without the small tables' statistics
                # (calls, users) the planner misjudges the join and sorts every match.
                cursor.execute("ANALYZE")

        def measure(url: str) -> tuple[float, int]:
            client = api_client(User.objects.get(pk=world.official.pk))
            client.get(url)  # warm-up
            times = []
            for _ in range(args.samples):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            return median(times), len(queries)

        urls = {
            "queue": "/granty/kolejka/",
            # "numer" is in every title: a full page at every size.
            "search": "/granty/kolejka/?q=numer",
            # "numer 7" is in about a tenth of the titles: a full page from 2,000 on, one
            # row at 10 (so its ratio is taken against 2,000, the same page size).
            "narrow search": "/granty/kolejka/?q=numer+7",
            # One case by its number: one row at every size.
            "one case": "/granty/kolejka/?q=FS1%2F00007",
        }
        baseline = {"narrow search": SIZES[1]}
        results = {}
        for size in SIZES:
            grow_to(size)
            results[size] = {what: measure(url) for what, url in urls.items()}
            print(
                f"{size:>6} applications: "
                + "; ".join(
                    f"{what} {seconds * 1000:.1f} ms ({queries} queries)"
                    for what, (seconds, queries) in results[size].items()
                )
            )
        for what in urls:
            base = baseline.get(what, SIZES[0])
            ratio = results[SIZES[-1]][what][0] / results[base][what][0]
            same = len({results[size][what][1] for size in SIZES}) == 1
            print(
                f"{what}: {SIZES[-1]:,} / {base:,} = {ratio:.2f} (goal <= 1.5); "
                f"queries constant: {same}"
            )
    print(load())


if __name__ == "__main__":
    main()
