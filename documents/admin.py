from django.contrib import admin

from .models import Document, TemplateOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows made only by their services, shown as they are, never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """The archive as it is: documents are created only by rendering, never edited."""

    list_display = [
        "title",
        "number",
        "kind",
        "version",
        "content_type",
        "object_id",
        "created_at",
        "retain_until",
    ]
    list_filter = ["kind", "content_type"]
    search_fields = ["number", "title", "sha256"]
    date_hierarchy = "created_at"


@admin.register(TemplateOverride)
class TemplateOverrideAdmin(ReadOnlyAdmin):
    """Versions of organisations' wording, as saved on their administrators' pages."""

    list_display = ["organisation", "template_name", "version", "is_default", "created_at"]
    list_filter = ["template_name", "is_default"]
