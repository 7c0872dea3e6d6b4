from celery import shared_task


@shared_task
def record_ping(token: str) -> None:
    from .models import Ping

    Ping.objects.create(token=token)
