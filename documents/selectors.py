"""Reading the document archive.

Who may read a document is decided by its owner's model, which opts in with a
classmethod ``documents_visible_to(user) -> QuerySet`` of the owners whose documents
``user`` may download. A model without it exposes no documents through the web.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import Document

VISIBILITY_HOOK = "documents_visible_to"


def documents_of(owner: models.Model, *, kind: str | None = None) -> QuerySet[Document]:
    """The owner's documents (of one kind when given), by kind and version."""
    documents = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    ).select_related("created_by")
    if kind is not None:
        documents = documents.filter(kind=kind)
    return documents.order_by("kind", "version")


def document_latest(owner: models.Model, *, kind: str) -> Document | None:
    return documents_of(owner, kind=kind).last()


def document_visible_to(*, user, pk: int) -> Document | None:
    """Document ``pk`` if ``user`` may see its owner, else ``None`` (also when it does
    not exist: the caller cannot tell the two apart)."""
    document = Document.objects.select_related("content_type").filter(pk=pk).first()
    if document is None or not user.is_authenticated:
        return None
    model = document.content_type.model_class()
    visible_to = getattr(model, VISIBILITY_HOOK, None)
    if visible_to is None:
        return None
    if not visible_to(user).filter(pk=document.object_id).exists():
        return None
    return document
