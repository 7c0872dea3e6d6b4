from rest_framework import serializers, viewsets

from workflows.api import WorkflowSerializerMixin, WorkflowViewSetMixin

from .models import Ticket


class TicketSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = ["id", "title", "priority", "state", "state_label", "transitions"]


class TicketViewSet(WorkflowViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TicketSerializer

    def get_queryset(self):
        user = self.request.user
        from django.db.models import Q

        return Ticket.objects.filter(
            Q(requester=user) | Q(organisation_id__in=user.organisation_ids())
        ).order_by("pk")
