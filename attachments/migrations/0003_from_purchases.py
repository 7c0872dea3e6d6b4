"""The offers' files of the former purchases.OfferAttachment become attachments of
their offers: the same stored file, its SHA-256 computed once here, received when the
offer was, from whoever recorded the offer (none when the supplier sent it). A stored
name longer than an attachment's (200 characters; the old path held the supplier's own
file name) is copied to an attachment's path; the old file is left where it was (the
migration may still be rolled back)."""

import hashlib
import uuid

from django.db import migrations

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _sha256(file) -> str:
    digest = hashlib.sha256()
    try:
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _short_name(old) -> str:
    name = old.file.name
    if len(name) <= 200:
        return name
    extension = EXTENSIONS.get(old.content_type, "bin")
    target = f"attachments/purchases-offer/{old.offer_id}/{uuid.uuid4().hex}.{extension}"
    try:
        with old.file.open("rb") as handle:
            return old.file.storage.save(target, handle)
    except OSError:  # the file is gone already: the row keeps a name that fits
        return name[:200]


def copy_offer_attachments(apps, schema_editor):
    Old = apps.get_model("purchases", "OfferAttachment")
    New = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Old.objects.exists():
        return
    owner_type, _created = ContentType.objects.get_or_create(app_label="purchases", model="offer")
    for old in Old.objects.select_related("offer").order_by("pk"):
        new = New.objects.create(
            owner_type=owner_type,
            owner_id=old.offer_id,
            purpose="general",
            file=_short_name(old),
            original_name=old.name,
            content_type=old.content_type,
            size=old.size,
            sha256=_sha256(old.file),
            uploaded_by_id=old.offer.recorded_by_id,
        )
        # uploaded_at is set on creation (auto_now_add): the offer's time, afterwards.
        New.objects.filter(pk=new.pk).update(uploaded_at=old.offer.submitted_at)


def copy_back(apps, schema_editor):
    Old = apps.get_model("purchases", "OfferAttachment")
    New = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    owner_type = ContentType.objects.filter(app_label="purchases", model="offer").first()
    if owner_type is None:
        return
    moved = New.objects.filter(owner_type=owner_type).order_by("pk")
    for new in moved:
        Old.objects.create(
            offer_id=new.owner_id,
            file=new.file.name,
            name=new.original_name,
            content_type=new.content_type[:50],
            size=new.size,
        )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0002_from_grants"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("purchases", "0008_purchase_settlement_register_index"),
    ]

    operations = [migrations.RunPython(copy_offer_attachments, copy_back)]
