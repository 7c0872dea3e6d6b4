"""Every write of attachments: adding a file to an owner (through the attachments'
own pages and API while the owner is editable, or with a sealed submission such as a
supplier's offer), deleting it while the owner is editable, and recording a download.
Each leaves an audit entry on the owner (a deleted attachment has no row left to hold
one)."""

import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from workflows.audit import audit_record
from workflows.errors import InvalidInput, NotPermitted

from . import content, scanning
from .models import Attachment

logger = logging.getLogger(__name__)


def _require_editable(owner, actor: User) -> None:
    if not owner.attachments_editable_by(actor):
        raise NotPermitted(_("The attachments can no longer be changed."))


def _refuse(message: str, field: str):
    return InvalidInput(message, field_errors={field: [message]})


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def attachment_check(upload, *, field: str = "file") -> str:
    """The content type of an acceptable file, or a refusal that names the file and
    says why (too large, not a PDF/JPEG/PNG/ODT/DOCX by content, a virus, no scan), at
    ``field`` (the form's or serializer's field that took the file)."""
    name = upload.name
    limit = content.max_bytes()
    if upload.size > limit:
        raise _refuse(
            _("%(name)s is too large: at most %(mb)s MB.")
            % {"name": name, "mb": f"{limit / 1_000_000:g}".replace(".", ",")},
            field,
        )
    content_type = content.detect(upload)
    if content_type is None:
        raise _refuse(
            _("%(name)s is not a PDF, JPEG, PNG, ODT or DOCX file (judged by its content).")
            % {"name": name},
            field,
        )
    try:
        virus = scanning.scan(upload)
    except scanning.ScanUnavailable as error:
        logger.error("attachment scan unavailable: %s", error)
        raise _refuse(
            _("%(name)s could not be checked for viruses just now; try again later.")
            % {"name": name},
            field,
        ) from error
    if virus:
        raise _refuse(
            _("%(name)s was refused: the virus scanner found %(virus)s.")
            % {"name": name, "virus": virus},
            field,
        )
    return content_type


def _keep(*, owner, actor: User | None, upload, content_type: str, purpose: str = "") -> Attachment:
    """A new attachment of ``owner``, its file stored, its row saved."""
    attachment = Attachment(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        purpose=purpose or Attachment.Purpose.GENERAL,
        original_name=upload.name[-255:],
        content_type=content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, owner, actor: User, upload, purpose: str = "") -> Attachment:
    """Attach ``upload`` to ``owner`` (whose attachments ``actor`` may change)."""
    _require_editable(owner, actor)
    content_type = attachment_check(upload)
    attachment = _keep(
        owner=owner, actor=actor, upload=upload, content_type=content_type, purpose=purpose
    )
    audit_record(
        obj=owner,
        actor=actor,
        action="attachment_add",
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
            "purpose": attachment.purpose,
        },
    )
    return attachment


@transaction.atomic
def attachment_add_sealed(*, owner, actor: User | None, upload, content_type: str) -> Attachment:
    """Keep a file that comes with its owner's own sealed submission (a supplier's
    offer, sealed until the opening). The owner's service decides who may submit (a
    supplier may have no account: ``actor`` is then None) and has already checked
    ``upload`` with ``attachment_check``, before taking its locks, since a scan may
    take seconds; ``content_type`` is what that check returned. The audit entry keeps
    the file's SHA-256, which shows after the opening that the file is the one
    received, but not its name, which is sealed with the owner."""
    attachment = _keep(owner=owner, actor=actor, upload=upload, content_type=content_type)
    audit_record(
        obj=owner,
        actor=actor,
        action="attachment_add",
        after={"attachment": attachment.pk, "sha256": attachment.sha256, "sealed": True},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """Delete a file while its owner is editable; the file goes after the commit."""
    owner = attachment.owner
    _require_editable(owner, actor)
    audit_record(
        obj=owner,
        actor=actor,
        action="attachment_delete",
        before={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
        },
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def attachment_download_record(*, attachment: Attachment, actor: User) -> None:
    """Who downloaded which file, when (the audit trail of the attachment)."""
    audit_record(obj=attachment, actor=actor, action="attachment_download")
