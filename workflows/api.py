"""API conventions every process follows.

- A workflow object's representation carries ``state``, ``state_label`` and
  ``transitions`` (``WorkflowSerializerMixin``).
- ``POST <resource>/<id>/transitions/<name>/`` runs a transition and
  ``GET <resource>/<id>/history/`` returns the log (``WorkflowViewSetMixin``).
- ``exception_handler`` maps domain errors, Django's ``ValidationError`` and the
  database's constraint errors to 400/403/404/409 in the request's language.
- ``workflows.parsers.ObjectJSONParser``: a JSON body is an object; a list, a string,
  a number or ``null`` is a 400 before any view reads it.
"""

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .engine import history_for, transition_apply, transitions_for
from .errors import DomainError, InvalidInput
from .log import log_payload


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
        return log_payload(entry)


class WorkflowSerializerMixin(serializers.Serializer):
    """``transitions``: what the caller may do with the object now, given by the
    object's own URL (and a transition's answer); ``null`` in a list, where each row's
    guards and rules cost about as much as the rest of the row (#18)."""

    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    transitions = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(
            child=TransitionOptionSerializer(),
            allow_null=True,
            help_text=(
                "The transitions the caller may see from the current state, with whether "
                "each is allowed now; null in lists (read the object for them)."
            ),
        )
    )
    def get_transitions(self, obj) -> list[dict] | None:
        if isinstance(self.parent, serializers.ListSerializer):
            return None
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return TransitionOptionSerializer(transitions_for(obj, user), many=True).data


class WorkflowViewSetMixin:
    """Adds the transition and history endpoints to a viewset whose ``get_queryset``
    returns only what the user may see (so anything else is 404).

    A transition's answer reads the object again through ``get_queryset``; a viewset
    whose transitions leave on the engine's instance all that its serializer reads (its
    relations prefetched by the transition itself, no annotations) sets
    ``transition_answer_from_instance`` and answers from that instance (#18)."""

    transition_answer_from_instance = False

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
        data = request.data
        payload = data.dict() if hasattr(data, "dict") else dict(data)
        with transaction.atomic():
            obj, locked = self._transition_object()
            obj = transition_apply(
                obj=obj,
                name=name,
                actor=request.user,
                payload=payload,
                reuse_related=not locked,  # a locked row is the instance itself
                caller_locked=locked,
            )
        if not self.transition_answer_from_instance:
            obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data)

    def get_owned_queryset(self) -> models.QuerySet | None:
        """The rows the user holds as their own (a subset of ``get_queryset()``'s, with
        what a transition reads), looked in first by a transition: cheaper to find than
        everything the user may see (#18: a resident's submit need not work out which
        organisations' cases they read). ``None``: no such subset."""
        return None

    def _transition_object(self) -> tuple[models.Model, bool]:
        """``get_object`` for a transition, and whether the row is locked: found and
        locked in one query (#18: it was read, then read again under the lock) unless
        the viewset's query cannot take a lock (DISTINCT, GROUP BY, a union). The
        user's own rows are looked in first; what is not among them is looked for in
        all the user may see."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        owned = self.get_owned_queryset()
        if owned is not None:
            try:
                obj = owned.select_for_update(of=("self",)).get(**lookup)
            except (owned.model.DoesNotExist, TypeError, ValueError, DjangoValidationError):
                obj = None  # not the user's own, or a malformed key (the lookup below: 404)
            if obj is not None:
                self.check_object_permissions(self.request, obj)
                return obj, True
        queryset = self.filter_queryset(self.get_queryset())
        query = queryset.query
        lockable = not (query.distinct or query.group_by is not None or query.combinator)
        if lockable:
            queryset = queryset.select_for_update(of=("self",))
        obj = get_object_or_404(queryset, **lookup)
        self.check_object_permissions(self.request, obj)
        return obj, lockable

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        obj = self.get_object()
        return Response(HistoryEntrySerializer(history_for(obj), many=True).data)


def _field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """Django's ``ValidationError`` as ``{field: [messages]}``; errors that belong to no
    field go under ``non_field_errors`` as DRF's own do."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == NON_FIELD_ERRORS else name): [str(m) for m in errors]
            for name, errors in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def _constraint(name: str | None):
    """The model and the constraint (or unique field) the database named."""
    if not name:
        return None, None
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
        for field in model._meta.local_fields:
            if field.unique and name.startswith(f"{model._meta.db_table}_{field.column}_"):
                return model, field
    return None, None


def _constraint_errors(exc: IntegrityError) -> dict[str, list[str]]:
    """A constraint the database refused, in the words full_clean would have used.
    Services validate first; this answers the race where two requests pass validation
    at once and the database keeps the second out."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    model, constraint = _constraint(name)
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        message = model().unique_error_message(model, tuple(constraint.fields)).messages[0]
        return {constraint.fields[-1]: [message]}
    if isinstance(constraint, models.Field):
        message = model().unique_error_message(model, (constraint.name,)).messages[0]
        return {constraint.name: [message]}
    if isinstance(constraint, models.BaseConstraint):
        return {"non_field_errors": [str(constraint.get_violation_error_message())]}
    return {"non_field_errors": [_("This conflicts with data already saved.")]}


def _invalid(errors: dict[str, list[str]]) -> Response:
    set_rollback()
    return Response(
        {"detail": str(InvalidInput.default_message), "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def not_found(request, exception=None):
    """The project's 404 page: an API address that matches no route answers JSON, as
    every other API error does; pages keep Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


def exception_handler(exc, context):
    """Map domain errors to HTTP answers; 404 hides whether the object exists. Model
    validation and the database's constraints are the user's input errors (400), never
    a server error."""
    if isinstance(exc, DjangoValidationError):
        return _invalid(_field_errors(exc))
    if isinstance(exc, IntegrityError):
        return _invalid(_constraint_errors(exc))
    if isinstance(exc, DataError):  # a number or a text too large for its column
        return _invalid({"non_field_errors": [_("A value is out of the allowed range.")]})
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
        response.data = {"detail": str(InvalidInput.default_message), "errors": response.data}
    return response
