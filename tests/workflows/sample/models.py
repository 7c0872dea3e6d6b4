import dataclasses
import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation, Role
from workflows.models import StateField, WorkflowModel
from workflows.rules import SYSTEM, has_role, is_user
from workflows.transitions import Effect, guard, workflow_transition

EFFECTS_RUN: list = []


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    FILED = "filed", "Filed"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"


@guard("has a title")
def has_title(ticket):
    return None if ticket.title else "A ticket needs a title before it is filed."


class AcceptForm(forms.Form):
    priority = forms.IntegerField(min_value=1, max_value=5)


def remember(event):
    """Record, in the transition's transaction, a task that remembers the event once
    published (eagerly in the suite) after the commit."""
    from workflows.outbox import outbox_enqueue

    from .tasks import remember_event

    outbox_enqueue(remember_event, **dataclasses.asdict(event))


class Ticket(WorkflowModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=100, blank=True)
    priority = models.PositiveSmallIntegerField(null=True)
    state = StateField(choices=State.choices, default=State.DRAFT)

    def __str__(self) -> str:
        return self.title

    @classmethod
    def documents_visible_to(cls, user):
        """Tickets whose documents ``user`` may download: their own, or any ticket of an
        organisation where they hold a role."""
        return cls.objects.filter(
            Q(requester=user) | Q(organisation_id__in=user.organisation_ids())
        )

    @workflow_transition(
        source=State.DRAFT,
        target=State.FILED,
        label="File",
        permission=is_user("requester", "zgłaszający"),
        guards=[has_title],
        effects=[Effect(remember, "remember")],
    )
    def file(self, *, actor):
        pass

    @workflow_transition(
        source=State.FILED,
        target=State.ACCEPTED,
        label="Accept",
        permission=has_role(Role.OFFICIAL),
        form=AcceptForm,
    )
    def accept(self, *, actor, priority):
        self.priority = priority

    @workflow_transition(
        source=[State.DRAFT, State.FILED],
        target=State.EXPIRED,
        label="Expire",
        permission=SYSTEM,
    )
    def expire(self, *, actor):
        pass


def ticket_document_context(ticket: Ticket) -> dict:
    """The data of a ticket's sample document (documents/sample.html)."""
    return {
        "document_title": "Zgłoszenie",
        "document_number": f"ZG/{ticket.pk}/2026",
        "document_subject": ticket.title,
        "recipient": str(ticket.requester),
        "purpose": ticket.title,
        "total": Decimal("12345.67"),
        "signed_on": datetime.date(2026, 11, 23),
        "days": ticket.priority or 0,
        "rows": [
            {
                "name": ticket.title,
                "quantity": 1,
                "unit_price": Decimal("12345.67"),
                "amount": Decimal("12345.67"),
            }
        ],
    }


class Ping(models.Model):
    """Written by a Celery task in the real-worker test."""

    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.token
