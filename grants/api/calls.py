"""API of calls (nabory): rules, ranking, award proposals, balanced assignment of evaluators."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import has_role
from areas.models import NOT_IN_USE, Area
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import NotVisible
from workflows.versioning import ETagMixin, if_match_version

from .. import selectors, services
from ..models import (
    CALL_RULE_FIELDS,
    Application,
    Call,
    ChecklistItem,
    CostCategory,
    Criterion,
    PoolShare,
)

# Calls ------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "max_points"]


class CostCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = CostCategory
        fields = ["id", "name", "cap_share"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "text"]


class PoolShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoolShare
        fields = ["municipality", "amount"]


class CallSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, required=False)
    cost_categories = CostCategorySerializer(many=True, required=False)
    checklist = ChecklistItemSerializer(many=True, required=False)
    # A metropolis-wide call's pool split by member municipality (empty: not split); an
    # update that gives it replaces the split.
    pool_shares = PoolShareSerializer(many=True, required=False)

    class Meta:
        model = Call
        fields = [
            "id",
            "organisation",
            *CALL_RULE_FIELDS,
            "criteria",
            "cost_categories",
            "checklist",
            "pool_shares",
            "version",
            "state",
            "state_label",
            "transitions",
        ]
        # The uniqueness of a code in a year is the model's (its message names the fields
        # in the user's language); DRF's own validator would name them in code.
        validators = []
        extra_kwargs = {
            "area": {"error_messages": {"does_not_exist": NOT_IN_USE, "incorrect_type": NOT_IN_USE}}
        }

    def get_fields(self):
        fields = super().get_fields()
        # An area in use, or the one the call already carries (see ``Area.objects.active``).
        fields["area"].queryset = Area.objects.active(
            keeping=getattr(self.instance, "area_id", None)
        )
        return fields

    def validate(self, attrs):
        from finance.rules import classification_year_problem

        instance = self.instance
        problem = classification_year_problem(
            attrs.get("classification", getattr(instance, "classification", None)),
            attrs.get("year", getattr(instance, "year", None)),
        )
        if problem:
            raise serializers.ValidationError({"classification": [problem]})
        return attrs


class RankingEntrySerializer(serializers.ModelSerializer):
    proposed_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, read_only=True
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "title",
            "applicant_name",
            "average_score",
            "requested_amount",
            "state",
            "proposed_amount",
        ]


class AssignedSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="How many reviews were assigned.")


class CallViewSet(
    ETagMixin,
    WorkflowViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = CallSerializer

    def get_queryset(self):
        return selectors.calls_visible_to(self.request.user).prefetch_related(
            "criteria", "cost_categories", "checklist", "pool_shares"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.call_create(
            actor=self.request.user,
            criteria=data.pop("criteria", []),
            cost_categories=data.pop("cost_categories", []),
            checklist=[item["text"] for item in data.pop("checklist", [])],
            **data,
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in CALL_RULE_FIELDS}
        if "pool_shares" in serializer.validated_data:
            data["pool_shares"] = serializer.validated_data["pool_shares"]
        serializer.instance = services.call_update(
            call=serializer.instance,
            actor=self.request.user,
            expected_version=if_match_version(self.request),
            **data,
        )

    @extend_schema(responses=RankingEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def ranking(self, request, pk=None):
        """The ranking with the product's award proposals down it until the pool ends.
        Only the call's organisation's officials read it (as on the ranking page): to
        anyone else the call's ranking does not exist (404)."""
        call = self.get_object()
        if not has_role(request.user, call.organisation_id, Role.OFFICIAL):
            raise NotVisible()
        proposals = {a.pk: amount for a, amount in services.award_proposals(call)}
        entries = selectors.ranking(call)
        for entry in entries:
            entry.proposed_amount = proposals.get(entry.pk)
        return Response(RankingEntrySerializer(entries, many=True).data)

    @extend_schema(request=None, responses=AssignedSerializer)
    @action(detail=True, methods=["post"], url_path="assign-evaluators")
    def assign_evaluators(self, request, pk=None):
        created = services.reviews_assign_balanced(call=self.get_object(), actor=request.user)
        return Response({"created": created})
