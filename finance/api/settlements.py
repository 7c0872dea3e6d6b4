"""REST API of finance: the settlement register and the export log.

- ``/api/v1/settlements/``: the register's rows, paginated, with the page's filters
  as query parameters; ``/api/v1/settlements/csv/`` streams the same rows as CSV
  (logged like the page's CSV).
- ``/api/v1/exports/``: the exports of the user and of their finance organisations;
  POST queues an XLSX of the register (202), GET ``<id>/`` tells its progress and
  ``<id>/download/`` returns the file to its author.
"""

from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import HasRole
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from workflows.errors import InvalidInput, NotVisible

from ..forms.settlements import SettlementFilterForm
from ..models import Export
from ..selectors import FINANCE_ROLES
from ..selectors.exports import export_log
from ..services.exports import (
    export_file_name,
    exports_visible_to,
    filters_described,
    finance_organisation_ids,
    settlement_csv_stream,
    settlement_export_start,
)
from ..settlements import (
    COLUMNS,
    DATE,
    MONEY,
    STATUS,
    SettlementFilters,
    SettlementPages,
    process_labels,
    status_labels,
)

#: Settlements and exports are for finance users and organisation administrators.
IsFinanceUser = HasRole.of(*FINANCE_ROLES, message=_("Finance data is for the finance role."))


def _row_field(column) -> serializers.Field:
    help_text = str(column.header)
    if column.kind == MONEY:
        return serializers.DecimalField(
            max_digits=14, decimal_places=2, allow_null=True, help_text=help_text
        )
    if column.kind == DATE:
        return serializers.DateField(allow_null=True, help_text=help_text)
    if column.kind == STATUS:
        return serializers.CharField(help_text=_("process:state, e.g. grant:settled"))
    return serializers.CharField(allow_null=True, help_text=help_text)


class _RowLabels(serializers.Serializer):
    process_label = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    source_id = serializers.IntegerField(help_text=_("The agreement's or purchase's id."))

    def get_process_label(self, row) -> str:
        return self.context["process_labels"].get(row["process"], row["process"])

    def get_status_label(self, row) -> str:
        return self.context["status_labels"].get(row["status"], row["status"])


# One field per column of the register (``finance.settlements.COLUMNS``).
SettlementRowSerializer = type(
    "SettlementRowSerializer",
    (_RowLabels,),
    {
        **{column.key: _row_field(column) for column in COLUMNS},
        "__module__": __name__,
        "__doc__": "One row of the settlement register.",
    },
)

FILTER_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Agreement or order date from"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Agreement or order date to"),
    OpenApiParameter("organisation", OpenApiTypes.INT),
    OpenApiParameter("call", OpenApiTypes.INT, description="Grants of this call only"),
    OpenApiParameter("group", OpenApiTypes.INT, description="Purchases of this group only"),
    OpenApiParameter(
        "classification", OpenApiTypes.STR, description="921, 921-92105 or 921-92105-2360"
    ),
    OpenApiParameter("status", OpenApiTypes.STR, description="process:state, e.g. grant:settled"),
]


def _valid_form(data, organisation_ids) -> SettlementFilterForm:
    form = SettlementFilterForm(data, organisation_ids=organisation_ids)
    if not form.is_valid():
        raise InvalidInput(
            field_errors={field: [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return form


class SettlementViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsFinanceUser]
    serializer_class = SettlementRowSerializer

    def _filters(self) -> tuple[list[int], SettlementFilters]:
        organisation_ids = finance_organisation_ids(self.request.user)
        form = _valid_form(self.request.query_params, organisation_ids)
        return organisation_ids, form.filters()

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request):
        organisation_ids, filters = self._filters()
        rows = SettlementPages(organisation_ids=organisation_ids, filters=filters)
        page = self.paginate_queryset(rows)
        context = {"process_labels": process_labels(), "status_labels": status_labels()}
        return self.get_paginated_response(
            SettlementRowSerializer(page, many=True, context=context).data
        )

    @extend_schema(parameters=FILTER_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def csv(self, request):
        """The same rows as CSV for Polish spreadsheets (logged as an export)."""
        organisation_ids, filters = self._filters()
        export = settlement_export_start(
            user=request.user, filters=filters, format=Export.Format.CSV
        )
        response = StreamingHttpResponse(
            settlement_csv_stream(export=export, organisation_ids=organisation_ids),
            content_type=CSV_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(export)}"'
        return response


class ExportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    format = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="queued, running, done or failed")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    user = serializers.CharField(source="user.email", read_only=True)
    filters_described = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "kind",
            "kind_label",
            "format",
            "user",
            "organisation",
            "filters",
            "filters_described",
            "created_at",
            "status",
            "status_label",
            "rows_total",
            "rows_done",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_filters_described(self, export) -> list[str]:
        described = self.context.get("described") or filters_described([export])
        return [f"{label}: {value}" for label, value in described.get(export.pk, [])]

    def get_download(self, export) -> str | None:
        request = self.context.get("request")
        if (
            request is None
            or export.user_id != request.user.pk
            or export.status != Export.Status.DONE
            or not export.file
        ):
            return None
        return request.build_absolute_uri(reverse("export-download", args=[export.pk]))


class ExportCreateSerializer(serializers.Serializer):
    """An XLSX of the settlement register with these filters (all optional)."""

    format = serializers.ChoiceField(choices=["xlsx"], default="xlsx")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    organisation = serializers.IntegerField(required=False)
    call = serializers.IntegerField(required=False)
    group = serializers.IntegerField(required=False)
    classification = serializers.CharField(required=False)
    status = serializers.CharField(required=False)


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsFinanceUser]
    serializer_class = ExportSerializer

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator asks without a user
            return Export.objects.none()
        return exports_visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["described"] = getattr(self, "_described", None)
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(export_log(request.user))
        self._described = filters_described(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ExportCreateSerializer, responses={202: ExportSerializer})
    def create(self, request):
        data = ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = _valid_form(
            {k: v for k, v in request.data.items() if k != "format"},
            finance_organisation_ids(request.user),
        )
        export = settlement_export_start(
            user=request.user, filters=form.filters(), format=Export.Format.XLSX
        )
        export.refresh_from_db()  # the job may have run already (eager in the embedded mode)
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished file, for the export's author only."""
        export = self.get_object()
        if (
            export.user_id != request.user.pk
            or export.status != Export.Status.DONE
            or not export.file
        ):
            raise NotVisible()
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=export_file_name(export),
            content_type=XLSX_CONTENT_TYPE,
        )


def register(router) -> None:
    router.register("settlements", SettlementViewSet, basename="settlement")
    router.register("exports", ExportViewSet, basename="export")
