"""API of applications (wnioski): drafts, attachments, the formal check, evaluators."""

from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from documents.selectors import documents_of
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import InvalidInput
from workflows.parsers import ObjectJSONParser
from workflows.serializers import FieldsBuiltOnceMixin
from workflows.versioning import ETagMixin, if_match_version

from .. import selectors, services
from ..models import (
    Activity,
    Application,
    BudgetLine,
    GroupMember,
    Indicator,
    Review,
)
from ..workflow import ApplicationState

# Applications -----------------------------------------------------------------------


class GroupMemberSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = GroupMember
        fields = [
            "full_name",
            "email",
            "is_leader",
            "declares_adult_resident",
            "consents_to_processing",
            "declared_at",
            "is_minor",
            "guardian_name",
            "guardian_email",
        ]
        read_only_fields = ["declared_at"]


class GroupLinksSentSerializer(serializers.Serializer):
    links_sent = serializers.IntegerField()


class ActivitySerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["name", "start_date", "end_date"]


class IndicatorSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "target", "unit", "achieved"]
        read_only_fields = ["achieved"]


class BudgetLineSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "category",
            "description",
            "unit",
            "quantity",
            "unit_cost",
            "from_grant",
            "own_money",
            "own_in_kind",
            "cost_type",
        ]


class DocumentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return f"/documents/{document.pk}/download/"


class ApplicationSerializer(
    FieldsBuiltOnceMixin, WorkflowSerializerMixin, serializers.ModelSerializer
):
    members = GroupMemberSerializer(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    own_contribution = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    # Empty until the applicant gives one: a string, not always an e-mail address.
    contact_email = serializers.CharField(read_only=True)
    municipality_name = serializers.SerializerMethodField()

    def get_municipality_name(self, application) -> str | None:
        """The member municipality of a metropolis-wide call's initiative, by name."""
        return application.municipality.name if application.municipality_id else None

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "number",
            "version",
            *services.DRAFT_FIELDS,
            "municipality_name",
            "members",
            "activities",
            "indicators",
            "budget_lines",
            "total_cost",
            "requested_amount",
            "own_money",
            "own_in_kind",
            "own_contribution",
            "submitted_at",
            "correction_request",
            "correction_deadline",
            "average_score",
            "needs_third_evaluator",
            "approved_amount",
            "decision_justification",
            "state",
            "state_label",
            "transitions",
        ]
        read_only_fields = [f for f in fields if f not in ("call", "kind")]


class ApplicationListQuerySerializer(serializers.Serializer):
    """The filters of the list (``?call=<id>&state=submitted&search=<words>``); an empty
    one is no filter."""

    call = serializers.IntegerField(required=False, min_value=1)
    state = serializers.ChoiceField(choices=ApplicationState.choices, required=False)
    search = serializers.CharField(required=False, max_length=200)


class ApplicationListSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "number",
            "kind",
            "applicant_name",
            "title",
            "requested_amount",
            "average_score",
            "approved_amount",
            "submitted_at",
            "state",
            "state_label",
            "transitions",
        ]


class IdKeyedDictField(serializers.DictField):
    """``{"<id>": value}``: keys are ids (JSON keys are strings), values ``child``."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        try:
            return {int(key): value for key, value in data.items()}
        except ValueError:
            raise serializers.ValidationError(_("The keys must be ids (whole numbers).")) from None


class FormalCheckInputSerializer(serializers.Serializer):
    answers = IdKeyedDictField(child=serializers.BooleanField(), required=False, default=dict)


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    justification = serializers.CharField(allow_blank=True, required=False, default="")


class ScoresInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)


class AssignInputSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    evaluators = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class ChangeRequestInputSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True, required=False, default="")
    shifts = IdKeyedDictField(child=serializers.DecimalField(max_digits=12, decimal_places=2))


class ReturnRecordInputSerializer(serializers.Serializer):
    returned_on = serializers.DateField()


class ReportInputSerializer(serializers.Serializer):
    narrative = serializers.CharField(allow_blank=True, required=False, default="")
    volunteer_hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0"), required=False, default=Decimal("0")
    )
    achieved = IdKeyedDictField(
        child=serializers.DecimalField(max_digits=10, decimal_places=2),
        required=False,
        default=dict,
    )
    expenses = serializers.ListField(child=serializers.DictField(), required=False)
    own_in_kind_used = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    fees_collected = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    other_public_funds_used = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )
    other_information = serializers.CharField(allow_blank=True, required=False, max_length=4000)
    attachments_list = serializers.CharField(allow_blank=True, required=False, max_length=4000)


class IneligibleInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


def _input(serializer_class, request) -> dict:
    """The request's body through ``serializer_class``: a wrong shape is a 400."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


LIST_PREFETCH = [
    "call__checklist",
    "formal_answers",
    Prefetch("reviews", queryset=Review.objects.order_by("pk")),
]


# What a transition's guards, rules and notices read with the application.
TRANSITION_RELATED = ("call", "applicant")


class ApplicationViewSet(
    ETagMixin, WorkflowViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Applicants create and edit drafts (PATCH with the whole structure); officials
    see their organisations' applications (``?call=``, ``?state=``, ``?search=``)."""

    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]
    # The submit leaves the members and lists on the engine's instance; other
    # transitions' answers read them from it as the serializer asks.
    transition_answer_from_instance = True

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationSerializer

    def get_queryset(self):
        queryset = self._filtered(selectors.applications_visible_to(self.request.user))
        if self.action == "transition":
            # Found and locked in one query by the transition action, with what its
            # guards, rules and notices read (the call, the applicant) and no prefetches
            # the transition would throw away.
            return queryset.select_related(None).select_related(*TRANSITION_RELATED)
        queryset = queryset.prefetch_related(*LIST_PREFETCH)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "members", "activities", "indicators", "budget_lines"
            )
        return queryset.order_by("call_id", "sequence", "pk")

    def get_owned_queryset(self):
        """The applicant's own applications: a resident's submit and corrections are
        found without reading the user's memberships (#18)."""
        return self._filtered(
            selectors.applications_owned_by(self.request.user).select_related(*TRANSITION_RELATED)
        )

    def _filtered(self, queryset):
        """``queryset`` with the request's filters; a malformed one is a 400 at its name
        (``?call=abc`` was a 500)."""
        query = ApplicationListQuerySerializer(
            data={name: value for name, value in self.request.query_params.items() if value}
        )
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        if "call" in filters:
            queryset = queryset.filter(call_id=filters["call"])
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        if "search" in filters:
            queryset = queryset.filter(title__icontains=filters["search"])
        return queryset

    @extend_schema(parameters=[ApplicationListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        call = get_object_or_404(
            selectors.calls_visible_to(self.request.user), pk=serializer.validated_data["call"].pk
        )
        serializer.instance = services.application_create(
            call=call, applicant=self.request.user, kind=serializer.validated_data["kind"]
        )

    def partial_update(self, request, pk=None):
        application = self.get_object()
        data = dict(request.data)
        lists = {
            name: [_row(row) for row in data.pop(name)]
            for name in ("members", "activities", "indicators", "budget_lines")
            if isinstance(data.get(name), list)
        }
        services.application_save_draft(
            application=application,
            actor=request.user,
            fields=data,
            expected_version=if_match_version(request),
            **lists,
        )
        return Response(
            ApplicationSerializer(
                self.get_queryset().get(pk=pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(request=FormalCheckInputSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="formal-check")
    def formal_check(self, request, pk=None):
        application = self.get_object()
        data = _input(FormalCheckInputSerializer, request)
        services.formal_check_record(
            application=application, actor=request.user, answers=data["answers"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=GroupLinksSentSerializer)
    @action(detail=True, methods=["post"], url_path="group-consents")
    def group_consents(self, request, pk=None):
        """The leader sends each member (and each minor's guardian) who has not yet
        confirmed their personal confirmation link."""
        sent = services.group_consents_request(application=self.get_object(), actor=request.user)
        return Response({"links_sent": sent})

    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(field_errors={"file": ["—"]})
        attachment = services.application_attach(
            application=self.get_object(), actor=request.user, upload=upload
        )
        return Response(
            {"id": attachment.pk, "content_type": attachment.content_type, "size": attachment.size},
            status=201,
        )

    @extend_schema(responses=DocumentLinkSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def documents(self, request, pk=None):
        return Response(DocumentLinkSerializer(documents_of(self.get_object()), many=True).data)


def _row(row) -> dict:
    if not isinstance(row, dict):
        raise InvalidInput(field_errors={"rows": ["—"]})
    row = {k: v for k, v in row.items() if k not in ("id", "declared_at", "achieved")}
    if "category" in row:
        row["category_id"] = row.pop("category")
    return row
