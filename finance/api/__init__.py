"""REST API of finance: payment orders here; batches, the budget and settlements in
their own modules of this package."""

from django.db.models import Q
from rest_framework import serializers, viewsets

from accounts.models import Role
from accounts.permissions import organisation_ids_readable
from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin

from ..models import PaymentOrder
from . import batches, budget, settlements


class PaymentOrderSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PaymentOrder
        fields = [
            "id",
            "organisation",
            "kind",
            "beneficiary_name",
            "account_number",
            "title",
            "amount",
            "due_date",
            "paid_on",
            "state",
            "state_label",
            "transitions",
        ]


class PaymentOrderViewSet(WorkflowViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentOrderSerializer

    def get_queryset(self):
        user = self.request.user
        visible = organisation_ids_readable(user, Role.FINANCE, Role.OFFICIAL, Role.ORG_ADMIN)
        queryset = PaymentOrder.objects.filter(organisation_id__in=visible)
        state = self.request.query_params.get("state")
        if state:
            queryset = queryset.filter(Q(state=state))
        return queryset.order_by("due_date", "pk")


def register_api(router) -> None:
    router.register("payment-orders", PaymentOrderViewSet, basename="payment-order")
    batches.register(router)
    budget.register(router)
    settlements.register(router)
