"""Documents queue benchmark: run on purpose with
``.venv/bin/python benchmarks/documents_queue.py``.

Documents render on their own Celery queue, "documents" (``CELERY_TASK_ROUTES``), which
workers started with ``celery -A config worker -Q documents -c N`` consume, on this
machine or others. This prints documents per second per worker process:

1. Baseline, measured in the same run: WeasyPrint alone rendering the HTML of the same
   3-page sample document (``benchmarks/pdf.py``) in this process, one after the other.
2. For each ``--processes`` value N: a real worker of the documents queue only
   (``-Q documents --pool=prefork -c N``) renders ``--renders`` tasks
   (``documents.tasks.render_document``: build the context, render, store the file and
   the row; one owner each), published through Redis with the product's routing and
   timed from publishing until the last row exists, after a warm-up of every process.
   Documents per second, per process, and its ratio to the baseline.

The database, broker and media directory are as in ``benchmarks/pdf.py``: the
configured ones when ``DATABASE_URL`` and ``CELERY_BROKER_URL`` are set (a scratch
database), otherwise a throwaway PostgreSQL and Redis.
"""

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pdf import (  # noqa: E402
    Services,
    django_setup,
    sample_document,
    wait_for,
    worker_stop,
)


def measure_baseline(samples: int) -> float:
    """Seconds per document of WeasyPrint alone on the sample's HTML (median)."""
    from weasyprint import HTML

    from documents.rendering import PDF_VARIANT

    html = sample_document()[3]
    HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)  # warm-up: fonts, caches
    times = []
    for _ in range(samples):
        gc.collect()
        start = time.perf_counter()
        HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def start_documents_worker(env: dict, processes: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--queues=documents",
             "--pool=prefork", f"--concurrency={processes}", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def measure_worker(processes: int, renders: int, env: dict, workdir: Path) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Organisation
    from config.celery import app
    from documents.models import Document
    from tests.factories import OrganisationFactory

    warm_up = 2 * processes
    owners = [OrganisationFactory() for _ in range(renders + warm_up)]
    content_type = ContentType.objects.get_for_model(Organisation)
    before = Document.objects.count()

    def publish(batch) -> None:
        for owner in batch:
            app.send_task(
                "documents.tasks.render_document",
                kwargs={
                    "content_type_id": content_type.pk,
                    "object_id": owner.pk,
                    "kind": "sample",
                    "template_name": "sample.html",
                    "context_builder": "benchmarks.pdf.organisation_context",
                },
            )

    log = workdir / f"worker-{processes}.log"
    worker = start_documents_worker(env, processes, log)

    def wait_for_documents(count: int) -> None:
        def done() -> bool:
            if worker.poll() is not None:
                raise RuntimeError(f"The worker stopped:\n{log.read_text()}")
            return Document.objects.count() >= before + count

        wait_for(done, 1800, f"{count} documents")

    try:
        publish(owners[:warm_up])
        wait_for_documents(warm_up)
        start = time.perf_counter()
        publish(owners[warm_up:])
        wait_for_documents(warm_up + renders)
        elapsed = time.perf_counter() - start
    finally:
        worker_stop(worker)
    return {"processes": processes, "renders": renders, "elapsed": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=9, help="baseline renders")
    parser.add_argument("--renders", type=int, default=30, help="tasks per worker run")
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="worker processes per run"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mikrowsparcia-bench-"))
    workdir.chmod(0o755)
    services = Services(workdir)
    try:
        env = django_setup(services, workdir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        baseline = measure_baseline(args.samples)
        print(
            f"Baseline, WeasyPrint alone on the 3-page sample's HTML, median of "
            f"{args.samples}: {baseline * 1000:.0f} ms = {1 / baseline:.2f} documents/s "
            "in one process"
        )
        for processes in args.processes:
            run = measure_worker(processes, args.renders, env, workdir)
            per_process = run["renders"] / run["elapsed"] / processes
            print(
                f"Worker -Q documents -c {processes}: {run['renders']} renders in "
                f"{run['elapsed']:.1f} s = {per_process:.2f} documents/s per process "
                f"({per_process * baseline:.0%} of the baseline; "
                f"load average {os.getloadavg()[0]:.2f})"
            )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        services.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
