"""One attached file and its owner (any model that declares the attachment protocol,
see the package's docstring)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename: str) -> str:
    """Where the file is stored: by owner, under a random name (never the name the
    person gave, which may hold anything)."""
    extension = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        "application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    }.get(instance.content_type, "bin")
    owner = f"{instance.owner_type.app_label}-{instance.owner_type.model}"
    return f"attachments/{owner}/{instance.owner_id}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    class Purpose(models.TextChoices):
        GENERAL = "general", _("attachment")
        CORRECTION = "correction", _("answer to a correction request")
        PHOTO = "photo", _("photo or scan")

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.GENERAL
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["owner_type", "owner_id", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
