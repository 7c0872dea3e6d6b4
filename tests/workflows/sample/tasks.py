from celery import shared_task


@shared_task
def record_ping(token: str) -> None:
    from .models import Ping

    Ping.objects.create(token=token)


@shared_task
def remember_event(**event) -> None:
    from workflows.transitions import TransitionEvent

    from .models import EFFECTS_RUN

    EFFECTS_RUN.append(TransitionEvent(**event))
