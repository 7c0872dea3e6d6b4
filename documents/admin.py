from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
