"""Production's ``outbox`` process: publish the outbox's messages as they commit."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from workflows.outbox import outbox_dispatch, outbox_relay


class Command(BaseCommand):
    help = (
        "Publish the outbox's messages to the broker as their transactions commit, until "
        "stopped (SIGTERM or SIGINT). --once publishes what is waiting now and ends."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.OUTBOX_RELAY_SECONDS,
            help="seconds between looks at the outbox when nothing is waiting",
        )
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: float, once: bool, **options):
        if once:
            self.stdout.write(f"{outbox_dispatch()} messages published")
            return
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        outbox_relay(interval=interval, stop=stop)
