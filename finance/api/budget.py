"""REST API of finance: the budget classification, plan lines with their figures,
overrides and the yearly summary. Thin views over ``finance.services.budget``.

- ``GET budget-classifications/?year=2027``: the lines of the classification (anyone
  signed in: calls and purchases choose one).
- ``GET budget-plan-lines/?organisation=&year=``: plan lines of the caller's
  organisations (finance, administrators) with planned, committed, paid, returned,
  available and overrides; ``POST`` (finance) creates a line or sets its planned amount,
  ``PATCH budget-plan-lines/<id>/`` changes the planned amount.
- ``GET budget-overrides/`` and ``POST`` (finance): ``{"number": "<application or
  purchase number>", "amount": "1000.00", "reason": "..."}``.
- ``GET budget-summary/?organisation=&year=``: per classification line and per call.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.models import Organisation, Role
from accounts.permissions import organisation_ids_with
from workflows.errors import InvalidInput, NotPermitted, NotVisible
from workflows.versioning import ETagMixin, if_match_version

from ..models import BudgetClassification, BudgetOverride, BudgetPlanLine
from ..services import budget

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise InvalidInput(field_errors={name: [_("Give a whole number.")]}) from exc


class BudgetClassificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetClassification
        fields = ["id", "year", "section", "chapter", "paragraph", "code", "name"]


class BudgetClassificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The budget classification, one budget year at a time (``?year=``)."""

    serializer_class = BudgetClassificationSerializer

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = BudgetClassification.objects.order_by("-year", "section", "chapter", "paragraph")
        year = _int_param(self.request, "year") if self.action == "list" else None
        if year is not None:
            queryset = queryset.filter(year=year)
        return queryset


class FiguresSerializer(serializers.Serializer):
    planned = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    returned = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)
    overrides = serializers.DecimalField(**MONEY)


class BudgetPlanLineSerializer(serializers.ModelSerializer):
    classification = BudgetClassificationSerializer(read_only=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = BudgetPlanLine
        fields = [
            "id",
            "organisation",
            "classification",
            "planned",
            "figures",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, line) -> dict:
        figures = self.context.get("figures", {}).get(
            (line.organisation_id, line.classification_id)
        )
        if figures is None:  # a single line: ask for its own figures
            figures = budget.figures_by_line(
                organisation_ids=[line.organisation_id],
                year=line.classification.year,
                classification_id=line.classification_id,
            ).get((line.organisation_id, line.classification_id), budget.Figures())
        return FiguresSerializer(figures).data


class PlanLineWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    classification = serializers.IntegerField()
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)


class PlannedSerializer(serializers.Serializer):
    planned = serializers.DecimalField(max_digits=14, decimal_places=2)


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()}
        )
    return serializer.validated_data


class BudgetPlanLineViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Plan lines of the caller's organisations with their figures."""

    serializer_class = BudgetPlanLineSerializer
    queryset = BudgetPlanLine.objects.none()  # for the schema; get_queryset scopes

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return BudgetPlanLine.objects.none()
        queryset = BudgetPlanLine.objects.filter(
            organisation_id__in=organisation_ids_with(user, *budget.PLAN_ROLES)
        ).select_related("classification")
        if self.action == "list":
            organisation = _int_param(self.request, "organisation")
            year = _int_param(self.request, "year")
            if organisation is not None:
                queryset = queryset.filter(organisation_id=organisation)
            if year is not None:
                queryset = queryset.filter(classification__year=year)
        return queryset.order_by(
            "organisation_id",
            "-classification__year",
            "classification__section",
            "classification__chapter",
            "classification__paragraph",
            "pk",
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT),
            OpenApiParameter("year", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        lines = list(page)
        figures = {}
        for year in {line.classification.year for line in lines}:
            organisation_ids = sorted(
                {line.organisation_id for line in lines if line.classification.year == year}
            )
            figures.update(budget.figures_by_line(organisation_ids=organisation_ids, year=year))
        context = {**self.get_serializer_context(), "figures": figures}
        data = BudgetPlanLineSerializer(lines, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(request=PlanLineWriteSerializer, responses=BudgetPlanLineSerializer)
    def create(self, request):
        data = _valid(PlanLineWriteSerializer, request.data)
        organisation = Organisation.objects.filter(
            pk=data["organisation"], pk__in=organisation_ids_with(request.user)
        ).first()
        if organisation is None:
            raise NotVisible()
        classification = BudgetClassification.objects.filter(pk=data["classification"]).first()
        if classification is None:
            raise InvalidInput(
                field_errors={"classification": [_("Choose a line of the budget classification.")]}
            )
        line = budget.plan_line_set(
            organisation=organisation,
            classification=classification,
            planned=data["planned"],
            actor=request.user,
        )
        return Response(self._detail(line), status=status.HTTP_201_CREATED)

    @extend_schema(request=PlannedSerializer, responses=BudgetPlanLineSerializer)
    def partial_update(self, request, pk=None):
        line = self.get_object()
        data = _valid(PlannedSerializer, request.data)
        line = budget.plan_line_set(
            organisation=line.organisation,
            classification=line.classification,
            planned=data["planned"],
            actor=request.user,
            expected_version=if_match_version(request),
        )
        return Response(self._detail(line))

    def _detail(self, line):
        line = BudgetPlanLine.objects.select_related("classification").get(pk=line.pk)
        return BudgetPlanLineSerializer(line, context=self.get_serializer_context()).data


class BudgetOverrideSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="plan_line.organisation_id", read_only=True)
    classification = serializers.CharField(source="plan_line.classification.code", read_only=True)
    year = serializers.IntegerField(source="plan_line.classification.year", read_only=True)
    source_kind = serializers.CharField(source="source_type.model", read_only=True)
    source_number = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = BudgetOverride
        fields = [
            "id",
            "organisation",
            "classification",
            "year",
            "source_kind",
            "source_id",
            "source_number",
            "amount",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_source_number(self, override) -> str:
        source = override.source
        return getattr(source, "number", "") if source is not None else ""

    def get_created_by(self, override) -> dict:
        user = override.created_by
        return {"id": user.pk, "name": user.get_full_name() or user.email}


class OverrideWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField(max_length=4000)


class BudgetOverrideViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Overrides of the plans of the caller's organisations, newest first; finance
    creates one for an application or purchase by its number."""

    serializer_class = BudgetOverrideSerializer
    queryset = BudgetOverride.objects.none()

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            return BudgetOverride.objects.none()
        queryset = BudgetOverride.objects.filter(
            plan_line__organisation_id__in=organisation_ids_with(user, *budget.PLAN_ROLES)
        )
        if self.action == "list":
            year = _int_param(self.request, "year")
            if year is not None:
                queryset = queryset.filter(plan_line__classification__year=year)
        return (
            queryset.select_related("plan_line__classification", "created_by", "source_type")
            .prefetch_related("source")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OverrideWriteSerializer, responses=BudgetOverrideSerializer)
    def create(self, request):
        if not organisation_ids_with(request.user, Role.FINANCE):
            raise NotPermitted(budget.PLAN_CHANGE_REFUSED)
        data = _valid(OverrideWriteSerializer, request.data)
        source = budget.source_find(user=request.user, number=data["number"])
        override = budget.budget_override_create(
            source=source, amount=data["amount"], reason=data["reason"], actor=request.user
        )
        override = self.get_queryset().get(pk=override.pk)
        return Response(BudgetOverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class SummaryLineSerializer(serializers.Serializer):
    classification = BudgetClassificationSerializer()
    in_plan = serializers.SerializerMethodField()
    figures = FiguresSerializer()

    def get_in_plan(self, row) -> bool:
        return row.plan_line is not None


class SummaryUnitSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()
    classification = serializers.CharField(source="classification.code", allow_null=True)
    figures = FiguresSerializer()


class SummarySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    year = serializers.IntegerField()
    lines = SummaryLineSerializer(many=True)
    calls = SummaryUnitSerializer(many=True, source="units")
    totals = FiguresSerializer()


class _OneObjectSchema(AutoSchema):
    """The summary is one object although its route is the router's ``list``."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class BudgetSummaryViewSet(viewsets.ViewSet):
    """The yearly summary of one organisation (``?organisation=``, default the first of
    the caller's, and ``?year=``, default this year)."""

    schema = _OneObjectSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT),
            OpenApiParameter("year", OpenApiTypes.INT),
        ],
        responses=SummarySerializer,
    )
    def list(self, request):
        allowed = organisation_ids_with(request.user, *budget.PLAN_ROLES)
        organisation = _int_param(request, "organisation")
        if organisation is None and allowed:
            organisation = allowed[0]
        if organisation not in allowed:
            raise NotVisible()
        year = _int_param(request, "year") or timezone.localdate().year
        data = budget.year_summary(organisation_id=organisation, year=year)
        return Response(SummarySerializer(data).data)


def register(router) -> None:
    router.register(
        "budget-classifications", BudgetClassificationViewSet, basename="budget-classification"
    )
    router.register("budget-plan-lines", BudgetPlanLineViewSet, basename="budget-plan-line")
    router.register("budget-overrides", BudgetOverrideViewSet, basename="budget-override")
    router.register("budget-summary", BudgetSummaryViewSet, basename="budget-summary")
