"""API of final reports (sprawozdania) and their expenses; the router of the whole grants API."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import InvalidInput

from .. import selectors, services
from ..models import (
    Expense,
    Report,
)
from ..models.reports import REPORT_STATUTORY_FIELDS
from .agreements import AgreementViewSet
from .applications import (
    ApplicationViewSet,
    IneligibleInputSerializer,
    ReportInputSerializer,
    _input,
)
from .calls import CallViewSet
from .reviews import ReviewViewSet


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
            *REPORT_STATUTORY_FIELDS,
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
            statutory={k: data[k] for k in REPORT_STATUTORY_FIELDS if k in data},
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
