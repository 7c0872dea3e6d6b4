"""Reviews (oceny) by evaluators and their scores per criterion."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.models import StateField, WorkflowModel

from ..workflow import (
    ReviewState,
    ReviewWorkflow,
)
from .applications import Application
from .calls import Criterion


class Review(ReviewWorkflow, WorkflowModel):
    """One evaluator's assessment of one application (ocena merytoryczna)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    conflict_reason = models.TextField(blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    state = StateField(choices=ReviewState.choices, default=ReviewState.ASSIGNED)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="review_one_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.evaluator}"

    @property
    def workflow_organisation_id(self) -> int:
        return self.application.call.organisation_id

    def get_absolute_url(self) -> str:
        return reverse("grants:review", args=[self.pk])

    @property
    def is_assigned(self) -> bool:
        """Assigned, before the evaluator's impartiality declaration."""
        return self.state == ReviewState.ASSIGNED

    @property
    def is_submitted(self) -> bool:
        """Submitted and locked."""
        return self.state == ReviewState.SUBMITTED


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    justification = models.TextField()

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"
