"""Writing documents into the archive.

``document_render`` is the one function that creates ``Document`` rows and their
files. It renders first (seconds, outside any transaction), then, holding a lock on
the owner's series of that kind, either finds the rendering of identical data and
returns it, or writes the file and the row of the next version together.

The file of version N of a kind of an owner always has the same name, so a file left
behind by an attempt that died between writing the file and committing the row (a
killed worker, a lost connection at commit) is overwritten by the next attempt; a
failure the process sees removes the file itself. Either way no row ever points at a
missing file and no stray file outlives the next retry.
"""

import hashlib
import json
import zlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_slug
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from workflows.audit import audit_record
from workflows.errors import InvalidInput

from .models import Document
from .rendering import (
    DEFAULT_LANGUAGE,
    document_template,
    html_to_pdf,
    organisation_header,
    render_html,
)
from .retention import retain_until
from .snapshots import context_freeze

LOCK_NAMESPACE = 0x646F63  # "doc": the first key of this app's advisory locks
TITLE = "document_title"
NUMBER = "document_number"
SUBJECT = "document_subject"


def organisation_of(owner: models.Model) -> Organisation | None:
    """The organisation whose header a document of ``owner`` carries: the owner itself
    when it is an organisation, else the organisation of a workflow object."""
    if isinstance(owner, Organisation):
        return owner
    organisation_id = getattr(owner, "workflow_organisation_id", None)
    if organisation_id is None:
        return None
    return Organisation.objects.get(pk=organisation_id)


def context_hash(
    *, template_name: str, context: dict, organisation: Organisation | None, language: str
) -> str:
    """SHA-256 of everything a rendering depends on except the template's wording:
    the data, the template chosen, the organisation's header and the language."""
    payload = {
        "template": template_name,
        "language": language,
        "organisation": organisation_header(organisation),
        "context": context,
    }
    canonical = json.dumps(
        payload, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def document_file_name(*, content_type: ContentType, object_id: int, kind: str, version: int):
    return (
        f"documents/{content_type.app_label}/{content_type.model}/{object_id}/{kind}-v{version}.pdf"
    )


def _lock_series(content_type: ContentType, object_id: int, kind: str, owner) -> None:
    """Serialise writers of one owner's documents of one kind until the transaction
    ends: a PostgreSQL advisory lock (it does not block the owner's own row, so
    transitions go on), or the owner's row elsewhere."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"documents:{content_type.pk}:{object_id}:{kind}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, key - 2**31])
    else:
        list(type(owner)._default_manager.select_for_update().filter(pk=owner.pk).values("pk"))


def document_render(
    *,
    owner: models.Model,
    kind: str,
    template_name: str,
    context: dict,
    actor=None,
    organisation: Organisation | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Document:
    """Render document ``kind`` of ``owner`` from ``template_name`` and ``context`` and
    store it, unless identical data was rendered before: then return that document.

    ``context`` holds plain values (they are hashed as JSON) and three keys that the
    base template shows: ``document_title`` (required), ``document_number`` (default
    "<kind>/<owner id>") and ``document_subject``. ``organisation`` defaults to the
    owner's. Call it outside a transaction (the Celery task does): inside one, a
    rollback after it returns leaves a file that the next rendering of that version
    overwrites.
    """
    validate_slug(kind)  # it becomes part of the file name
    if TITLE not in context:
        raise ValueError("The context of a document needs a document_title.")
    context = dict(context)
    title = str(context.pop(TITLE))
    number = str(context.pop(NUMBER, "") or f"{kind}/{owner.pk}")
    subject = str(context.pop(SUBJECT, "") or "")
    if organisation is None:
        organisation = organisation_of(owner)
    content_type = ContentType.objects.get_for_model(owner)
    template = document_template(template_name, organisation)
    resolved_name = template.origin.template_name
    digest = context_hash(
        template_name=resolved_name,
        context={**context, TITLE: title, NUMBER: number, SUBJECT: subject},
        organisation=organisation,
        language=language,
    )
    series = Document.objects.filter(content_type=content_type, object_id=owner.pk, kind=kind)
    existing = series.filter(context_hash=digest).first()
    if existing is not None:
        return existing

    html = render_html(
        template=template,
        context=context,
        organisation=organisation,
        title=title,
        subject=subject,
        number=number,
        language=language,
    )
    pdf = html_to_pdf(html)
    sha256 = hashlib.sha256(pdf).hexdigest()

    written = None
    try:
        with transaction.atomic():
            _lock_series(content_type, owner.pk, kind, owner)
            existing = series.filter(context_hash=digest).first()
            if existing is not None:
                return existing
            version = (series.aggregate(last=Max("version"))["last"] or 0) + 1
            name = document_file_name(
                content_type=content_type, object_id=owner.pk, kind=kind, version=version
            )
            # Under the lock no row names this file: anything there is left over
            # from an attempt that died before its commit.
            if default_storage.exists(name):
                default_storage.delete(name)
            written = default_storage.save(name, ContentFile(pdf))
            return Document.objects.create(
                content_type=content_type,
                object_id=owner.pk,
                kind=kind,
                number=number,
                title=title,
                version=version,
                file=written,
                size=len(pdf),
                sha256=sha256,
                template_name=resolved_name,
                context_hash=digest,
                created_by=actor,
                retain_until=retain_until(kind=kind),
            )
    except BaseException:
        if written is not None:
            default_storage.delete(written)
        raise


def document_render_later(
    *,
    owner: models.Model,
    kind: str,
    template_name: str,
    context_builder: str,
    actor_id: int | None = None,
) -> None:
    """Ask for document ``kind`` of ``owner`` with the data of this moment: the context
    is built now, in the caller's transaction, and kept in the outbox until
    ``documents.tasks.render_document`` renders it after the commit. A later change of
    the owner (an annex before the first rendering ran) makes its own version and never
    rewrites this one."""
    from workflows.outbox import outbox_enqueue

    from .tasks import render_document

    with translation.override(DEFAULT_LANGUAGE):
        context = context_freeze(import_string(context_builder)(owner))
    outbox_enqueue(
        render_document,
        content_type_id=ContentType.objects.get_for_model(owner).pk,
        object_id=owner.pk,
        kind=kind,
        template_name=template_name,
        context=context,
        actor_id=actor_id,
    )


# Organisations' own wording (documents.overrides) -------------------------------

TEXT = "text"


def _require_template_admin(actor, organisation: Organisation, template_name: str) -> None:
    from accounts.models import Role
    from accounts.permissions import role_require

    from .overrides import OVERRIDABLE

    role_require(actor, organisation.pk, Role.ORG_ADMIN)
    if template_name not in OVERRIDABLE:
        raise InvalidInput(field_errors={"template_name": [_("No such document template.")]})


def template_override_preview(*, organisation: Organisation, template_name: str, text: str):
    """The PDF ``text`` renders from the template's sample context, or ``InvalidInput``
    at the ``text`` field when it leaves the sandbox, does not compile or fails to render."""
    from django.template import engines

    from .overrides import sample_context, template_check, template_label

    try:
        template_check(text)
        template = engines["django"].from_string(text)
        context = sample_context(template_name)
        title = str(context.pop(TITLE, template_label(template_name)))
        number = str(context.pop(NUMBER, ""))
        html = render_html(
            template=template,
            context=context,
            organisation=organisation,
            title=title,
            number=number,
        )
        return html_to_pdf(html)
    # Any failure of the text (syntax, a filter, a missing URL) is the text's fault.
    except Exception as exc:
        raise InvalidInput(
            field_errors={TEXT: [_("The template cannot be used: %(error)s") % {"error": exc}]}
        ) from None


def _template_override_add(
    *, organisation: Organisation, template_name: str, text: str, is_default: bool, actor
):
    from .models import TemplateOverride

    with transaction.atomic():
        # The organisation's row serialises versions of its overrides.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk").first()
        series = TemplateOverride.objects.filter(
            organisation=organisation, template_name=template_name
        )
        previous = series.order_by("-version").first()
        override = TemplateOverride.objects.create(
            organisation=organisation,
            template_name=template_name,
            version=(previous.version if previous else 0) + 1,
            text=text,
            is_default=is_default,
            created_by=actor,
        )
        audit_record(
            obj=organisation,
            actor=actor,
            action="template_override_reset" if is_default else "template_override_save",
            before={
                "template": template_name,
                "version": previous.version if previous else None,
                "default": previous.is_default if previous else True,
            },
            after={"template": template_name, "version": override.version, "default": is_default},
        )
    return override


def template_override_save(*, organisation: Organisation, template_name: str, text: str, actor):
    """Save ``text`` as the next version of the organisation's wording of
    ``template_name``, in force from now on; refused (at the ``text`` field) unless its
    preview renders. Documents rendered before keep their bytes."""
    _require_template_admin(actor, organisation, template_name)
    if not text.strip():
        raise InvalidInput(field_errors={TEXT: [_("The template text is empty.")]})
    template_override_preview(organisation=organisation, template_name=template_name, text=text)
    return _template_override_add(
        organisation=organisation,
        template_name=template_name,
        text=text,
        is_default=False,
        actor=actor,
    )


def template_override_reset(*, organisation: Organisation, template_name: str, actor):
    """Go back to the default wording: a new version that says "default"."""
    _require_template_admin(actor, organisation, template_name)
    from .overrides import override_in_force

    if override_in_force(organisation, template_name) is None:
        raise InvalidInput(_("The default wording is already in force."))
    return _template_override_add(
        organisation=organisation,
        template_name=template_name,
        text="",
        is_default=True,
        actor=actor,
    )
