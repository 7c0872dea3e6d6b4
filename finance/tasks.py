"""Background jobs of finance: building the XLSX of the settlement register."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.exports import export_fail, settlement_xlsx_build

logger = logging.getLogger(__name__)
MAX_RETRIES = 3
SOFT_TIME_LIMIT = 1800  # seconds; 100 000 rows take well under a minute
TIME_LIMIT = 1900


@shared_task(
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_settlements_xlsx(self, export_id: int) -> int | None:
    """Build the XLSX of export ``export_id``; returns its row count. A lost database
    connection or a storage error is retried with backoff; any other failure, or the
    last retry, marks the export failed with the reason (shown on the job page)."""
    try:
        return settlement_xlsx_build(export_id=export_id).rows_total
    except (OperationalError, InterfaceError, OSError) as exc:
        if self.request.retries < MAX_RETRIES and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
        logger.exception("The settlement export %s failed.", export_id)
        export_fail(export_id=export_id, error=str(exc))
    except Exception as exc:
        logger.exception("The settlement export %s failed.", export_id)
        export_fail(export_id=export_id, error=str(exc))
    return None
