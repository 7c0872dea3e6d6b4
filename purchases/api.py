"""REST API of this process (thin DRF views over selectors and services).

Offers are sealed here too: until the purchase's deadline their price, answers, score
and attachments are left out of every representation (``sealed: true``).
"""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import ONLY_WHO, organisation_ids_with, role_require, roles_label
from documents.selectors import documents_of
from finance.models import BudgetClassification
from workflows.api import HistoryEntrySerializer, WorkflowSerializerMixin
from workflows.engine import history_for, transition_apply
from workflows.errors import InvalidInput, NotPermitted, NotVisible
from workflows.versioning import ETagMixin, if_match_version

from . import selectors, services
from .models import Criterion, Offer, Purchase, SameKindGroup, Supplier, ValueBand
from .workflow import PurchaseState


def _organisation_for(user, requested_id, role: str) -> int:
    """The organisation a new row goes to: the one asked for, where ``user`` holds
    ``role``; by default the only one."""
    allowed = organisation_ids_with(user, role)
    if not allowed:
        raise NotPermitted(ONLY_WHO % {"who": roles_label(role)})
    if requested_id is None and len(allowed) == 1:
        return allowed[0]
    try:
        requested = int(requested_id)
    except (TypeError, ValueError):
        raise InvalidInput(
            field_errors={"organisation": [_("Choose one of your organisations.")]}
        ) from None
    if requested not in allowed:
        raise NotPermitted()
    return requested


class PurchaseCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "is_price", "description"]


class PurchaseListSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)
    group = serializers.CharField(source="group.name")
    procedure = serializers.CharField(source="band.procedure", default=None, allow_null=True)
    supplier = serializers.CharField(
        source="awarded_offer.supplier.name", default=None, allow_null=True
    )

    class Meta:
        model = Purchase
        fields = [
            "id",
            "number",
            "organisation",
            "title",
            "requesting_unit",
            "group",
            "cpv_code",
            "year",
            "estimated_net",
            "estimated_gross",
            "aggregated_net",
            "procedure",
            "supplier",
            "awarded_net",
            "awarded_gross",
            "state",
            "state_label",
        ]


class PurchaseSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    criteria = PurchaseCriterionSerializer(many=True, read_only=True)
    # Empty until the award: the schema's enum must include "" (DRF leaves it out of a
    # read-only choice field).
    contract_form = serializers.ChoiceField(
        choices=[("", "—"), *Purchase.ContractForm.choices], read_only=True
    )
    procedure = serializers.CharField(source="band.procedure", default=None, allow_null=True)
    supplier = serializers.CharField(
        source="awarded_offer.supplier.name", default=None, allow_null=True
    )
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Purchase
        fields = [
            "id",
            "number",
            "version",
            "organisation",
            "requesting_unit",
            "title",
            "expected_result",
            "group",
            "cpv_code",
            "estimated_net",
            "vat_rate",
            "estimated_gross",
            "estimation_method",
            "estimated_on",
            "estimated_by",
            "classification",
            "legal_basis",
            "planned_start",
            "planned_end",
            "year",
            "criteria",
            "band",
            "procedure",
            "aggregated_net",
            "aggregation",
            "threshold_refusal",
            "threshold_override",
            "funds_confirmed_at",
            "approved_at",
            "quote_deadline",
            "published_at",
            "awarded_offer",
            "supplier",
            "awarded_net",
            "awarded_gross",
            "annexes_net",
            "annexes_gross",
            "contract_form",
            "signed_on",
            "delivered_on",
            "accepted_on",
            "accepted_scope",
            "acceptance_partial",
            "acceptance_defects",
            "accepted_net",
            "paid_on",
            "cancel_reason",
            "documents",
            "state",
            "state_label",
            "transitions",
        ]
        read_only_fields = fields

    def get_documents(self, purchase) -> list[dict]:
        return [
            {
                "id": d.pk,
                "kind": d.kind,
                "version": d.version,
                "title": d.title,
                "number": d.number,
                "url": f"/documents/{d.pk}/download/",
            }
            for d in documents_of(purchase)
        ]


class PurchaseWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False)
    requesting_unit = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=255)
    expected_result = serializers.CharField()
    group = serializers.IntegerField()
    cpv_code = serializers.CharField(max_length=10)
    estimated_net = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat_rate = serializers.ChoiceField(choices=Purchase.VatRate.choices)
    estimation_method = serializers.CharField()
    estimated_on = serializers.DateField()
    estimated_by = serializers.CharField(max_length=200)
    classification = serializers.IntegerField(required=False, allow_null=True)
    legal_basis = serializers.ChoiceField(choices=Purchase.LegalBasis.choices)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    criteria = PurchaseCriterionSerializer(many=True, required=False)

    def resolved(self, organisation_id: int) -> dict:
        data = dict(self.validated_data)
        data.pop("organisation", None)
        if "group" in data:
            group = SameKindGroup.objects.filter(pk=data["group"], organisation_id=organisation_id)
            data["group"] = group.first()
            if data["group"] is None:
                raise InvalidInput(
                    field_errors={"group": [_("Choose a group of your organisation.")]}
                )
        if data.get("classification"):
            data["classification"] = BudgetClassification.objects.filter(
                pk=data["classification"]
            ).first()
        if "criteria" in data:
            data["criteria"] = [dict(c) for c in data["criteria"]]
        return data


class PurchaseOfferSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    sealed = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "purchase",
            "supplier",
            "supplier_name",
            "channel",
            "submitted_at",
            "sealed",
            "price_net",
            "price_gross",
            "answers",
            "score",
            "rejected",
            "rejection_reason",
            "attachments",
        ]

    SEALED = ("price_net", "price_gross", "answers", "score")

    def get_sealed(self, offer) -> bool:
        return not selectors.offer_is_open(offer)

    def get_attachments(self, offer) -> list[dict]:
        return [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in offer.attachments.all()
        ]

    def to_representation(self, offer):
        data = super().to_representation(offer)
        if data["sealed"]:
            for name in self.SEALED:
                data[name] = None
            data["attachments"] = []
        return data


class PurchaseOfferRecordSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=[Offer.Channel.PAPER, Offer.Channel.EMAIL])
    price_net = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_gross = serializers.DecimalField(max_digits=12, decimal_places=2)
    submitted_at = serializers.DateTimeField(required=False)
    answers = serializers.DictField(child=serializers.CharField(), required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class PurchaseAnnexSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=100)
    signed_on = serializers.DateField()
    net_change = serializers.DecimalField(max_digits=12, decimal_places=2)
    gross_change = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField()


class OfferRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()}
        )
    return serializer


class PurchaseListQuerySerializer(serializers.Serializer):
    """The list's filters (``?year=2026&state=draft&organisation=<id>``)."""

    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)
    state = serializers.ChoiceField(choices=PurchaseState.choices, required=False)
    organisation = serializers.IntegerField(required=False, min_value=1)


class PurchaseViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Purchases of the caller's organisations. Create and change drafts (officials);
    every state change is ``POST transitions/<name>/``."""

    queryset = Purchase.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self):
        if self.action == "list":
            query = PurchaseListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            filters = {
                name: value
                for name, value in query.validated_data.items()
                if name != "organisation"
            }
            if "organisation" in query.validated_data:
                filters["organisation_id"] = query.validated_data["organisation"]
            return (
                selectors.purchases_for(user=self.request.user)
                .filter(**filters)
                .order_by("-year", "-pk")
            )
        return selectors.purchase_detail_for(user=self.request.user).order_by("-pk")

    @extend_schema(parameters=[PurchaseListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        return PurchaseListSerializer if self.action == "list" else PurchaseSerializer

    @extend_schema(request=PurchaseWriteSerializer, responses=PurchaseSerializer)
    def create(self, request):
        organisation_id = _organisation_for(
            request.user, request.data.get("organisation"), Role.OFFICIAL
        )
        serializer = _valid(PurchaseWriteSerializer, request.data)
        from accounts.models import Organisation

        purchase = services.purchase_create(
            organisation=Organisation.objects.get(pk=organisation_id),
            actor=request.user,
            **serializer.resolved(organisation_id),
        )
        return Response(self._detail(purchase), status=status.HTTP_201_CREATED)

    @extend_schema(request=PurchaseWriteSerializer, responses=PurchaseSerializer)
    def partial_update(self, request, pk=None):
        purchase = self.get_object()
        role_require(request.user, purchase.organisation_id, Role.OFFICIAL)
        serializer = PurchaseWriteSerializer(data=request.data, partial=True)
        if not serializer.is_valid():
            raise InvalidInput(
                field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()}
            )
        services.purchase_update(
            purchase=purchase,
            actor=request.user,
            expected_version=if_match_version(request),
            **serializer.resolved(purchase.organisation_id),
        )
        return Response(self._detail(purchase))

    def _detail(self, purchase):
        purchase = selectors.purchase_detail_for(user=self.request.user).get(pk=purchase.pk)
        return PurchaseSerializer(purchase, context=self.get_serializer_context()).data

    @extend_schema(request=None, responses={200: PurchaseSerializer})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        purchase = self.get_object()
        data = request.data
        if hasattr(data, "getlist"):
            payload = {k: data.getlist(k) if k == "suppliers" else data.get(k) for k in data}
        else:
            payload = dict(data)
        transition_apply(obj=purchase, name=name, actor=request.user, payload=payload)
        return Response(self._detail(purchase))

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(HistoryEntrySerializer(history_for(self.get_object()), many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=PurchaseOfferSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=PurchaseOfferRecordSerializer,
        responses={201: PurchaseOfferSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def offers(self, request, pk=None):
        purchase = self.get_object()
        if request.method == "POST":
            role_require(request.user, purchase.organisation_id, Role.OFFICIAL)
            data = _valid(PurchaseOfferRecordSerializer, request.data).validated_data
            supplier = Supplier.objects.filter(
                pk=data["supplier"], organisation_id=purchase.organisation_id
            ).first()
            if supplier is None:
                raise InvalidInput(
                    field_errors={"supplier": [_("Choose a supplier from your registry.")]}
                )
            offer = services.offer_record(
                purchase=purchase,
                supplier=supplier,
                actor=request.user,
                channel=data["channel"],
                price_net=data["price_net"],
                price_gross=data["price_gross"],
                submitted_at=data.get("submitted_at"),
                answers=data.get("answers", {}),
                attachments=request.FILES.getlist("attachments"),
            )
            offer = selectors.offers_for(user=request.user).get(pk=offer.pk)
            return Response(PurchaseOfferSerializer(offer).data, status=status.HTTP_201_CREATED)
        offers = selectors.offers_for(user=request.user).filter(purchase=purchase)
        return Response(PurchaseOfferSerializer(offers, many=True).data)

    @extend_schema(request=PurchaseAnnexSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def annexes(self, request, pk=None):
        purchase = self.get_object()
        role_require(request.user, purchase.organisation_id, Role.OFFICIAL)
        data = _valid(PurchaseAnnexSerializer, request.data).validated_data
        services.annex_add(purchase=purchase, actor=request.user, **data)
        return Response(self._detail(purchase), status=status.HTTP_201_CREATED)


class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    """Offers of the caller's organisations, sealed until their purchase's deadline."""

    serializer_class = PurchaseOfferSerializer
    queryset = Offer.objects.none()

    def get_queryset(self):
        return selectors.offers_for(user=self.request.user)

    @extend_schema(request=OfferRejectSerializer, responses=PurchaseOfferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        offer = self.get_object()
        role_require(request.user, offer.purchase.organisation_id, Role.OFFICIAL)
        data = _valid(OfferRejectSerializer, request.data).validated_data
        services.offer_reject(offer=offer, actor=request.user, reason=data["reason"])
        return Response(PurchaseOfferSerializer(self.get_queryset().get(pk=offer.pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        attachment = selectors.attachment_for(user=request.user, pk=int(attachment_id))
        if attachment is None or attachment.offer_id != int(pk):
            raise NotVisible()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = "attachment"
        response["Cache-Control"] = "private, no-store"
        return response


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            "organisation",
            "kind",
            "name",
            "nip",
            "regon",
            "krs",
            "bank_account",
            "address",
            "email",
            "phone",
            "contact_person",
            "reserved_art94",
            "reserved_art361",
        ]
        read_only_fields = ["organisation"]
        # Uniqueness and identifiers are checked by the service, with Polish messages.
        validators = []
        extra_kwargs = {
            "nip": {"validators": []},
            "regon": {"validators": []},
            "krs": {"validators": []},
            "bank_account": {"validators": [], "max_length": 40},
        }


class SupplierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The supplier registry of the caller's organisations (officials write)."""

    serializer_class = SupplierSerializer
    queryset = Supplier.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.suppliers_for(user=self.request.user)

    def create(self, request):
        organisation_id = _organisation_for(
            request.user, request.data.get("organisation"), Role.OFFICIAL
        )
        serializer = _valid(SupplierSerializer, request.data)
        from accounts.models import Organisation

        supplier = services.supplier_create(
            organisation=Organisation.objects.get(pk=organisation_id), **serializer.validated_data
        )
        return Response(SupplierSerializer(supplier).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        supplier = self.get_object()
        role_require(request.user, supplier.organisation_id, Role.OFFICIAL)
        serializer = SupplierSerializer(supplier, data=request.data, partial=True)
        if not serializer.is_valid():
            raise InvalidInput(
                field_errors={k: [str(m) for m in v] for k, v in serializer.errors.items()}
            )
        services.supplier_update(supplier=supplier, actor=request.user, **serializer.validated_data)
        return Response(SupplierSerializer(supplier).data)


class PurchaseGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SameKindGroup
        fields = ["id", "organisation", "name", "cpv_codes"]


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PurchaseGroupSerializer
    queryset = SameKindGroup.objects.none()

    def get_queryset(self):
        return selectors.groups_for(user=self.request.user)


class ValueBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValueBand
        fields = [
            "id",
            "organisation",
            "valid_from",
            "valid_to",
            "lower_net",
            "upper_net",
            "procedure",
            "suppliers_to_ask",
            "min_offers",
            "publication_days",
            "required_documents",
            "regulation",
        ]


class BandViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ValueBandSerializer
    queryset = ValueBand.objects.none()

    def get_queryset(self):
        return selectors.bands_for(user=self.request.user)


def register_api(router) -> None:
    """Register this app's viewsets on the project's ``/api/v1/`` router."""
    router.register("purchases", PurchaseViewSet, basename="purchase")
    router.register("purchase-offers", OfferViewSet, basename="purchase-offer")
    router.register("suppliers", SupplierViewSet, basename="supplier")
    router.register("purchase-groups", GroupViewSet, basename="purchase-group")
    router.register("value-bands", BandViewSet, basename="value-band")
