"""Running functions at the same moment in threads, each on its own connection."""

import threading

from django.db import connection


def run_concurrently(functions, timeout=60):
    """Start every function at once (behind a barrier) and return, in order, each one's
    ``("ok", result)`` or ``("error", exception)``."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def worker(i, fn):
        try:
            barrier.wait()
            outcomes[i] = ("ok", fn())
        except Exception as exc:
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
