"""API of agreements (umowy), their changes and returns (zwroty)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from documents.selectors import documents_of
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import NotVisible

from .. import selectors, services
from ..models import (
    Agreement,
    ChangeRequest,
    Return,
    Tranche,
)
from .applications import (
    ChangeRequestInputSerializer,
    DocumentLinkSerializer,
    ReturnRecordInputSerializer,
    _input,
)

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


class PartialReportInputSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    narrative = serializers.CharField(max_length=8000)
    spending = serializers.DictField(child=serializers.DictField())
    volunteer_hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=Decimal("0"), required=False, default=Decimal("0")
    )
    attachments_list = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=4000
    )


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

    @extend_schema(request=PartialReportInputSerializer, responses={201: DocumentLinkSerializer})
    @action(detail=True, methods=["post"], url_path="partial-reports")
    def partial_reports(self, request, pk=None):
        """The grantee submits a partial report (agreements in tranches or over years)."""
        data = _input(PartialReportInputSerializer, request)
        partial = services.partial_report_submit(
            agreement=self.get_object(), actor=request.user, **data
        )
        return Response({"id": partial.pk, "number": partial.number}, status=201)

    @extend_schema(responses=DocumentLinkSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def attached(self, request, pk=None):
        """The agreement's annexes: the offer it was made from, then each annex."""
        documents = selectors.agreement_annex_documents(self.get_object())
        return Response(DocumentLinkSerializer(documents, many=True).data)

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
