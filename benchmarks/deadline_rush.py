"""The evening a call closes: residents' submits against bare creates of a draft, on the
same stack, in an open loop. Run on purpose:

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/deadline_rush.py [--count 120]

Each request goes through the whole Django stack (the REST API through the test
client: middleware, authentication, serializers) in one of ``--clients`` threads (50),
each with its own PostgreSQL connection. Arrivals come at a fixed rate whatever the
answers (an open loop: a slow answer does not slow the arrivals, it queues them), and
a request's latency runs from its scheduled arrival to its answer.

1. Throughput: ``--count`` creates arriving faster than they can be served, then as
   many submits of complete drafts (each by its own resident, in one call); answers
   per second of each. Goal: submit / create >= 0.6.
2. Latency: creates, then submits, arriving at half the create throughput measured in
   1 (a rate the create sustains); p95 of each. Goal: submit p95 / create p95 <= 2.

At the end the application numbers of the call are checked to be gapless (1..n).
"""

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor


def open_loop(executor, jobs, rate: float) -> tuple[float, list[float], int]:
    """Start ``jobs`` (callables) at ``rate`` a second; return the throughput (answers a
    second from the first arrival to the last answer), the latencies and the failures."""
    latencies, failures, lock = [], [0], threading.Lock()

    def run(job, due):
        ok = job()
        with lock:
            latencies.append(time.perf_counter() - due)
            failures[0] += 0 if ok else 1

    start = time.perf_counter()
    futures = []
    for i, job in enumerate(jobs):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        futures.append(executor.submit(run, job, due))
    for future in futures:
        future.result()
    elapsed = time.perf_counter() - start
    return len(jobs) / elapsed, latencies, failures[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    from grants_world import (
        api_client,
        drafts_like,
        grant_world,
        load,
        percentile,
        scratch_database,
    )

    print(load())
    with scratch_database():
        from django.db import connection

        from tests.factories import UserFactory

        world = grant_world()
        call_id = world.call.pk
        n = args.count
        creators = UserFactory.create_batch(2 * n)
        submitters = UserFactory.create_batch(2 * n)
        drafts = drafts_like(world.draft(applicant=submitters[0]), submitters[1:])
        drafts.insert(0, world.call.applications.get(applicant=submitters[0]))
        print(f"{len(drafts)} complete drafts ready; {load()}")

        def create(user):
            def job() -> bool:
                response = api_client(user).post(
                    "/api/v1/grant-applications/",
                    {"call": call_id, "kind": "informal_group"},
                    format="json",
                )
                return response.status_code == 201

            return job

        def submit(application):
            def job() -> bool:
                response = api_client(application.applicant).post(
                    f"/api/v1/grant-applications/{application.pk}/transitions/submit/",
                    {},
                    format="json",
                )
                return response.status_code == 200

            return job

        def close_connection():
            connection.close()

        with ThreadPoolExecutor(max_workers=args.clients) as executor:
            flood = 1000.0  # faster than either is served: measures throughput
            create_tp, _lat, create_fail = open_loop(
                executor, [create(u) for u in creators[:n]], flood
            )
            submit_tp, _lat, submit_fail = open_loop(
                executor, [submit(a) for a in drafts[:n]], flood
            )
            rate = create_tp / 2
            _tp, create_lat, fail_c = open_loop(executor, [create(u) for u in creators[n:]], rate)
            _tp, submit_lat, fail_s = open_loop(executor, [submit(a) for a in drafts[n:]], rate)
            for _ in range(args.clients):
                executor.submit(close_connection)
        failures = create_fail + submit_fail + fail_c + fail_s
        sequences = sorted(
            world.call.applications.exclude(sequence=None).values_list("sequence", flat=True)
        )
        create_p95, submit_p95 = percentile(create_lat, 0.95), percentile(submit_lat, 0.95)
        print(
            f"throughput, {n} arrivals each, {args.clients} clients: create {create_tp:.1f}/s, "
            f"submit {submit_tp:.1f}/s; submit / create = {submit_tp / create_tp:.2f} "
            f"(goal >= 0.6)"
        )
        print(
            f"latency at {rate:.1f} arrivals/s (half the create throughput), p95: create "
            f"{create_p95 * 1000:.0f} ms, submit {submit_p95 * 1000:.0f} ms; submit / create = "
            f"{submit_p95 / create_p95:.2f} (goal <= 2)"
        )
        print(
            f"failed requests: {failures}; numbers gapless: "
            f"{sequences == list(range(1, len(sequences) + 1))} (1..{len(sequences)})"
        )
    print(load())


if __name__ == "__main__":
    main()
