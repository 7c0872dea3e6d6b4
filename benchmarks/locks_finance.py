"""Finance locks benchmark: run on purpose with ``.venv/bin/python benchmarks/locks_finance.py``.

Two sessions (threads, each with its own database connection) in PostgreSQL:

1. **A new purchase while a batch is being created.** Session A creates a payment batch
   of the municipality (``batch_create``, which locks the organisation row to number
   the batch) and keeps its transaction open for ``--hold`` seconds; meanwhile session
   B registers a new purchase of the same municipality (``purchase_create``). B's time
   against the same purchase registered with no batch open. A ``FOR UPDATE`` on the
   organisation makes B wait for A's commit (the purchase's foreign key takes FOR KEY
   SHARE on the organisation); ``FOR NO KEY UPDATE`` does not.
2. **Two approvals on different budget lines.** Each approval is the budget check
   (``budget_check``, which locks plan lines) followed by ``--work`` seconds of the rest
   of its transaction; two of them on two different lines of one municipality started
   together, against one alone (wall time). Locking every line of the year serialises
   them (about 2x); locking the line checked does not.

Medians of ``--runs`` runs; goal: each ratio under 1.2x. ``DATABASE_URL`` is used when
set (a scratch database: the script migrates it and adds rows); otherwise a throwaway
PostgreSQL cluster is started (see ``benchmarks/pdf.py``).
"""

import argparse
import os
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _in_thread(function):
    """Run ``function`` in a thread with its own connection; returns (thread, result)."""
    from django.db import connection

    result = {}

    def run():
        try:
            result["value"] = function()
        except BaseException as exc:  # reported by the caller
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _value(thread, result):
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def world():
    """A municipality with finance, an official, a bank account, a same-kind group, value
    bands and two plan lines of this year."""
    from django.utils import timezone

    from accounts.models import Role
    from finance.services import batches, plan_line_set
    from tests.factories import OrganisationFactory
    from tests.finance.budget_support import classification
    from tests.purchases.factories import GroupFactory, bands_create, nrb, user_with

    organisation = OrganisationFactory()
    bands_create(organisation)
    finance = user_with(organisation, Role.FINANCE)
    official = user_with(organisation, Role.OFFICIAL)
    account = batches.bank_account_create(
        organisation=organisation, name="Rachunek główny", number=nrb(1)
    )
    group = GroupFactory(organisation=organisation)
    year = timezone.localdate().year
    lines = [classification(code, year) for code in ("921-92105-2360", "926-92605-2360")]
    for line in lines:
        plan_line_set(
            organisation=organisation,
            classification=line,
            planned=Decimal("1000000.00"),
            actor=finance,
        )
    return organisation, finance, official, account, group, lines


def purchase_new(organisation, official, group) -> float:
    from purchases.services import purchase_create
    from tests.purchases.factories import need

    start = time.perf_counter()
    purchase_create(organisation=organisation, actor=official, group=group, **need())
    return time.perf_counter() - start


def batch_held(organisation, finance, account, created: threading.Event, hold: float):
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from finance.services import batches

    with transaction.atomic():
        batches.batch_create(
            organisation=organisation,
            actor=finance,
            account=account,
            execution_date=timezone.localdate() + datetime.timedelta(days=2),
        )
        created.set()
        time.sleep(hold)


def approval(organisation, line, work: float) -> float:
    from django.db import transaction

    from finance.services import budget_check

    start = time.perf_counter()
    with transaction.atomic():
        budget_check(
            organisation_id=organisation.pk,
            year=line.year,
            classification=line,
            amount=Decimal("100.00"),
        )
        time.sleep(work)  # the rest of the approval's transaction
    return time.perf_counter() - start


def measure(args) -> None:
    from django.db import connection

    organisation, finance, official, account, group, lines = world()
    # Committed before the threads start: they see it from their own connections.
    purchase_new(organisation, official, group)  # warm-up

    alone, beside_batch = [], []
    for _run in range(args.runs):
        alone.append(_value(*_in_thread(lambda: purchase_new(organisation, official, group))))
        created = threading.Event()
        holder = _in_thread(
            lambda created=created: batch_held(organisation, finance, account, created, args.hold)
        )
        created.wait(30)
        beside_batch.append(
            _value(*_in_thread(lambda: purchase_new(organisation, official, group)))
        )
        _value(*holder)
    purchase_ratio = statistics.median(beside_batch) / statistics.median(alone)
    print(
        f"New purchase: alone {statistics.median(alone) * 1000:.1f} ms, while a batch "
        f"creation holds its transaction open {args.hold:.1f} s: "
        f"{statistics.median(beside_batch) * 1000:.1f} ms; ratio {purchase_ratio:.2f}x "
        "(goal < 1.2x)"
    )

    one, two = [], []
    for _run in range(args.runs):
        start = time.perf_counter()
        _value(*_in_thread(lambda: approval(organisation, lines[0], args.work)))
        one.append(time.perf_counter() - start)
        start = time.perf_counter()
        threads = [
            _in_thread(lambda line=line: approval(organisation, line, args.work)) for line in lines
        ]
        for thread in threads:
            _value(*thread)
        two.append(time.perf_counter() - start)
    approval_ratio = statistics.median(two) / statistics.median(one)
    print(
        f"Approvals ({args.work * 1000:.0f} ms of work each): one alone "
        f"{statistics.median(one) * 1000:.1f} ms, two on different lines of one "
        f"municipality in parallel {statistics.median(two) * 1000:.1f} ms; "
        f"ratio {approval_ratio:.2f}x (goal < 1.2x)"
    )
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--hold", type=float, default=1.0, help="seconds the batch is held")
    parser.add_argument("--work", type=float, default=0.3, help="seconds of an approval")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from benchmarks.environment import django_on_postgres

    with django_on_postgres():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        measure(args)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
