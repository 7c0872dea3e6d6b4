"""Informal groups: members confirming their membership and consent through a
personal link (no account needed), a guardian's consent for a minor, and the patron
organisation that signs for a group and receives its grant.

A link is a ``TimestampSigner`` value naming the application, the member's e-mail and
who consents (the member or a guardian), so it needs no table; it is valid for
``CONSENT_LINK_MAX_AGE`` and works again when sent again. What was given is kept in
``MemberConsent`` by e-mail address, each change audited.
"""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require, users_with_role
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record
from workflows.errors import Conflict, InvalidInput, NotPermitted

from ..models import Application, GroupMember, GroupModel, MemberConsent, Patronage
from ..rules import consents_given
from ..selectors import patron_candidates
from ..workflow import EDITABLE_STATES, UNDECIDED_STATES

CONSENT_SALT = "grants.group_consent"
CONSENT_LINK_MAX_AGE = datetime.timedelta(days=30)
PATRON_ROLES = (Role.OFFICIAL, Role.ORG_ADMIN)

CONSENT_SUBJECT = gettext_lazy("Confirm your membership of the group %(group)s")
CONSENT_BODY = gettext_lazy(
    "%(leader)s named you a member of the informal group %(group)s applying for the grant "
    "%(title)s to %(grantor)s. Open the link to confirm your membership and consent to the "
    "processing of your data, or to decline. You may withdraw your consent later by the "
    "same link."
)
GUARDIAN_SUBJECT = gettext_lazy("Consent for %(member)s to take part in the group %(group)s")
GUARDIAN_BODY = gettext_lazy(
    "%(leader)s named %(member)s, a minor in your care, a member of the informal group "
    "%(group)s applying for the grant %(title)s to %(grantor)s. Open the link to give or "
    "refuse your consent as a parent or guardian."
)
WITHDRAWN_SUBJECT = gettext_lazy("A member withdrew their consent: %(object)s")
WITHDRAWN_BODY = gettext_lazy(
    "%(name)s withdrew the consent given for the group of application %(object)s."
)
PATRON_ASKED_SUBJECT = gettext_lazy("A group asks your organisation to be its patron")
PATRON_ASKED_BODY = gettext_lazy(
    "The informal group %(group)s names %(patron)s as its patron for the grant %(title)s. "
    "Confirm or decline the patronage in the product."
)
PATRON_ANSWER_SUBJECT = gettext_lazy("The patron answered: %(object)s")
PATRON_CONFIRMED_BODY = gettext_lazy("%(patron)s confirmed its patronage of %(object)s.")
PATRON_DECLINED_BODY = gettext_lazy("%(patron)s declined the patronage of %(object)s.")


class ConsentLinkInvalid(Exception):
    """Why a consent link cannot be used: ``reason`` is ``expired`` or ``broken``."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def consent_token(application: Application, member_email: str, party: str) -> str:
    return signing.TimestampSigner(salt=CONSENT_SALT).sign_object(
        {"a": application.pk, "e": member_email.lower(), "p": party}
    )


def consent_link_read(token: str) -> tuple[GroupMember, str]:
    """The member a link was made for and who consents by it (``Party``);
    ``ConsentLinkInvalid`` when expired, tampered with, or the member is no longer listed."""
    signer = signing.TimestampSigner(salt=CONSENT_SALT)
    try:
        data = signer.unsign_object(token, max_age=CONSENT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ConsentLinkInvalid("expired") from None
    except (signing.BadSignature, ValueError):
        raise ConsentLinkInvalid("broken") from None
    if not isinstance(data, dict) or data.get("p") not in MemberConsent.Party.values:
        raise ConsentLinkInvalid("broken")
    member = (
        GroupMember.objects.filter(application_id=data.get("a"), email__iexact=data.get("e", ""))
        .select_related("application__call__organisation", "application__applicant")
        .first()
    )
    if member is None or (data["p"] == MemberConsent.Party.GUARDIAN and not member.is_minor):
        raise ConsentLinkInvalid("broken")
    return member, data["p"]


def _link_context(application: Application) -> dict:
    return {
        "leader": application.applicant.get_full_name() or application.applicant.email,
        "group": application.applicant_name or application.title,
        "title": application.title,
        "grantor": application.call.organisation.name,
    }


@transaction.atomic
def group_consents_request(*, application: Application, actor: User) -> int:
    """The leader sends each member who has not confirmed, and the guardian of each
    minor without consent, their personal link; returns how many were sent."""
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the group's leader sends the confirmation links."))
    if application.state not in EDITABLE_STATES:
        raise Conflict(_("Confirmations are asked for while the application is being written."))
    given = consents_given(application)
    context = _link_context(application)
    sent = 0
    for member in application.members.all():
        email = member.email.lower()
        asks = []
        if (email, MemberConsent.Party.MEMBER) not in given and not member.is_minor:
            asks.append((MemberConsent.Party.MEMBER, member.email, CONSENT_SUBJECT, CONSENT_BODY))
        guardian_missing = (email, MemberConsent.Party.GUARDIAN) not in given
        if member.is_minor and member.guardian_email and guardian_missing:
            asks.append(
                (
                    MemberConsent.Party.GUARDIAN,
                    member.guardian_email,
                    GUARDIAN_SUBJECT,
                    GUARDIAN_BODY,
                )
            )
        for party, to, subject, body in asks:
            token = consent_token(application, email, party)
            notify(
                recipients=[Recipient(email=to)],
                kind="grants.group_consent",
                subject=subject,
                body=body,
                url=f"/granty/grupa/zgoda/{token}/",
                essential=True,
                about=application,
                context={**context, "member": member.full_name},
            )
            sent += 1
    audit_record(
        obj=application, actor=actor, action="group_consents_requested", after={"links": sent}
    )
    return sent


def _consent_open(member: GroupMember) -> None:
    if member.application.state not in EDITABLE_STATES:
        raise Conflict(
            _("The application is %(state)s; consent can no longer be given by this link.")
            % {"state": member.application.state_label}
        )


@transaction.atomic
def group_consent_give(*, token: str) -> MemberConsent:
    """The member (or a minor's guardian) confirms through their link; no account."""
    member, party = consent_link_read(token)
    _consent_open(member)
    guardian = party == MemberConsent.Party.GUARDIAN
    consent, _created = MemberConsent.objects.select_for_update().get_or_create(
        application=member.application,
        member_email=member.email.lower(),
        party=party,
        defaults={
            "signer_name": member.guardian_name if guardian else member.full_name,
            "signer_email": member.guardian_email if guardian else member.email,
        },
    )
    consent.signer_name = member.guardian_name if guardian else member.full_name
    consent.signer_email = member.guardian_email if guardian else member.email
    consent.confirmed_at = timezone.now()
    consent.withdrawn_at = None
    consent.save(update_fields=["signer_name", "signer_email", "confirmed_at", "withdrawn_at"])
    audit_record(
        obj=consent,
        actor=None,
        action="member_consent_given",
        after={"party": party, "confirmed_at": consent.confirmed_at},
    )
    return consent


@transaction.atomic
def group_consent_withdraw(*, token: str) -> MemberConsent:
    """The member (or guardian) takes back a consent given; the leader is told. Possible
    until the application is decided."""
    member, party = consent_link_read(token)
    application = member.application
    if application.state not in (*EDITABLE_STATES, *UNDECIDED_STATES):
        raise Conflict(
            _("The application is %(state)s; consent can no longer be withdrawn here.")
            % {"state": application.state_label}
        )
    consent = (
        MemberConsent.objects.select_for_update()
        .filter(application=application, member_email=member.email.lower(), party=party)
        .first()
    )
    if consent is None or not consent.is_given:
        raise Conflict(_("No consent was given by this link, so there is none to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit_record(
        obj=consent,
        actor=None,
        action="member_consent_withdrawn",
        after={"party": party, "withdrawn_at": consent.withdrawn_at},
    )
    notify(
        recipients=[Recipient(email=application.applicant.email, user=application.applicant)],
        kind="grants.group_consent",
        subject=WITHDRAWN_SUBJECT,
        body=WITHDRAWN_BODY,
        url=application.get_absolute_url(),
        essential=True,
        about=application,
        context={"object": str(application), "name": consent.signer_name},
    )
    return consent


# The patron organisation -------------------------------------------------------------


@transaction.atomic
def patronage_set(*, application: Application, actor: User, patron: Organisation) -> Patronage:
    """The group names its patron; a patron named again must confirm again."""
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the applicant names the patron."))
    if application.state not in EDITABLE_STATES:
        raise Conflict(_("The patron is named while the application is being written."))
    if application.call.group_model != GroupModel.PATRON:
        raise Conflict(_("This call does not work with patron organisations."))
    if not patron_candidates(application.call).filter(pk=patron.pk).exists():
        raise InvalidInput(field_errors={"patron": [_("Choose one of the organisations listed.")]})
    patronage, _created = Patronage.objects.update_or_create(
        application=application,
        defaults={
            "patron": patron,
            "confirmed_at": None,
            "confirmed_by": None,
            "declined_at": None,
            "account_number": "",
        },
    )
    audit_record(obj=patronage, actor=actor, action="patron_named", after={"patron": patron.pk})
    staff = users_with_role(patron.pk, *PATRON_ROLES)
    notify(
        recipients=[Recipient(email=u.email, user=u) for u in staff],
        kind="grants.patronage",
        subject=PATRON_ASKED_SUBJECT,
        body=PATRON_ASKED_BODY,
        url="/granty/patronaty/",
        essential=True,
        about=patronage,
        context={**_link_context(application), "patron": patron.name},
    )
    return patronage


def _patron_answer(patronage: Patronage, actor: User, body) -> None:
    application = patronage.application
    notify(
        recipients=[Recipient(email=application.applicant.email, user=application.applicant)],
        kind="grants.patronage",
        subject=PATRON_ANSWER_SUBJECT,
        body=body,
        url=application.get_absolute_url(),
        essential=True,
        about=application,
        context={"object": str(application), "patron": patronage.patron.name},
    )


def _patronage_locked(patronage: Patronage, actor: User) -> Patronage:
    patronage = (
        Patronage.objects.select_for_update(of=("self",))
        .select_related("patron", "application__applicant")
        .get(pk=patronage.pk)
    )
    role_require(actor, patronage.patron_id, *PATRON_ROLES)
    if patronage.application.state not in EDITABLE_STATES:
        raise Conflict(_("The application is no longer being written; the patronage stays."))
    return patronage


@transaction.atomic
def patronage_confirm(*, patronage: Patronage, actor: User, account_number: str) -> Patronage:
    """The patron's staff confirm: the patron signs the agreement and receives the grant
    on ``account_number``."""
    patronage = _patronage_locked(patronage, actor)
    patronage.account_number = (account_number or "").replace(" ", "")
    if not patronage.account_number:
        raise InvalidInput(field_errors={"account_number": [_("Give the account for the grant.")]})
    try:
        patronage.full_clean(exclude=["application", "patron", "confirmed_by"])
    except ValidationError as exc:
        raise InvalidInput(field_errors=exc.message_dict) from None
    patronage.confirmed_at = timezone.now()
    patronage.confirmed_by = actor
    patronage.declined_at = None
    patronage.save(update_fields=["account_number", "confirmed_at", "confirmed_by", "declined_at"])
    audit_record(
        obj=patronage,
        actor=actor,
        action="patronage_confirmed",
        after={"account_number": patronage.account_number},
    )
    _patron_answer(patronage, actor, PATRON_CONFIRMED_BODY)
    return patronage


@transaction.atomic
def patronage_decline(*, patronage: Patronage, actor: User) -> Patronage:
    patronage = _patronage_locked(patronage, actor)
    patronage.declined_at = timezone.now()
    patronage.confirmed_at = None
    patronage.save(update_fields=["declined_at", "confirmed_at"])
    audit_record(obj=patronage, actor=actor, action="patronage_declined")
    _patron_answer(patronage, actor, PATRON_DECLINED_BODY)
    return patronage


def grant_beneficiary(application: Application) -> tuple[str, str, str]:
    """Who receives the grant: (name, address, account). Under the patron model the
    confirmed patron, otherwise the applicant as the application gives it."""
    patronage = _confirmed_patronage(application)
    if patronage is not None:
        patron = patronage.patron
        return patron.name, patron.address, patronage.account_number
    return application.applicant_name, application.address, application.account_number


def _confirmed_patronage(application: Application) -> Patronage | None:
    if application.call.group_model != GroupModel.PATRON:
        return None
    return (
        Patronage.objects.filter(application=application, confirmed_at__isnull=False)
        .select_related("patron")
        .first()
    )


def patron_party(application: Application) -> dict | None:
    """The agreement's party under the patron model: the confirmed patron, signing for
    the group (None otherwise)."""
    patronage = _confirmed_patronage(application)
    if patronage is None:
        return None
    patron = patronage.patron
    return {
        "kind": "patron",
        "name": patron.name,
        "address": patron.address,
        "nip": patron.nip,
        "representatives": ", ".join(
            f"{r.full_name} – {r.function}" for r in patron.representatives.all()
        ),
        "group_name": application.applicant_name,
        "account_number": patronage.account_number,
        "members": [],
    }
