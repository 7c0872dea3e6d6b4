"""REST API of payment batches: ``/api/v1/payment-batches/``.

- ``GET`` list (``?state=``) and detail (items, totals, transitions, the bank file's
  name and checksum);
- ``POST`` creates a draft: ``{"account", "execution_date", "orders": [ids], "note"}``;
  ``PATCH`` changes a draft's ``execution_date`` or ``note``;
- ``POST items/`` adds orders ``{"orders": [ids]}``; ``DELETE items/<id>/`` removes one;
- ``POST results/`` records the bank's results ``{"results": [{"item", "outcome":
  "paid"|"rejected", "paid_on", "reason"}]}``;
- ``POST transitions/<name>/`` (approve, return_to_draft, export, mark_all_paid,
  settle, cancel) and ``GET history/``, as every process;
- ``GET file/`` (Elixir-O, the bytes stored at export), ``csv/``, ``xlsx/``.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import organisation_ids_with
from documents.spreadsheets import XLSX_CONTENT_TYPE
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin
from workflows.errors import InvalidInput, NotVisible

from ..models import BankAccount, BatchItem, Export, PaymentBatch
from ..selectors import batches as selectors
from ..services import batches as services
from ..workflow import BatchState

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class BatchItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="order.title", read_only=True)
    beneficiary_name = serializers.CharField(source="order.beneficiary_name", read_only=True)
    account_number = serializers.CharField(source="order.account_number", read_only=True)
    due_date = serializers.DateField(source="order.due_date", read_only=True)
    order_state = serializers.CharField(source="order.state", read_only=True)

    class Meta:
        model = BatchItem
        fields = [
            "id",
            "order",
            "title",
            "beneficiary_name",
            "account_number",
            "amount",
            "due_date",
            "order_state",
            "outcome",
            "paid_on",
            "rejection_reason",
            "added_by",
            "added_at",
        ]
        read_only_fields = fields


class PaymentBatchListSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)
    items_count = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(**MONEY)
    paid_total = serializers.DecimalField(**MONEY)

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "number",
            "organisation",
            "account",
            "execution_date",
            "items_count",
            "total",
            "paid_total",
            "created_by",
            "approved_by",
            "state",
            "state_label",
        ]
        read_only_fields = fields


class PaymentBatchSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    items_count = serializers.IntegerField(read_only=True)
    total = serializers.DecimalField(**MONEY)
    paid_total = serializers.DecimalField(**MONEY)
    rejected_total = serializers.DecimalField(**MONEY)
    pending_total = serializers.DecimalField(**MONEY)
    account_number = serializers.CharField(source="account.number", read_only=True)
    items = BatchItemSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentBatch
        fields = [
            "id",
            "number",
            "organisation",
            "account",
            "account_number",
            "execution_date",
            "note",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "exported_by",
            "exported_at",
            "file_name",
            "file_sha256",
            "items_count",
            "total",
            "paid_total",
            "rejected_total",
            "pending_total",
            "items",
            "state",
            "state_label",
            "transitions",
        ]
        read_only_fields = fields


class BatchCreateSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    execution_date = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    orders = serializers.ListField(child=serializers.IntegerField(), required=False)


class BatchUpdateSerializer(serializers.Serializer):
    execution_date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ItemsAddSerializer(serializers.Serializer):
    orders = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class ResultSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=[BatchItem.Outcome.PAID, BatchItem.Outcome.REJECTED])
    paid_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ResultsSerializer(serializers.Serializer):
    results = ResultSerializer(many=True)


def _valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        raise InvalidInput(
            field_errors={k: [str(m) for m in _flat(v)] for k, v in serializer.errors.items()}
        )
    return serializer.validated_data


def _flat(errors):
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _flat(value)]
    return [errors]


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH)


class PaymentBatchViewSet(
    WorkflowViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Payment batches of the caller's finance organisations."""

    queryset = PaymentBatch.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # the schema generator asks without a user
            return PaymentBatch.objects.none()
        if self.action == "list":
            state = self.request.query_params.get("state", "")
            return selectors.batches_for(
                user=user, state=state if state in BatchState.values else ""
            )
        return selectors.batch_detail_for(user=user).prefetch_related(
            Prefetch("items", queryset=BatchItem.objects.select_related("order").order_by("pk"))
        )

    def get_serializer_class(self):
        return PaymentBatchListSerializer if self.action == "list" else PaymentBatchSerializer

    def _detail(self, batch: PaymentBatch, status_code=status.HTTP_200_OK) -> Response:
        batch = self.get_queryset().get(pk=batch.pk)
        return Response(
            PaymentBatchSerializer(batch, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(request=BatchCreateSerializer, responses={201: PaymentBatchSerializer})
    def create(self, request):
        data = _valid(BatchCreateSerializer, request.data)
        account = (
            BankAccount.objects.filter(
                pk=data["account"],
                organisation_id__in=organisation_ids_with(request.user, Role.FINANCE),
            )
            .select_related("organisation")
            .first()
        )
        if account is None:
            raise InvalidInput(
                field_errors={"account": [_("Choose an active bank account of your organisation.")]}
            )
        batch = services.batch_create(
            organisation=account.organisation,
            actor=request.user,
            account=account,
            execution_date=data["execution_date"],
            orders=data.get("orders", []),
            note=data.get("note", ""),
        )
        return self._detail(batch, status.HTTP_201_CREATED)

    @extend_schema(request=BatchUpdateSerializer, responses=PaymentBatchSerializer)
    def partial_update(self, request, pk=None):
        batch = self.get_object()
        data = _valid(BatchUpdateSerializer, request.data)
        services.batch_update(batch=batch, actor=request.user, **data)
        return self._detail(batch)

    @extend_schema(request=ItemsAddSerializer, responses=PaymentBatchSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        batch = self.get_object()
        data = _valid(ItemsAddSerializer, request.data)
        services.batch_items_add(batch=batch, actor=request.user, orders=data["orders"])
        return self._detail(batch)

    @extend_schema(request=None, responses=PaymentBatchSerializer, parameters=[ITEM_ID])
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>\d+)")
    def remove_item(self, request, pk=None, item_id=None):
        batch = self.get_object()
        item = batch.items.filter(pk=int(item_id)).first()
        if item is None:
            raise NotVisible()
        services.batch_item_remove(item=item, actor=request.user)
        return self._detail(batch)

    @extend_schema(request=ResultsSerializer, responses=PaymentBatchSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        batch = self.get_object()
        data = _valid(ResultsSerializer, request.data)
        services.batch_results_record(
            batch=batch,
            actor=request.user,
            results=[
                services.ItemResult(
                    item_id=r["item"],
                    outcome=r["outcome"],
                    paid_on=r.get("paid_on"),
                    reason=r.get("reason", ""),
                )
                for r in data["results"]
            ],
        )
        return self._detail(batch)

    def _download(self, format: str) -> HttpResponse:
        download = services.batch_download(
            batch=self.get_object(), actor=self.request.user, format=format
        )
        if download is None:
            raise NotVisible(_("The batch has not been exported yet."))
        return _attachment(download.content, download.content_type, download.name)

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The Elixir-O file exactly as exported (Windows-1250, CR LF)."""
        return self._download(Export.Format.ELIXIR)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        return self._download(Export.Format.CSV)

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        return self._download(Export.Format.XLSX)


def register(router) -> None:
    router.register("payment-batches", PaymentBatchViewSet, basename="payment-batch")
