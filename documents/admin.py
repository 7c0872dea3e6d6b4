from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

from .models import Document, TemplateOverride


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
