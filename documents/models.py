from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One stored, immutable PDF rendering of a document of some workflow object.

    A document belongs to an *owner* (any model row: an application, an agreement, a
    purchase) and has a *kind* ("agreement", "decision"); the versions of one kind for
    one owner are numbered from 1. A row and its file are never changed: rendering
    different data makes the next version, rendering identical data (the same
    ``context_hash``) makes nothing. On PostgreSQL a trigger rejects UPDATE.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("owner type"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("owner id"))
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.SlugField(_("kind"), max_length=50)
    number = models.CharField(_("number"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), max_length=255, upload_to="documents/")
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    template_name = models.CharField(_("template"), max_length=255)
    context_hash = models.CharField(_("SHA-256 of the rendered data"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The last day the archive must keep it (documents.retention), set when stored.
    retain_until = models.DateField(_("retain until"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["content_type", "object_id", "kind", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "version"],
                name="document_unique_version",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "context_hash"],
                name="document_unique_rendering",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="document_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number} (v{self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A stored document cannot be changed."))
        super().save(*args, **kwargs)


class TemplateOverride(models.Model):
    """One version of an organisation's own wording of a document template.

    Each save on the organisation administrator's page is a new row, numbered from 1
    per organisation and template; the row with the highest version is in force.
    A row with ``is_default`` set says "back to the default wording" and carries no
    text. Rows are never changed, so the wording any stored document was rendered
    with stays known (``Document.template_name`` names the version)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="template_overrides",
    )
    template_name = models.CharField(_("template"), max_length=255)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("template text"), blank=True)
    is_default = models.BooleanField(_("back to the default"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document template override")
        verbose_name_plural = _("document template overrides")
        ordering = ["organisation", "template_name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "template_name", "version"],
                name="template_override_unique_version",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="template_override_version_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_name} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A saved template version cannot be changed."))
        super().save(*args, **kwargs)
