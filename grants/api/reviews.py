"""API of reviews (oceny): an evaluator's scores."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin

from .. import selectors, services
from ..models import (
    Review,
    Score,
)
from .applications import (
    AssignInputSerializer,
    ScoresInputSerializer,
    _input,
)

# Reviews ----------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "points", "justification"]


class ReviewSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "evaluator",
            "declared_at",
            "total",
            "submitted_at",
            "scores",
            "state",
            "state_label",
            "transitions",
        ]


class ReviewViewSet(WorkflowViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return selectors.reviews_visible_to(self.request.user).prefetch_related(
            "scores", "application__call__criteria"
        )

    @extend_schema(request=ScoresInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        review = self.get_object()
        data = _input(ScoresInputSerializer, request)
        services.review_score(review=review, actor=request.user, scores=data["scores"])
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=AssignInputSerializer, responses={201: ReviewSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="assign", pagination_class=None)
    def assign(self, request):
        data = _input(AssignInputSerializer, request)
        application = get_object_or_404(
            selectors.applications_visible_to(request.user), pk=data["application"]
        )
        from accounts.models import User

        evaluators = list(User.objects.filter(pk__in=data["evaluators"]))
        reviews = services.reviews_assign(
            application=application, evaluators=evaluators, actor=request.user
        )
        return Response(self.get_serializer(reviews, many=True).data, status=201)
