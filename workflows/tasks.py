from celery import shared_task

from .timers import fire_due


@shared_task
def fire_due_timers() -> int:
    """Run by celery beat every minute: fire every timer that is due."""
    return fire_due()
