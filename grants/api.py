"""REST API of the micro-grant process: thin views over ``selectors`` and ``services``,
following the conventions of ``workflows.api``."""

from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Role
from documents.selectors import documents_of
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import InvalidInput, NotVisible
from workflows.parsers import ObjectJSONParser
from workflows.versioning import ETagMixin, if_match_version

from . import selectors, services
from .models import (
    CALL_RULE_FIELDS,
    Activity,
    Agreement,
    Application,
    BudgetLine,
    Call,
    ChangeRequest,
    ChecklistItem,
    CostCategory,
    Criterion,
    Expense,
    GroupMember,
    Indicator,
    Report,
    Return,
    Review,
    Score,
    Tranche,
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


class CallSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, required=False)
    cost_categories = CostCategorySerializer(many=True, required=False)
    checklist = ChecklistItemSerializer(many=True, required=False)

    class Meta:
        model = Call
        fields = [
            "id",
            "organisation",
            *CALL_RULE_FIELDS,
            "criteria",
            "cost_categories",
            "checklist",
            "version",
            "state",
            "state_label",
            "transitions",
        ]
        # The uniqueness of a code in a year is the model's (its message names the fields
        # in the user's language); DRF's own validator would name them in code.
        validators = []

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
            "criteria", "cost_categories", "checklist"
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
        if Role.OFFICIAL not in request.user.roles_in(call.organisation_id):
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


# Applications -----------------------------------------------------------------------


class GroupMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupMember
        fields = [
            "full_name",
            "email",
            "is_leader",
            "declares_adult_resident",
            "consents_to_processing",
            "declared_at",
        ]
        read_only_fields = ["declared_at"]


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = ["name", "start_date", "end_date"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "target", "unit", "achieved"]
        read_only_fields = ["achieved"]


class BudgetLineSerializer(serializers.ModelSerializer):
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
        ]


class DocumentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return f"/documents/{document.pk}/download/"


class ApplicationSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    members = GroupMemberSerializer(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    own_contribution = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "number",
            "version",
            *services.DRAFT_FIELDS,
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


class ApplicationViewSet(
    ETagMixin, WorkflowViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Applicants create and edit drafts (PATCH with the whole structure); officials
    see their organisations' applications (``?call=``, ``?state=``, ``?search=``)."""

    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        return ApplicationListSerializer if self.action == "list" else ApplicationSerializer

    def get_queryset(self):
        queryset = selectors.applications_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("call"):
            queryset = queryset.filter(call_id=params["call"])
        if params.get("state"):
            queryset = queryset.filter(state=params["state"])
        if params.get("search"):
            queryset = queryset.filter(title__icontains=params["search"])
        queryset = queryset.prefetch_related(*LIST_PREFETCH)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "members", "activities", "indicators", "budget_lines"
            )
        return queryset.order_by("call_id", "sequence", "pk")

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


# Agreements, reports, returns -------------------------------------------------------


class TrancheSerializer(serializers.ModelSerializer):
    payment_order = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Tranche
        fields = ["id", "amount", "due_date", "payment_order"]


class ReturnSerializer(serializers.ModelSerializer):
    class Meta:
        model = Return
        fields = ["id", "kind", "amount", "deadline", "interest_from", "returned_on", "interest"]


class AgreementSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    tranches = TrancheSerializer(many=True, read_only=True)
    returns = ReturnSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "application",
            "number",
            "amount",
            "spending_deadline",
            "report_deadline",
            "signed_on",
            "version",
            "tranches",
            "returns",
            "state",
            "state_label",
            "transitions",
        ]


class ChangeRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeRequest
        fields = ["id", "description", "shifts", "needs_annex", "approved_at"]


class AgreementCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    spending_deadline = serializers.DateField()
    tranches = TrancheSerializer(many=True)


class AgreementViewSet(WorkflowViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer

    def get_queryset(self):
        return selectors.agreements_visible_to(self.request.user).prefetch_related(
            "tranches", "returns"
        )

    @extend_schema(request=AgreementCreateSerializer)
    def create(self, request):
        data = AgreementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = (
            selectors.applications_visible_to(request.user)
            .filter(pk=data.validated_data["application"])
            .first()
        )
        if application is None:
            raise NotVisible()
        agreement = services.agreement_create(
            application=application,
            actor=request.user,
            spending_deadline=data.validated_data["spending_deadline"],
            tranches=[(t["amount"], t["due_date"]) for t in data.validated_data["tranches"]],
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data, status=201
        )

    @extend_schema(responses=DocumentLinkSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def documents(self, request, pk=None):
        return Response(DocumentLinkSerializer(documents_of(self.get_object()), many=True).data)

    @extend_schema(request=ChangeRequestInputSerializer, responses={201: ChangeRequestSerializer})
    @action(detail=True, methods=["post"], url_path="change-requests")
    def change_requests(self, request, pk=None):
        """The grantee moves grant money between budget lines:
        ``{"description": ..., "shifts": {"<line id>": "<new amount from the grant>"}}``."""
        agreement = self.get_object()
        data = _input(ChangeRequestInputSerializer, request)
        change = services.change_request_submit(
            agreement=agreement,
            actor=request.user,
            description=data["description"],
            shifts=data["shifts"],
        )
        return Response(ChangeRequestSerializer(change).data, status=201)

    @extend_schema(request=None, responses=ChangeRequestSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"change-requests/(?P<change_id>\d+)/approve",
    )
    def approve_change(self, request, pk=None, change_id=None):
        change = get_object_or_404(self.get_object().change_requests.all(), pk=change_id)
        change = services.change_request_approve(change=change, actor=request.user)
        return Response(ChangeRequestSerializer(change).data)

    @extend_schema(request=ReturnRecordInputSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"], url_path=r"returns/(?P<return_id>\d+)/record")
    def record_return(self, request, pk=None, return_id=None):
        agreement = self.get_object()
        ret = get_object_or_404(agreement.returns.all(), pk=return_id)
        data = _input(ReturnRecordInputSerializer, request)
        services.return_record(ret=ret, actor=request.user, returned_on=data["returned_on"])
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class ExpenseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expense
        fields = [
            "id",
            "document_number",
            "document_date",
            "issuer",
            "purpose",
            "budget_line",
            "amount",
            "from_grant",
            "eligible",
            "ineligible_reason",
        ]
        read_only_fields = ["eligible", "ineligible_reason"]


class ReportSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    expenses = ExpenseSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "agreement",
            "narrative",
            "volunteer_hours",
            "submitted_at",
            "corrections",
            "expenses",
            "state",
            "state_label",
            "transitions",
        ]


class ReportViewSet(WorkflowViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The grantee writes the report with ``PUT /reports/for-agreement/<id>/``."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).prefetch_related("expenses")

    @extend_schema(request=ReportInputSerializer, responses=ReportSerializer)
    @action(detail=False, methods=["put"], url_path=r"for-agreement/(?P<agreement_id>\d+)")
    def write(self, request, agreement_id=None):
        agreement = get_object_or_404(
            selectors.agreements_visible_to(request.user), pk=agreement_id
        )
        data = _input(ReportInputSerializer, request)
        expenses = data.get("expenses")
        report = services.report_save(
            agreement=agreement,
            actor=request.user,
            narrative=data["narrative"],
            volunteer_hours=data["volunteer_hours"],
            achieved=data["achieved"],
            expenses=[_expense_row(row) for row in expenses] if expenses is not None else None,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=IneligibleInputSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path=r"expenses/(?P<expense_id>\d+)/ineligible")
    def ineligible(self, request, pk=None, expense_id=None):
        report = self.get_object()
        expense = get_object_or_404(report.expenses.all(), pk=expense_id)
        data = _input(IneligibleInputSerializer, request)
        services.expense_mark_ineligible(expense=expense, actor=request.user, reason=data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


def _expense_row(row) -> dict:
    serializer = ExpenseSerializer(data=row)
    if not serializer.is_valid():
        raise InvalidInput(field_errors={f"expenses.{k}": v for k, v in serializer.errors.items()})
    data = dict(serializer.validated_data)
    data["budget_line_id"] = data.pop("budget_line").pk
    return data


def register_api(router) -> None:
    router.register("grant-calls", CallViewSet, basename="grant-call")
    router.register("grant-applications", ApplicationViewSet, basename="grant-application")
    router.register("grant-reviews", ReviewViewSet, basename="grant-review")
    router.register("grant-agreements", AgreementViewSet, basename="grant-agreement")
    router.register("grant-reports", ReportViewSet, basename="grant-report")
