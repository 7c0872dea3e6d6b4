"""PDF rendering benchmark: run on purpose with ``.venv/bin/python benchmarks/pdf.py``.

1. Overhead of the product's ``documents.rendering.render_pdf`` on a 3-page document
   against WeasyPrint alone writing the same HTML with the same options (PDF/A-3b):
   the median of interleaved runs after a warm-up. Target: under 15 %.
2. Throughput of the whole rendering task (``documents.tasks.render_document``:
   build the context, render, store the file and the row) through a real Celery worker
   with two prefork processes: the time from queueing 200 tasks, one per owner, until
   the 200th document row exists, after a warm-up of both processes.

The worker must share the database, the broker and the media directory with this
script. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` are used when set (the database
must be a scratch one: the script migrates it and adds organisations and documents);
otherwise the script starts a throwaway PostgreSQL cluster and Redis server on free
loopback ports in a temporary directory and removes them at the end. PostgreSQL
rather than SQLite because two worker processes write concurrently.
"""

import argparse
import datetime
import gc
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS_FOR_THREE_PAGES = 80


def sample_context(label: str) -> dict:
    """The sample document with a cost table long enough for 3 A4 pages."""
    return {
        "document_title": "Umowa dotacji",
        "document_number": f"UM/{label}/2026",
        "document_subject": "Mikrogrant: zajęcia dla seniorów",
        "recipient": "Stowarzyszenie „Zażółć gęślą jaźń” (ĄĆĘŁŃÓŚŹŻ)",
        "purpose": f"Zajęcia dla seniorów, edycja {label}",
        "total": Decimal("12345.67"),
        "signed_on": datetime.date(2026, 11, 23),
        "days": 45,
        "rows": [
            {
                "name": f"Pozycja {n}: materiały",
                "quantity": n,
                "unit_price": Decimal("12.50"),
                "amount": Decimal("12.50") * n,
            }
            for n in range(1, ROWS_FOR_THREE_PAGES + 1)
        ],
    }


def organisation_context(organisation) -> dict:
    """Context builder the worker imports: ``benchmarks.pdf.organisation_context``."""
    return sample_context(str(organisation.pk))


# Infrastructure ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"Timed out waiting for {what}.")


class Services:
    """PostgreSQL and Redis for the run: the ones configured, or throwaway ones."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg_data: Path | None = None
        self.as_postgres: list[str] = []
        self.redis_pidfile: Path | None = None

    def pg_bin(self) -> Path:
        versions = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
        )
        if not versions:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql).")
        return versions[-1]

    def start_postgres(self) -> str:
        port = free_port()
        self.pg_data = self.workdir / "pg"
        socket_dir = self.workdir / "pg-socket"
        self.pg_data.mkdir()
        socket_dir.mkdir()
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.pg_data, "postgres")
            shutil.chown(socket_dir, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        bin_dir = self.pg_bin()
        subprocess.run(
            [*self.as_postgres, bin_dir / "initdb", "-D", self.pg_data, "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [*self.as_postgres, bin_dir / "pg_ctl", "-D", self.pg_data, "-w",
             "-l", self.pg_data / "server.log", "-o", options, "start"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        subprocess.run(
            [*self.as_postgres, bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port),
             "-U", "postgres", "bench"],
            check=True, capture_output=True,
        )  # fmt: skip
        return f"postgres://postgres@127.0.0.1:{port}/bench"

    def start_redis(self) -> str:
        port = free_port()
        self.redis_pidfile = self.workdir / "redis.pid"
        subprocess.run(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--pidfile", self.redis_pidfile,
             "--dir", self.workdir, "--logfile", self.workdir / "redis.log"],
            check=True,
        )  # fmt: skip
        wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True
                ).returncode
                == 0
            ),
            10,
            "Redis",
        )
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        if self.pg_data is not None:
            subprocess.run(
                [*self.as_postgres, self.pg_bin() / "pg_ctl", "-D", self.pg_data,
                 "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )  # fmt: skip
        if self.redis_pidfile is not None and self.redis_pidfile.exists():
            pid = int(self.redis_pidfile.read_text())
            os.kill(pid, 15)
            wait_for(lambda: not Path(f"/proc/{pid}").exists(), 10, "Redis to stop")


# Measurements -----------------------------------------------------------------------


def sample_document() -> tuple:
    """The 3-page sample: its organisation, context, title block and HTML."""
    from accounts.models import Organisation
    from documents.rendering import document_template, render_html

    organisation = Organisation(
        name="Gmina Żółkiewka", street="ul. Łąkowa 1", postal_code="22-335", city="Żółkiewka"
    )
    context = sample_context("7")
    meta = {
        "title": context.pop("document_title"),
        "number": context.pop("document_number"),
        "subject": context.pop("document_subject"),
    }
    html = render_html(
        template=document_template("sample.html", organisation),
        context=context,
        organisation=organisation,
        **meta,
    )
    return organisation, context, meta, html


def measure_overhead(samples: int) -> dict:
    import pikepdf
    from weasyprint import HTML

    from documents.rendering import PDF_VARIANT, document_template, render_html, render_pdf

    organisation, context, meta, html = sample_document()

    def product() -> bytes:
        return render_pdf(
            template_name="sample.html", context=context, organisation=organisation, **meta
        )

    def weasyprint_alone() -> bytes:
        return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)

    def own_steps() -> str:  # what render_pdf does besides WeasyPrint
        return render_html(
            template=document_template("sample.html", organisation),
            context=context,
            organisation=organisation,
            **meta,
        )

    with pikepdf.open(io.BytesIO(product())) as pdf:
        pages = len(pdf.pages)
    if pages != 3:
        raise RuntimeError(f"The sample document has {pages} pages, not 3: adjust its rows.")
    weasyprint_alone()
    times: dict[str, list[float]] = {"product": [], "weasyprint": [], "own": []}
    runs = (("product", product), ("weasyprint", weasyprint_alone), ("own", own_steps))
    for sample in range(samples):
        # Alternate the order and collect garbage outside the timings, so neither
        # renderer pays for the other's garbage.
        for name, function in runs if sample % 2 else runs[::-1]:
            gc.collect()
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    product_median = statistics.median(times["product"])
    weasyprint_median = statistics.median(times["weasyprint"])
    return {
        "pages": pages,
        "samples": samples,
        "product": product_median,
        "weasyprint": weasyprint_median,
        "overhead": product_median / weasyprint_median - 1,
        "own": statistics.median(times["own"]),
    }


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=2", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip


def measure_throughput(renders: int, env: dict, workdir: Path) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from accounts.models import Organisation
    from documents.models import Document
    from documents.tasks import render_document
    from tests.factories import OrganisationFactory

    call_command("migrate", verbosity=0)
    warm_up = 4
    owners = [OrganisationFactory() for _ in range(renders + warm_up)]
    content_type = ContentType.objects.get_for_model(Organisation)

    def queue(batch) -> None:
        for owner in batch:
            render_document.delay(
                content_type_id=content_type.pk,
                object_id=owner.pk,
                kind="sample",
                template_name="sample.html",
                context_builder="benchmarks.pdf.organisation_context",
            )

    def wait_for_documents(count: int, worker: subprocess.Popen) -> None:
        def done() -> bool:
            if worker.poll() is not None:
                raise RuntimeError(f"The worker stopped:\n{log.read_text()}")
            return Document.objects.count() >= count

        wait_for(done, 900, f"{count} documents")

    log = workdir / "worker.log"
    worker = start_worker(env, log)
    try:
        queue(owners[:warm_up])  # loads fonts and templates in both processes
        wait_for_documents(warm_up, worker)
        start = time.perf_counter()
        queue(owners[warm_up:])
        wait_for_documents(warm_up + renders, worker)
        elapsed = time.perf_counter() - start
    finally:
        worker_stop(worker)
    documents = Document.objects.exclude(object_id__in=[o.pk for o in owners[:warm_up]])
    return {
        "renders": renders,
        "documents": documents.count(),
        "distinct_files": documents.values("file").distinct().count(),
        "elapsed": elapsed,
        "per_second": renders / elapsed,
    }


def django_setup(services: Services, workdir: Path) -> dict:
    """Point this process (and the workers it starts, with the returned environment) at
    the run's database, broker and media directory, and set Django up."""
    database_url = os.environ.get("DATABASE_URL") or services.start_postgres()
    broker_url = os.environ.get("CELERY_BROKER_URL") or services.start_redis()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_VAR_DIR": str(workdir / "var"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def worker_stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=21, help="timed runs of each renderer")
    parser.add_argument("--renders", type=int, default=200, help="tasks for the worker")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mikrowsparcia-bench-"))
    workdir.chmod(0o755)
    services = Services(workdir)
    try:
        env = django_setup(services, workdir)

        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        overhead = measure_overhead(args.samples)
        print(
            f"render_pdf, {overhead['pages']}-page document, median of {overhead['samples']}: "
            f"{overhead['product'] * 1000:.0f} ms; WeasyPrint alone on the same HTML: "
            f"{overhead['weasyprint'] * 1000:.0f} ms; overhead {overhead['overhead']:+.1%} "
            "(target < 15%)"
        )
        print(
            f"render_pdf's own steps (template lookup, Django rendering, header): "
            f"{overhead['own'] * 1000:.1f} ms = {overhead['own'] / overhead['weasyprint']:.1%} "
            "of WeasyPrint's time"
        )
        throughput = measure_throughput(args.renders, env, workdir)
        print(
            f"Celery worker, prefork, 2 processes: {throughput['renders']} renders of the "
            f"{overhead['pages']}-page document in {throughput['elapsed']:.1f} s = "
            f"{throughput['per_second']:.2f} documents/s "
            f"({throughput['documents']} rows, {throughput['distinct_files']} files)"
        )
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
    finally:
        services.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
