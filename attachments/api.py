"""API of attachments (/api/v1/attachments/): list an owner's files, upload one, get
one's metadata, download it, delete it while the owner is editable. The owner is named
by its model's label and id (``owner=grants.application&owner_id=5``)."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from workflows.errors import InvalidInput, NotVisible
from workflows.parsers import ObjectJSONParser

from . import selectors, services
from .models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "owner",
            "owner_id",
            "purpose",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download_url",
        ]

    def get_owner(self, attachment) -> str:
        return f"{attachment.owner_type.app_label}.{attachment.owner_type.model}"

    def get_download_url(self, attachment) -> str:
        return f"/api/v1/attachments/{attachment.pk}/download/"


class AttachmentInputSerializer(serializers.Serializer):
    owner = serializers.CharField(help_text="grants.application, grants.report")
    owner_id = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=Attachment.Purpose.choices, required=False)
    file = serializers.FileField()


OWNER_PARAMETERS = [
    OpenApiParameter(
        "owner",
        str,
        description="grants.application, grants.report; purchases.offer (its files, once "
        "the offers are opened; they come with the offer and are not changed here)",
    ),
    OpenApiParameter("owner_id", int),
]


class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AttachmentSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]
    pagination_class = None
    lookup_value_regex = r"[0-9]+"

    def _owner(self, label, pk):
        owner = selectors.owner_for(self.request.user, label or "", pk)
        if owner is None:
            raise NotVisible()
        return owner

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            owner_id = params.get("owner_id", "")
            if not owner_id.isdigit():
                raise InvalidInput(field_errors={"owner_id": ["owner_id"]})
            owner = self._owner(params.get("owner"), int(owner_id))
            return selectors.attachments_of(owner).select_related("owner_type")
        return Attachment.objects.select_related("owner_type")

    def get_object(self):
        attachment = selectors.attachment_for(self.request.user, self.kwargs["pk"])
        if attachment is None:
            raise NotVisible()
        return attachment

    @extend_schema(parameters=OWNER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AttachmentInputSerializer, responses={201: AttachmentSerializer})
    def create(self, request):
        serializer = AttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachment = services.attachment_add(
            owner=self._owner(data["owner"], data["owner_id"]),
            actor=request.user,
            upload=data["file"],
            purpose=data.get("purpose", ""),
        )
        return Response(AttachmentSerializer(attachment).data, status=201)

    def perform_destroy(self, instance):
        services.attachment_delete(attachment=instance, actor=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        services.attachment_download_record(attachment=attachment, actor=request.user)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


def register_api(router) -> None:
    router.register("attachments", AttachmentViewSet, basename="attachment")
