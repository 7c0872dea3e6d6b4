"""The embedded mode's stand-in for celery beat.

Under ``make run`` there is no worker and no beat: tasks run eagerly in the web
process. So that deadlines still pass by themselves there (an inquiry opens its
offers, a comment period ends, reminders go out), the web process starts one daemon
thread that, every ``EMBEDDED_LOOP_SECONDS`` (60), does what beat would ask a worker
to do each minute: fire the due timers and flush the outbox. It is started by
``config.wsgi`` (which ``runserver`` loads in the process that serves), so commands
such as ``migrate`` and the test suite never run it. Timers are claimed with ``SELECT
... FOR UPDATE SKIP LOCKED``, so a beat running beside it fires nothing twice.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_running: dict = {}
_lock = threading.Lock()


def embedded_tick() -> tuple[int, int]:
    """One round: fire due timers, then publish the outbox. Returns both counts."""
    from .outbox import outbox_flush
    from .timers import fire_due

    return fire_due(), outbox_flush()


def _loop(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            fired, flushed = embedded_tick()
            if fired or flushed:
                logger.info("embedded loop: %s timers fired, %s messages sent", fired, flushed)
        except Exception:
            logger.exception("embedded loop: a round failed; the next one tries again")
        finally:
            connections.close_all()
        stop.wait(interval)


def embedded_loop_start() -> threading.Thread | None:
    """Start the loop once per process when ``EMBEDDED_LOOP_SECONDS`` is set."""
    interval = settings.EMBEDDED_LOOP_SECONDS
    if interval <= 0:
        return None
    with _lock:
        if "thread" not in _running:
            stop = threading.Event()
            thread = threading.Thread(
                target=_loop, args=(interval, stop), name="embedded-loop", daemon=True
            )
            _running.update(thread=thread, stop=stop)
            thread.start()
        return _running["thread"]


def embedded_loop_stop(timeout: float = 30) -> None:
    """Stop the loop after its current round (for tests; a server just exits)."""
    with _lock:
        if "thread" in _running:
            _running["stop"].set()
            _running["thread"].join(timeout)
            _running.clear()
