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
2. Latency: creates and submits, arriving at half the create throughput measured in
   1 (a rate the create sustains), in alternating blocks (``rush``); p95 of each.
   Goal: submit p95 / create p95 <= 2.

At the end the application numbers of the call are checked to be gapless (1..n).
"""

import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from grants_world import percentile


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
    from grants_world import api_client, drafts_like, grant_world, load, scratch_database

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
            measured = rush(
                executor,
                creates=[create(u) for u in creators],
                submits=[submit(a) for a in drafts],
            )
            for _ in range(args.clients):
                executor.submit(close_connection)
        report(measured, [world.call], f"{n} arrivals each, {args.clients} clients")
    print(load())


LATENCY_BLOCKS = 4


def rush(executor, *, creates: list, submits: list) -> dict:
    """The two measurements: the first half of each list at a flood (throughput), the
    second half at half the create throughput (latency).

    The latency's arrivals come in ``LATENCY_BLOCKS`` blocks of each, alternating
    create, submit, submit, create, ... (ABBA), each block at the same rate, and each
    p95 is taken over all the blocks of its kind: a shared machine's speed drifts
    within a minute (a create's p95 from 29 to 50 ms in runs two minutes apart), and a
    drift then weighs on both kinds alike instead of on whichever ran second."""
    n = len(creates) // 2
    flood = 1000.0  # faster than either is served: measures throughput
    create_tp, _lat, create_fail = open_loop(executor, creates[:n], flood)
    submit_tp, _lat, submit_fail = open_loop(executor, submits[:n], flood)
    rate = create_tp / 2
    latencies = {"create": [], "submit": []}
    failures = create_fail + submit_fail
    jobs = {"create": creates[n : 2 * n], "submit": submits[n : 2 * n]}
    for block in range(LATENCY_BLOCKS):
        part = slice(block * n // LATENCY_BLOCKS, (block + 1) * n // LATENCY_BLOCKS)
        order = ["create", "submit"] if block % 2 == 0 else ["submit", "create"]
        for kind in order:
            _tp, latency, failed = open_loop(executor, jobs[kind][part], rate)
            latencies[kind] += latency
            failures += failed
    return {
        "create_tp": create_tp,
        "submit_tp": submit_tp,
        "rate": rate,
        "create_p95": percentile(latencies["create"], 0.95),
        "submit_p95": percentile(latencies["submit"], 0.95),
        "failures": failures,
    }


def report(measured: dict, calls: list, what: str) -> None:
    """Print the ratios against the goals, and whether each call's numbers are gapless."""
    m = measured
    print(
        f"throughput, {what}: create {m['create_tp']:.1f}/s, submit {m['submit_tp']:.1f}/s; "
        f"submit / create = {m['submit_tp'] / m['create_tp']:.2f} (goal >= 0.6)"
    )
    print(
        f"latency at {m['rate']:.1f} arrivals/s (half the create throughput), p95: create "
        f"{m['create_p95'] * 1000:.0f} ms, submit {m['submit_p95'] * 1000:.0f} ms; "
        f"submit / create = {m['submit_p95'] / m['create_p95']:.2f} (goal <= 2)"
    )
    print(f"failed requests: {m['failures']}")
    for call in calls:
        sequences = call.applications.exclude(sequence=None).values_list("sequence", flat=True)
        sequences = sorted(sequences)
        gapless = sequences == list(range(1, len(sequences) + 1))
        print(f"call {call.code}: numbers gapless: {gapless} (1..{len(sequences)})")


if __name__ == "__main__":
    main()
