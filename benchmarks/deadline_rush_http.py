"""The evening a call closes, through the production web server: ``deadline_rush.py``'s
open loop sent over HTTP to gunicorn with its worker processes, as ``deploy/`` runs it.
Run on purpose:

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... \\
        .venv/bin/python benchmarks/deadline_rush_http.py [--count 120] [--workers 5]

``deadline_rush.py`` serves its requests in threads of one process, which share one
interpreter lock; production serves them in gunicorn's worker processes (``workers``:
two per core and one, one request at a time each). Here gunicorn runs with the
production settings (``DJANGO_ENV=production``, no TLS redirect, the throwaway database
and the broker given), its clock set by ``faketime`` to the suite's instant and
ticking, with the outbox relay beside it as in production (``--no-relay``: without,
each request publishes its own messages), and ``--clients`` threads (50) send the
requests with each user's API token.

1. Throughput: ``--count`` creates of a draft arriving faster than they are served,
   then as many submits of complete drafts (one call, each by its own resident).
   Goal: submit / create >= 0.6.
2. Latency at half the create throughput, in alternating blocks of creates and
   submits: p95 of each. Goal: submit / create <= 2.

Before both, ``4 * --workers`` creates and submits warm the worker processes up (not
counted). At the end the call's numbers are checked to be gapless (1..n).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deadline_rush import open_loop, report, rush
from grants_world import ROOT, drafts_like, grant_world, load, scratch_database

FAKE_START = "@2026-11-23 10:00:00"  # the suite's instant (tests.conftest.NOW), in Warsaw


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(*, database: str, secret: str, workers: int, port: int, log: Path, relay: bool):
    """gunicorn as ``Procfile`` starts it, on ``port``, until the returned process ends;
    with ``relay``, the outbox relay beside it (``Procfile``'s ``outbox``), as in
    production, else requests publish their own messages (``OUTBOX_RELAY=false``)."""
    broker = os.environ.get("CELERY_BROKER_URL") or sys.exit("Set CELERY_BROKER_URL (Redis).")
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secret,
        "DATABASE_URL": f"{server}/{database}",
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": broker,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_MEDIA_ROOT": tempfile.mkdtemp(prefix="mikrowsparcia-rush-"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "TZ": "Europe/Warsaw",
        "OUTBOX_RELAY": "true" if relay else "false",
    }
    web = f"{ROOT / '.venv/bin/gunicorn'} config.wsgi:application --config deploy/gunicorn.conf.py"
    outbox = f"{ROOT / '.venv/bin/python'} manage.py outbox_relay"
    script = f"{web} & {outbox} & wait" if relay else f"exec {web}"
    out = log.open("w")
    return subprocess.Popen(
        ["faketime", "-f", FAKE_START, "sh", "-c", script],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process) -> None:
    """gunicorn and its workers, whatever ``faketime`` made of the process tree."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_until_served(url: str, process, seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn ended before it served")
        try:
            requests.get(url, timeout=10, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument(
        "--calls",
        type=int,
        default=1,
        help="submits spread over this many calls (each numbers its own): the share of "
        "the call's number lock in the submit's throughput",
    )
    parser.add_argument(
        "--no-relay",
        action="store_true",
        help="no outbox relay: each request publishes its own messages after its commit",
    )
    args = parser.parse_args()
    import requests

    print(load())
    with scratch_database():
        from django.conf import settings
        from django.db import connection
        from rest_framework.authtoken.models import Token

        from tests.factories import UserFactory

        world = grant_world()
        call_id = world.call.pk
        n = args.count
        warm = 4 * args.workers  # each worker process imports and warms up first
        creators = UserFactory.create_batch(2 * n + warm)
        submitters = UserFactory.create_batch(2 * n + warm)
        calls = [world.call] + [
            world.make_call(code=f"FS{i + 1}", title=f"Fundusz sąsiedzki {i + 1}")
            for i in range(1, args.calls)
        ]
        drafts = []
        for k, call in enumerate(calls):
            theirs = submitters[k :: len(calls)]
            drafts += [world.draft(applicant=theirs[0], call=call)]
            drafts += drafts_like(drafts[-1], theirs[1:])
        by_user = {draft.applicant_id: draft for draft in drafts}
        drafts = [by_user[user.pk] for user in submitters]  # the calls take turns
        tokens = {
            token.user_id: token.key
            for token in Token.objects.bulk_create(
                Token(user=user, key=Token.generate_key()) for user in creators + submitters
            )
        }
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tempfile.mkstemp(prefix="mikrowsparcia-rush-", suffix=".log")[1])
        server = gunicorn(
            database=connection.settings_dict["NAME"],
            secret=settings.SECRET_KEY,
            workers=args.workers,
            port=port,
            log=log,
            relay=not args.no_relay,
        )
        try:
            wait_until_served(f"{base}/", server)
            print(f"{len(drafts)} drafts ready; gunicorn, {args.workers} workers; {load()}")

            def post(user_id: int, path: str, body: dict, expected: int):
                def job() -> bool:
                    response = requests.post(
                        base + path,
                        json=body,
                        headers={"Authorization": f"Token {tokens[user_id]}"},
                        timeout=60,
                    )
                    return response.status_code == expected

                return job

            def create(user):
                body = {"call": call_id, "kind": "informal_group"}
                return post(user.pk, "/api/v1/grant-applications/", body, 201)

            def submit(application):
                path = f"/api/v1/grant-applications/{application.pk}/transitions/submit/"
                return post(application.applicant_id, path, {}, 200)

            with ThreadPoolExecutor(max_workers=args.clients) as executor:
                flood = 1000.0  # the warm-up, not counted
                open_loop(executor, [create(u) for u in creators[2 * n :]], flood)
                open_loop(executor, [submit(a) for a in drafts[2 * n :]], flood)
                measured = rush(
                    executor,
                    creates=[create(u) for u in creators[: 2 * n]],
                    submits=[submit(a) for a in drafts[: 2 * n]],
                )
        finally:
            stop(server)
        what = f"{n} arrivals each, {args.clients} clients, {args.workers} gunicorn workers"
        what += f", submits to {len(calls)} calls" if len(calls) > 1 else ""
        what += ", no outbox relay" if args.no_relay else ", the outbox relay beside"
        report(measured, calls, what)
        print(f"gunicorn's log: {log}")
    print(load())


if __name__ == "__main__":
    main()
