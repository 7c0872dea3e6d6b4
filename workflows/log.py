"""django-fsm-log storage backend that also records the transition's payload.

The engine puts the actor, the comment and the cleaned payload on the instance with
``FSMLogDescriptor``; this backend writes one ``StateLog`` row and its
``TransitionPayload`` inside the transition's database transaction.
"""

from django_fsm_log.backends import BaseBackend
from django_fsm_log.conf import settings
from django_fsm_log.helpers import FSMLogDescriptor


def _described(instance, attribute, default=None):
    try:
        return FSMLogDescriptor(instance, attribute).get()
    except AttributeError:
        return default


class PayloadBackend(BaseBackend):
    @staticmethod
    def setup_model(model) -> None:
        pass

    @staticmethod
    def pre_transition_callback(*args, **kwargs) -> None:
        pass

    @staticmethod
    def post_transition_callback(sender, instance, name, source, target, **kwargs) -> None:
        from django_fsm_log.models import StateLog

        from .models import TransitionPayload

        if BaseBackend._get_model_qualified_name__(sender) in (
            settings.DJANGO_FSM_LOG_IGNORED_MODELS
        ):
            return
        log = StateLog.objects.create(
            content_object=instance,
            source_state=source,
            state=target,
            transition=name,
            by=_described(instance, "by"),
            description=_described(instance, "description", ""),
        )
        TransitionPayload.objects.create(log=log, data=_described(instance, "payload", {}))
        FSMLogDescriptor(instance, "log", log)
