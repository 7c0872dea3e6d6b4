"""Purchases and their offers."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import role_require
from attachments.services import attachment_download_record
from workflows.api import HistoryEntrySerializer
from workflows.engine import history_for, transition_apply
from workflows.errors import InvalidInput, NotVisible
from workflows.versioning import ETagMixin, if_match_version

from .. import selectors, services
from ..models import Offer, Purchase, Supplier
from .helpers import _organisation_for, _valid
from .serializers import (
    OfferRejectSerializer,
    PurchaseAnnexSerializer,
    PurchaseListQuerySerializer,
    PurchaseListSerializer,
    PurchaseOfferRecordSerializer,
    PurchaseOfferSerializer,
    PurchaseSerializer,
    PurchaseWriteSerializer,
)


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
        serializer = PurchaseWriteSerializer(
            data=request.data, partial=True, area_kept=purchase.area_id
        )
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
        attachment = selectors.attachment_for(
            user=request.user, offer_id=int(pk), pk=int(attachment_id)
        )
        if attachment is None:
            raise NotVisible()
        attachment_download_record(attachment=attachment, actor=request.user)
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
        response["Content-Disposition"] = "attachment"
        response["Cache-Control"] = "private, no-store"
        return response
