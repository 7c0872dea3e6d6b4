"""Agreements (umowy) and their changes during implementation (annexes, aneksy)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_require
from documents.formatting import format_amount
from documents.services import document_render_later
from workflows.errors import GuardRefused, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Agreement,
    Application,
    ChangeRequest,
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
        _render_annex(agreement, actor.pk)
    return change


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
