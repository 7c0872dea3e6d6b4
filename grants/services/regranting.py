"""Regranting (art. 16a of the act on public-benefit activity): an operator organisation
runs a call for groups with the money of a grant from the municipality it serves. The
operator links its call to that grant; the municipality then sees the call's work
(applications, decisions, payments, settlements) read-only, beside the operator's own
settlement of the grant (``grants.selectors.regranting_overview``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import has_role, role_require
from documents.formatting import format_amount
from workflows.audit import audit_record
from workflows.errors import Conflict, InvalidInput

from ..models import Agreement, Call, GroupModel, RegrantingFund
from ..workflow import AgreementState

FUNDING_STATES = (
    AgreementState.SIGNED,
    AgreementState.IN_IMPLEMENTATION,
    AgreementState.COMPLETED,
)


def _granted_to(agreement: Agreement, operator) -> bool:
    application = agreement.application
    if operator.nip and application.nip == operator.nip:
        return True
    return has_role(application.applicant, operator.pk, Role.OFFICIAL, Role.ORG_ADMIN)


@transaction.atomic
def regranting_fund_link(*, call: Call, agreement: Agreement, actor: User) -> RegrantingFund:
    """The operator's official names the municipality's grant that funds the call."""
    call = Call.objects.select_related("organisation").get(pk=call.pk)
    role_require(actor, call.organisation_id, Role.OFFICIAL)
    if call.group_model != GroupModel.REGRANTING:
        raise Conflict(_("Only a regranting call is funded by a grant to the operator."))
    errors = []
    if call.organisation.parent_id is None or call.organisation.parent_id != (
        agreement.organisation_id
    ):
        errors.append(_("The grant must come from the municipality the operator serves."))
    elif not _granted_to(agreement, call.organisation):
        errors.append(
            _(
                "The grant must be the operator's own: applied for under its NIP or by one "
                "of its officials."
            )
        )
    elif agreement.state not in FUNDING_STATES:
        errors.append(
            _("The grant's agreement is %(state)s; a signed agreement funds a call.")
            % {"state": agreement.state_label}
        )
    elif call.pool > agreement.amount:
        errors.append(
            _("The call's pool (%(pool)s) is over the grant (%(grant)s).")
            % {"pool": format_amount(call.pool), "grant": format_amount(agreement.amount)}
        )
    if errors:
        raise InvalidInput(field_errors={"agreement": errors})
    fund, _created = RegrantingFund.objects.update_or_create(
        call=call, defaults={"agreement": agreement, "created_by": actor}
    )
    audit_record(
        obj=fund, actor=actor, action="regranting_fund_linked", after={"agreement": agreement.pk}
    )
    return fund
