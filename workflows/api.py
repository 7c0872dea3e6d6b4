"""API conventions every process follows.

- A workflow object's representation carries ``state``, ``state_label`` and
  ``transitions`` (``WorkflowSerializerMixin``).
- ``POST <resource>/<id>/transitions/<name>/`` runs a transition and
  ``GET <resource>/<id>/history/`` returns the log (``WorkflowViewSetMixin``).
- ``exception_handler`` maps domain errors to 400/403/404/409 in the request's language.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .engine import history_for, transition_apply, transitions_for
from .errors import DomainError


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    target = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    transition = serializers.CharField()
    source = serializers.CharField(source="source_state")
    target = serializers.CharField(source="state")
    actor = serializers.SerializerMethodField()
    timestamp = serializers.DateTimeField()
    comment = serializers.CharField(source="description", allow_null=True)
    payload = serializers.SerializerMethodField()

    def get_actor(self, entry) -> dict | None:
        if entry.by is None:
            return None
        return {"id": entry.by.pk, "name": str(entry.by)}

    def get_payload(self, entry) -> dict:
        payload = getattr(entry, "payload", None)
        return payload.data if payload is not None else {}


class WorkflowSerializerMixin(serializers.Serializer):
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    transitions = serializers.SerializerMethodField()

    def get_transitions(self, obj) -> list[dict]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return TransitionOptionSerializer(transitions_for(obj, user), many=True).data


class WorkflowViewSetMixin:
    """Adds the transition and history endpoints to a viewset whose ``get_queryset``
    returns only what the user may see (so anything else is 404)."""

    @extend_schema(
        request=inline_serializer(
            "TransitionRequest",
            {"comment": serializers.CharField(required=False, allow_blank=True)},
        ),
        parameters=[OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: None, 400: None, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        obj = self.get_object()
        data = request.data
        payload = data.dict() if hasattr(data, "dict") else dict(data)
        obj = transition_apply(obj=obj, name=name, actor=request.user, payload=payload)
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        obj = self.get_object()
        return Response(HistoryEntrySerializer(history_for(obj), many=True).data)


def exception_handler(exc, context):
    """Map domain errors to HTTP answers; 404 hides whether the object exists."""
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message)}
        if exc.field_errors:
            body["errors"] = exc.field_errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and response.status_code == status.HTTP_400_BAD_REQUEST
        and isinstance(response.data, dict)
        and "detail" not in response.data
    ):
        response.data = {"detail": str(DomainError.default_message), "errors": response.data}
    return response
