"""The organisation administrator's API: the organisation and its members.

``/api/v1/organisations/`` lists the organisations the user administers; under each,
``members/`` lists and invites, ``members/<id>/roles/`` gives a role and
``members/<id>/roles/<role>/`` takes it away, ``members/<id>/deactivate/`` deactivates.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import services
from .models import Organisation, Role
from .permissions import HasRole, organisation_ids_with
from .selectors import members_of


class OrganisationSerializer(serializers.ModelSerializer):
    representatives = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "street",
            "postal_code",
            "city",
            "nip",
            "regon",
            "representatives",
        ]

    def get_representatives(self, obj) -> list[dict]:
        return [
            {"full_name": r.full_name, "function": r.function} for r in obj.representatives.all()
        ]


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_active = serializers.BooleanField()
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        return [m.role for m in user.roles_here]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


USER_PK = OpenApiParameter("user_pk", int, OpenApiParameter.PATH)


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Organisations the user administers (others are 404; no administrator role: 403)."""

    serializer_class = OrganisationSerializer
    permission_classes = [IsAuthenticated, HasRole.of(Role.ORG_ADMIN)]

    def get_queryset(self):
        return Organisation.objects.filter(
            pk__in=organisation_ids_with(self.request.user, Role.ORG_ADMIN)
        ).prefetch_related("representatives")

    def _member(self, organisation, user_pk):
        return get_object_or_404(members_of(organisation), pk=user_pk)

    @extend_schema(
        request=InviteSerializer,
        responses={200: MemberSerializer(many=True), 201: MemberSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "GET":
            return Response(MemberSerializer(members_of(organisation), many=True).data)
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.member_invite(
            organisation=organisation, actor=request.user, **data.validated_data
        )
        return Response(
            MemberSerializer(self._member(organisation, user.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=RoleSerializer, responses=MemberSerializer, parameters=[USER_PK])
    @action(detail=True, methods=["post"], url_path=r"members/(?P<user_pk>[0-9]+)/roles")
    def role_grant(self, request, pk=None, user_pk=None):
        organisation = self.get_object()
        person = self._member(organisation, user_pk)
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.member_role_grant(
            organisation=organisation,
            user=person,
            role=data.validated_data["role"],
            actor=request.user,
        )
        return Response(MemberSerializer(self._member(organisation, user_pk)).data)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[USER_PK, OpenApiParameter("role", str, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<user_pk>[0-9]+)/roles/(?P<role>[a-z_]+)",
    )
    def role_revoke(self, request, pk=None, user_pk=None, role=None):
        organisation = self.get_object()
        person = self._member(organisation, user_pk)
        services.member_role_revoke(
            organisation=organisation, user=person, role=role, actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=MemberSerializer, parameters=[USER_PK])
    @action(detail=True, methods=["post"], url_path=r"members/(?P<user_pk>[0-9]+)/deactivate")
    def deactivate(self, request, pk=None, user_pk=None):
        organisation = self.get_object()
        person = self._member(organisation, user_pk)
        services.user_deactivate(organisation=organisation, user=person, actor=request.user)
        return Response(MemberSerializer(self._member(organisation, user_pk)).data)


def register_api(router) -> None:
    router.register("organisations", OrganisationViewSet, basename="organisation")
