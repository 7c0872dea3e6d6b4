"""The transition log: one ``StateLog`` row (django-fsm-log's model) per applied
transition, with its validated payload in ``TransitionPayload``.

The engine writes both itself (``transition_log_write``) in the transition's database
transaction, from the values it holds; nothing travels on the instance.
django-fsm-log's signal backend is therefore a no-op (``EngineWritesTheLog``).
"""

from django_fsm_log.backends import BaseBackend
from django_fsm_log.models import StateLog

from .models import TransitionPayload


def transition_log_write(
    *, obj, transition: str, source: str, target: str, actor, comment: str, payload: dict
) -> StateLog:
    """Write the log row of one applied transition and its payload, if it has one (a
    transition without a form and its payload row of ``{}`` said nothing: #18)."""
    log = StateLog.objects.create(
        content_object=obj,
        source_state=source,
        state=target,
        transition=transition,
        by=actor,
        description=comment,
    )
    if payload:
        TransitionPayload.objects.create(log=log, data=payload)
    else:
        StateLog.payload.related.set_cached_value(log, None)  # known: none, no query
    return log


def log_payload(log: StateLog) -> dict:
    """The payload logged with ``log`` (``{}`` when the transition took none)."""
    try:
        return log.payload.data
    except TransitionPayload.DoesNotExist:
        return {}


class EngineWritesTheLog(BaseBackend):
    """``DJANGO_FSM_LOG_STORAGE_METHOD``: django-fsm-log writes nothing on its signals;
    ``workflows.engine.transition_apply`` writes the log."""

    @staticmethod
    def setup_model(model) -> None:
        pass

    @staticmethod
    def pre_transition_callback(*args, **kwargs) -> None:
        pass

    @staticmethod
    def post_transition_callback(*args, **kwargs) -> None:
        pass
