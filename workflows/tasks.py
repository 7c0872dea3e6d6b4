from celery import shared_task

from .outbox import outbox_flush
from .timers import fire_due


@shared_task
def fire_due_timers() -> int:
    """Run by celery beat every minute: fire every timer that is due."""
    return fire_due()


@shared_task
def flush_outbox() -> int:
    """Run by celery beat every minute: publish the outbox's messages that could not be
    published after their commit (the broker was away)."""
    return outbox_flush()
