"""Reads of attachments. A person sees an attachment when they see its owner (the
owner model's ``attachments_visible_to``): never anonymously."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import Attachment


def attachments_of(owner) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).order_by("pk")


def owner_model(label: str):
    """The model named ``app_label.model`` if it declares the attachment protocol."""
    try:
        app_label, model = label.split(".")
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
    except (ValueError, ContentType.DoesNotExist):
        return None
    if model_class is None or not hasattr(model_class, "attachments_visible_to"):
        return None
    return model_class


def owner_for(user, label: str, pk) -> object | None:
    """The owner ``user`` may see, by its model's label and id, or None."""
    model = owner_model(label)
    if model is None or not user.is_authenticated:
        return None
    return model.attachments_visible_to(user).filter(pk=pk).first()


def attachment_for(user, pk) -> Attachment | None:
    """The attachment ``pk`` if ``user`` sees its owner, else None."""
    if not user.is_authenticated:
        return None
    attachment = Attachment.objects.select_related("owner_type").filter(pk=pk).first()
    if attachment is None:
        return None
    model = attachment.owner_type.model_class()
    if model is None or not hasattr(model, "attachments_visible_to"):
        return None
    if not model.attachments_visible_to(user).filter(pk=attachment.owner_id).exists():
        return None
    return attachment
