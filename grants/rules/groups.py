"""The checks an informal group's application answers before it is submitted: its
members' own confirmations (and a guardian's consent for each minor) when the call asks
for them, and its patron's confirmation when the call's model is a patron."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from documents.formatting import format_amount

from ..models import (
    ApplicantKind,
    Application,
    GroupInvoice,
    GroupModel,
    MemberConsent,
    Patronage,
)
from ..workflow import AgreementState
from ..workflow_groups import GroupInvoiceState


def consents_given(application: Application) -> set[tuple[str, str]]:
    """(member e-mail, party) of every consent given and not withdrawn."""
    return {
        (consent.member_email.lower(), consent.party)
        for consent in application.member_consents.all()
        if consent.is_given
    }


def member_consent_problem(application: Application) -> str | None:
    """The call's minimum of adult members confirmed by their links, and a parent's or
    guardian's consent for every minor (DOMAIN.md section 1)."""
    call = application.call
    members = list(application.members.all())
    given = consents_given(application)
    confirmed = sum(
        1
        for m in members
        if not m.is_minor and (m.email.lower(), MemberConsent.Party.MEMBER) in given
    )
    if confirmed < call.min_group_size:
        return _(
            "At least %(needed)d adult members must confirm their membership by their e-mail "
            "links; %(confirmed)d have confirmed."
        ) % {"needed": call.min_group_size, "confirmed": confirmed}
    missing = [
        m.full_name
        for m in members
        if m.is_minor and (m.email.lower(), MemberConsent.Party.GUARDIAN) not in given
    ]
    if missing:
        return _(
            "A minor takes part only with a parent's or guardian's consent, not yet given "
            "for: %(names)s."
        ) % {"names": ", ".join(missing)}
    return None


def patron_problem(application: Application) -> str | None:
    patronage = Patronage.objects.filter(application=application).select_related("patron").first()
    if patronage is None:
        return _("Name the patron organisation that signs for the group.")
    if not patronage.is_confirmed:
        return _("The patron organisation %(patron)s has not confirmed its patronage.") % {
            "patron": patronage.patron.name
        }
    return None


def group_problem(application: Application) -> str | None:
    """The submit guard of an informal group's application (None for other applicants)."""
    if application.kind != ApplicantKind.INFORMAL_GROUP:
        return None
    call = application.call
    if call.members_confirm_by_link:
        problem = member_consent_problem(application)
        if problem:
            return problem
    if call.group_model == GroupModel.PATRON:
        return patron_problem(application)
    return None


def invoice_grant_problem(invoice) -> str | None:
    """The approve guard of a group's invoice: the agreement is running and the approved
    invoices with this one stay within the grant."""
    agreement = invoice.agreement
    if agreement.state not in (AgreementState.SIGNED, AgreementState.IN_IMPLEMENTATION):
        return _("Invoices are paid while the agreement is signed and being carried out.")
    approved = (
        (
            GroupInvoice.objects.filter(agreement=agreement, state=GroupInvoiceState.APPROVED)
            .exclude(pk=invoice.pk)
            .aggregate(total=Sum("amount"))["total"]
        )
        or 0
    )
    if approved + invoice.amount > agreement.amount:
        return _(
            "With this invoice the approved invoices would come to %(total)s, over the grant "
            "of %(grant)s."
        ) % {
            "total": format_amount(approved + invoice.amount),
            "grant": format_amount(agreement.amount),
        }
    return None
