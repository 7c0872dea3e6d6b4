"""Celery tasks of the grant process, published through the outbox with ids only."""

from celery import shared_task


@shared_task(acks_late=True)
def close_evaluation_if_complete(review_id: int) -> None:
    """After a review's submit has committed: close the application's evaluation when
    it was the last review needed (idempotent: a closed evaluation stays closed)."""
    from .services import evaluation_close_if_complete

    evaluation_close_if_complete(review_id=review_id)
