"""Rendering documents in Celery.

The task takes ids and the dotted path of a *context builder*: a function
``(owner) -> dict`` that the owning app provides, which reads the owner's current data
into plain values (see ``services.document_render`` for the keys it must set). The
context is built when the task runs, so a queued task never carries stale data.

The task is idempotent (``document_render`` returns the existing document when the
data did not change) and is retried with exponential backoff on any failure except
those a retry cannot fix (the owner is gone, the template or builder does not exist).
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.template import TemplateDoesNotExist
from django.utils.module_loading import import_string

from .services import document_render

SOFT_TIME_LIMIT = 120  # seconds; a 30-page document renders in well under 10
TIME_LIMIT = 150


@shared_task(
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist, TemplateDoesNotExist, ImportError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    acks_late=True,
)
def render_document(
    content_type_id: int,
    object_id: int,
    kind: str,
    template_name: str,
    context_builder: str,
    actor_id: int | None = None,
) -> int:
    """Render and store document ``kind`` of the object; returns the document's id."""
    owner_type = ContentType.objects.get_for_id(content_type_id)
    owner = owner_type.get_object_for_this_type(pk=object_id)
    build = import_string(context_builder)
    actor = get_user_model().objects.get(pk=actor_id) if actor_id is not None else None
    document = document_render(
        owner=owner,
        kind=kind,
        template_name=template_name,
        context=build(owner),
        actor=actor,
    )
    return document.pk
