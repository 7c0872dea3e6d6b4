"""Agreements (umowy) and their changes during implementation (annexes, aneksy)."""

import datetime
import hashlib
import re
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from attachments.content import JPEG, PDF, PNG, detect
from attachments.services import attachment_check
from documents.formatting import format_amount
from documents.services import document_render_later
from documents.snapshots import context_freeze
from workflows.audit import audit_record
from workflows.errors import GuardRefused, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Agreement,
    Annex,
    Application,
    ChangeRequest,
    SignedCopy,
    Tranche,
)
from ..rules import (
    money,
    negative_source_errors,
)
from ..workflow import (
    AgreementState,
    ApplicationState,
)

ANNEX_TEMPLATE = "grants/annex.html"


ANNEX_CONTEXT = "grants.document_contexts.annex_context"
# A signature dictionary in a PDF: "/Type /Sig" (or "/Type/Sig"; DocTimeStamp too).
SIG_TYPE = re.compile(rb"/Type\s*/(Sig|DocTimeStamp)\b")


@transaction.atomic
def agreement_create(
    *,
    application: Application,
    actor: User,
    tranches: list[tuple[Decimal, datetime.date]],
    spending_deadline: datetime.date,
) -> Agreement:
    call = application.call
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    if application.state != ApplicationState.APPROVED:
        raise GuardRefused(_("An agreement is made from an approved application."))
    errors = {}
    if sum((money(a) for a, _d in tranches), ZERO) != application.approved_amount:
        errors["tranches"] = [
            _("The tranches must add up to the amount granted: %(amount)s.")
            % {"amount": format_amount(application.approved_amount)}
        ]
    if spending_deadline > datetime.date(call.year, 12, 31):
        errors["spending_deadline"] = [
            _("The money must be used by 31 December %(year)d (art. 221 u.f.p.).")
            % {"year": call.year}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    end = application.end_date or spending_deadline
    agreement = Agreement.objects.create(
        application=application,
        organisation_id=call.organisation_id,
        number=f"U/{application.number}",
        amount=application.approved_amount,
        spending_deadline=spending_deadline,
        report_deadline=end + datetime.timedelta(days=call.report_deadline_days),
    )
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, amount=money(amount), due_date=due) for amount, due in tranches
    )
    return agreement


@transaction.atomic
def change_request_submit(
    *, agreement: Agreement, actor: User, description: str, shifts: dict[int, Decimal]
) -> ChangeRequest:
    """The grantee asks to move grant money between budget lines (line id -> new amount
    from the grant). Within the call's tolerance of every line it needs no annex."""
    application = agreement.application
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the grantee asks for changes."))
    if agreement.state != AgreementState.IN_IMPLEMENTATION:
        raise GuardRefused(_("Changes are asked for during implementation."))
    lines = {line.pk: line for line in application.budget_lines.all()}
    errors = {}
    if set(shifts) - set(lines):
        errors["shifts"] = [_("Choose lines of the budget.")]
    new_total = sum((money(shifts.get(pk, line.from_grant)) for pk, line in lines.items()), ZERO)
    if new_total != sum((line.from_grant for line in lines.values()), ZERO):
        errors["shifts"] = [_("Moving money between lines must not change the grant's total.")]
    if not errors:
        errors = negative_source_errors(lines, shifts)
    if errors:
        raise InvalidInput(field_errors=errors)
    tolerance = application.call.budget_shift_tolerance
    needs_annex = any(
        abs(money(amount) - lines[pk].from_grant) > money(lines[pk].from_grant * tolerance)
        for pk, amount in shifts.items()
    )
    return ChangeRequest.objects.create(
        agreement=agreement,
        description=description,
        needs_annex=needs_annex,
        shifts={str(pk): str(money(amount)) for pk, amount in shifts.items()},
    )


@transaction.atomic
def change_request_approve(*, change: ChangeRequest, actor: User) -> ChangeRequest:
    """An official approves a change: the budget lines move; a change beyond the
    tolerance also makes an annex, i.e. a new version of the agreement document."""
    agreement = change.agreement
    role_require(
        actor, agreement.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message
    )
    if change.approved_at is not None:
        raise GuardRefused(_("This change is already approved."))
    lines = {line.pk: line for line in agreement.application.budget_lines.all()}
    errors = negative_source_errors(lines, change.shifts)
    if errors:
        raise InvalidInput(field_errors=errors)
    for pk, amount in change.shifts.items():
        line = lines[int(pk)]
        line.own_money += line.from_grant - Decimal(amount)
        line.from_grant = Decimal(amount)
        line.save(update_fields=["from_grant", "own_money"])
    change.approved_by = actor
    change.approved_at = timezone.now()
    change.save(update_fields=["approved_by", "approved_at"])
    if change.needs_annex:
        agreement = Agreement.objects.select_for_update(no_key=True).get(pk=agreement.pk)
        agreement.version += 1
        agreement.save(update_fields=["version"])
        change.annex_number = agreement.version - 1
        change.save(update_fields=["annex_number"])
        annex_record(agreement=agreement, change=change, actor=actor)
        _render_annex(agreement, actor.pk)
    return change


def annex_record(*, agreement: Agreement, change: ChangeRequest, actor: User) -> Annex:
    """The annex as a record of its own: number, date, what changes and the budget as
    it sets it (the lines already moved), the agreement version it makes; audited."""
    from ..document_contexts import budget_rows

    annex = Annex.objects.create(
        agreement=agreement,
        number=change.annex_number,
        made_on=timezone.localdate(),
        change=change,
        description=change.description,
        budget=context_freeze(budget_rows(agreement.application)),
        agreement_version=agreement.version,
        created_by=actor,
    )
    audit_record(
        obj=annex,
        actor=actor,
        action="annex_record",
        after={"agreement": agreement.number, "number": annex.number, "shifts": change.shifts},
    )
    return annex


def _signed_method(content: bytes, content_type: str) -> str:
    """A PDF carrying a signature dictionary (``/Type /Sig`` with a ``/ByteRange``, as
    PAdES, qualified and trusted-profile signatures embed) is signed electronically;
    other PDFs, JPEG and PNG are scans."""
    if content_type == PDF and b"/ByteRange" in content and SIG_TYPE.search(content):
        return SignedCopy.Method.ELECTRONIC
    return SignedCopy.Method.SCAN


@transaction.atomic
def signed_copy_add(
    *,
    agreement: Agreement,
    actor: User,
    signed_on: datetime.date,
    annex: Annex | None = None,
    upload: UploadedFile | None = None,
) -> SignedCopy:
    """Record the signed agreement (or a signed annex): the file as it came, byte for
    byte (a scan, or a PDF with an embedded electronic signature, shown as such), or
    without a file, signing on paper with its date."""
    role_require(
        actor, agreement.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message
    )
    if annex is not None and annex.agreement_id != agreement.pk:
        raise InvalidInput(field_errors={"annex": [_("Choose an annex of this agreement.")]})
    if signed_on > timezone.localdate():
        raise InvalidInput(
            field_errors={"signed_on": [_("The date of signing cannot be later than today.")]}
        )
    copy = SignedCopy(
        agreement=agreement,
        annex=annex,
        signed_on=signed_on,
        uploaded_by=actor,
        method=SignedCopy.Method.PAPER,
    )
    if upload is not None:
        if detect(upload) not in (PDF, JPEG, PNG):
            raise InvalidInput(
                field_errors={"file": [_("Only PDF, JPEG and PNG files can be attached.")]}
            )
        # Size and (when a daemon is configured) viruses, as every attachment.
        content_type = attachment_check(upload)
        upload.seek(0)
        content = upload.read()
        copy.method, copy.content_type = _signed_method(content, content_type), content_type
        copy.sha256 = hashlib.sha256(content).hexdigest()
        copy.size = len(content)
        copy.original_name = upload.name[:255]
        copy.file.save(copy.sha256, ContentFile(content), save=False)
    copy.save()
    audit_record(
        obj=copy,
        actor=actor,
        action="signed_copy_add",
        after={
            "agreement": agreement.number,
            "annex": annex.number if annex else None,
            "method": copy.method,
            "signed_on": str(signed_on),
            "sha256": copy.sha256,
        },
    )
    return copy


def _render_annex(agreement: Agreement, actor_id: int) -> None:
    """Ask for the annex, a document of its own kind, number and title, with the data
    of this transaction."""
    document_render_later(
        owner=agreement,
        kind="annex",
        template_name=ANNEX_TEMPLATE,
        context_builder=ANNEX_CONTEXT,
        actor_id=actor_id,
    )
