from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMFieldDescriptor, FSMModelMixin
from django_fsm_log.models import StateLog

# Set in an instance's ``__dict__`` while ``refresh_from_db`` copies what it loaded.
_LOADING = "_workflow_state_loading"


class StateDescriptor(FSMFieldDescriptor):
    """The protected state: assigning it raises, except while the instance itself is
    being loaded from the database.

    django-fsm lifts the protection for ``refresh_from_db`` by flipping ``protected`` on
    the field, which every thread shares: one thread putting it back while another was
    loading (a deferred field, say) made that one fail with "Direct state modification
    is not allowed". The exception here belongs to one instance, never to the class.
    """

    def __set__(self, instance, value) -> None:
        if self.field.name in instance.__dict__ and not instance.__dict__.get(_LOADING):
            raise AttributeError(f"Direct {self.field.name} modification is not allowed")
        self.field.set_proxy(instance, value)
        self.field.set_state(instance, value)


class ProtectedStateField(FSMField):
    """``FSMField(protected=True)`` with a thread-safe protection (``StateDescriptor``);
    the same column, so migrations still name ``django_fsm.FSMField``."""

    descriptor_class = StateDescriptor

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django_fsm.FSMField", args, kwargs


def StateField(*, choices, default, **kwargs) -> FSMField:  # noqa: N802 - reads as a field
    """The state of a workflow object: protected, so only transitions change it."""
    kwargs.setdefault("verbose_name", _("state"))
    return ProtectedStateField(
        choices=choices, default=default, protected=True, max_length=40, db_index=True, **kwargs
    )


class WorkflowModel(ConcurrentTransitionMixin, models.Model):
    """Base of every workflow object.

    Subclasses declare ``state = StateField(...)`` and their transitions. The
    organisation that owns the object scopes role checks; by default it is the
    ``organisation`` foreign key.
    """

    class Meta:
        abstract = True

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        # Skips FSMModelMixin.refresh_from_db, which toggles the field's class-wide flag
        # (not thread-safe); this instance alone may take the state it loads.
        self.__dict__[_LOADING] = True
        try:
            super(FSMModelMixin, self).refresh_from_db(
                using=using, fields=fields, from_queryset=from_queryset
            )
        finally:
            self.__dict__.pop(_LOADING, None)
        self._update_initial_state()  # what ConcurrentTransitionMixin does after a load

    def clean_fields(self, exclude=None):
        # Model.clean_fields assigns each cleaned value back; the protected state may
        # not be assigned, and only transitions decide it anyway.
        super().clean_fields(exclude={*(exclude or ()), "state"})

    @property
    def workflow_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def state_label(self) -> str:
        return str(self.get_state_display())


class TransitionPayload(models.Model):
    """The validated payload of one logged transition (append-only, like the log)."""

    log = models.OneToOneField(
        StateLog, on_delete=models.PROTECT, primary_key=True, related_name="payload"
    )
    data = models.JSONField(encoder=DjangoJSONEncoder, default=dict)

    class Meta:
        verbose_name = _("transition payload")
        verbose_name_plural = _("transition payloads")

    def __str__(self) -> str:
        return f"{self.log_id}: {self.data}"


class Timer(models.Model):
    """A deadline or a reminder of an object in a state (see ``workflows.timers``)."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("deadline")
        REMINDER = "reminder", _("reminder")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(max_length=40)
    name = models.CharField(max_length=80)  # the declaration's StateTimer.key
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(fired_at=None, cancelled_at=None),
                name="timer_pending_due",
            ),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id} at {self.due_at}"


class AuditEntry(models.Model):
    """One write that is not a transition (a return recorded, an expense judged, a
    call's rules or a plan line changed, a role granted): who, when, on what, which
    action, and the changed values before and after. Append-only on PostgreSQL, like
    the transition log; written only by ``workflows.audit.audit_record``."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=60)
    before = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    after = models.JSONField(encoder=DjangoJSONEncoder, default=dict)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.content_type_id}:{self.object_id}"


class RowsJSONField(models.JSONField):
    """A JSON column that several rows' bulk insert writes as ``VALUES`` rows. On
    PostgreSQL Django inserts two rows or more as ``UNNEST`` of one array per column,
    and a ``jsonb[]`` of a few kilobytes (a document's context) takes three times as
    long as the same rows as ``VALUES`` (#18: 2.0 ms against 0.65 ms for a submit's two
    outbox messages); Django leaves ``UNNEST`` out for a field with a placeholder."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class OutboxMessage(models.Model):
    """A Celery task to publish, written in the transaction whose work it follows (see
    ``workflows.outbox``): the task is sent once the transaction commits and the broker
    answers, however long the broker is away."""

    task = models.CharField(max_length=200)
    kwargs = RowsJSONField(encoder=DjangoJSONEncoder, default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["id"], condition=models.Q(sent_at=None), name="outbox_unsent")
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
