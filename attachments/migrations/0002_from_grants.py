"""The applications' files of the former grants.Attachment become attachments of their
applications (the same stored file, its SHA-256 computed once here)."""

import hashlib

from django.db import migrations


def copy_grants_attachments(apps, schema_editor):
    Old = apps.get_model("grants", "Attachment")
    New = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    owner_type, _created = ContentType.objects.get_or_create(
        app_label="grants", model="application"
    )
    for old in Old.objects.order_by("pk"):
        digest = hashlib.sha256()
        try:
            with old.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(65536), b""):
                    digest.update(chunk)
            sha256 = digest.hexdigest()
        except OSError:
            sha256 = ""
        New.objects.create(
            owner_type=owner_type,
            owner_id=old.application_id,
            purpose="general",
            file=old.file.name,
            original_name=old.original_name,
            content_type=old.content_type,
            size=old.size,
            sha256=sha256,
            uploaded_at=old.uploaded_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0001_initial"),
        ("grants", "0007_area"),
    ]

    operations = [migrations.RunPython(copy_grants_attachments, migrations.RunPython.noop)]
