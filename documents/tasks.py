"""Rendering documents in Celery.

The task takes ids and the document's data: the *context* captured in the
transaction that asked for the document (``services.document_render_later``, frozen
by ``snapshots.context_freeze``), so the document shows the data of that moment
however late the task runs. A *context builder* is a function ``(owner) -> dict`` that
the owning app provides, which reads the owner's data into plain values (see
``services.document_render`` for the keys it must set); given instead of a context
(as by messages queued before contexts were captured) it is called when the task runs.

The task is idempotent (``document_render`` returns the existing document when the
data did not change) and is retried with exponential backoff on any failure except
those a retry cannot fix (the owner is gone, the template or builder does not exist).
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.template import TemplateDoesNotExist
from django.utils import translation
from django.utils.module_loading import import_string

from .rendering import DEFAULT_LANGUAGE
from .services import document_render
from .snapshots import context_thaw

SOFT_TIME_LIMIT = 120  # seconds; a 30-page document renders in well under 10
TIME_LIMIT = 150


@shared_task(
    autoretry_for=(Exception,),
    dont_autoretry_for=(ObjectDoesNotExist, TemplateDoesNotExist, ImportError),
    retry_backoff=5,
    retry_backoff_max=240,  # under the broker's visibility timeout (settings)
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
    context_builder: str = "",
    actor_id: int | None = None,
    context: dict | None = None,
) -> int:
    """Render and store document ``kind`` of the object from ``context`` (frozen) or,
    without one, from what ``context_builder`` reads now; returns the document's id."""
    owner_type = ContentType.objects.get_for_id(content_type_id)
    owner = owner_type.get_object_for_this_type(pk=object_id)
    if context is None:
        with translation.override(DEFAULT_LANGUAGE):
            context = import_string(context_builder)(owner)
    else:
        context = context_thaw(context, owner)
    actor = get_user_model().objects.get(pk=actor_id) if actor_id is not None else None
    document = document_render(
        owner=owner,
        kind=kind,
        template_name=template_name,
        context=context,
        actor=actor,
    )
    return document.pk
