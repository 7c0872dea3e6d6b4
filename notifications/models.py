from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text=_("Empty for a person without an account (e.g. a group member)."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    message_key = models.CharField(
        _("message key"),
        max_length=100,
        blank=True,
        help_text=_("What the message is about; empty for messages written before keys."),
    )
    params = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_(
            "The subject's and body's msgids and their values, rendered in the reader's "
            "language when read. Empty for old messages: their subject and body are shown."
        ),
    )
    url = models.CharField(max_length=500, blank=True)
    essential = models.BooleanField(_("essential"), default=False)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "email"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def rendered(self) -> tuple[str, str]:
        """Subject and body in the active language; the stored text of an old message."""
        from .messages import render

        if not self.params:
            return self.subject, self.body
        return render(self.params)

    @property
    def text_subject(self) -> str:
        return self.rendered()[0]

    @property
    def text_body(self) -> str:
        return self.rendered()[1]


class Delivery(models.Model):
    """The e-mail of one notification and how sending it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="delivery"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return f"{self.notification}: {self.status}"
