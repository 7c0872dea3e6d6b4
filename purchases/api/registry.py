"""The rules and registries of an organisation: suppliers, same-kind groups, value bands."""

from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import role_require
from workflows.errors import InvalidInput

from .. import selectors, services
from ..models import SameKindGroup, Supplier, ValueBand
from .helpers import _organisation_for, _valid
from .serializers import PurchaseGroupSerializer, SupplierSerializer, ValueBandSerializer


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


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PurchaseGroupSerializer
    queryset = SameKindGroup.objects.none()

    def get_queryset(self):
        return selectors.groups_for(user=self.request.user)


class BandViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ValueBandSerializer
    queryset = ValueBand.objects.none()

    def get_queryset(self):
        return selectors.bands_for(user=self.request.user)
