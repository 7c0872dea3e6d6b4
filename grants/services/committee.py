"""A call's committee and decision documents (protokół komisji, lista rozstrzygnięć,
pisma do wnioskodawców, ogłoszenie): asked for by an official, rendered after the
commit from the data of that moment; the chair's sign-off of the protocol is recorded
against the very version signed (its SHA-256)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.permissions import role_require
from documents.selectors import document_latest
from documents.services import document_render_later
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record
from workflows.errors import GuardRefused, NotPermitted

from ..document_contexts.committee import DECIDED
from ..models import Call, ProtocolSignOff
from ..workflow import CallState

CONTEXTS = "grants.document_contexts.committee"
# kind -> (template, context builder); each document of a call.
CALL_DOCUMENTS = {
    "call-notice": ("grants/call_notice.html", f"{CONTEXTS}.call_notice_context"),
    "protocol": ("grants/protocol.html", f"{CONTEXTS}.protocol_context"),
    "decision-list": ("grants/decision_list.html", f"{CONTEXTS}.decision_list_context"),
}
LETTER = ("grants/decision_letter.html", f"{CONTEXTS}.decision_letter_context")
# Which documents wait for which moment of the call.
AFTER_EVALUATION = (CallState.EVALUATING, CallState.DECIDED, CallState.CLOSED)
DECIDED_STATES = (CallState.DECIDED, CallState.CLOSED)

LETTER_SUBJECT = gettext_lazy("Decision on your application %(number)s")
LETTER_BODY = gettext_lazy("%(outcome)s\n\nThe letter (PDF) is on the application's page: %(url)s")
OUTCOMES = {
    "granted": gettext_lazy(
        "Your application is granted %(amount)s. Next steps: the agreement is prepared; "
        "you will be asked to sign it."
    ),
    "reserve": gettext_lazy(
        "Your application is on the reserve list: it is granted if money becomes free."
    ),
    "refused": gettext_lazy("Your application is refused. Reasons: %(reasons)s"),
}


def _official(call: Call, actor: User) -> None:
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)


@transaction.atomic
def call_document_request(*, call: Call, actor: User, kind: str) -> None:
    """Ask for one of the call's documents: the notice once the call has rules, the
    protocol once evaluation started, the decision list once the results are decided."""
    _official(call, actor)
    if kind not in CALL_DOCUMENTS:
        raise GuardRefused(_("No such document of a call."))
    if kind == "protocol" and call.state not in AFTER_EVALUATION:
        raise GuardRefused(_("The committee protocol is made once the evaluation has started."))
    if kind == "decision-list" and call.state not in DECIDED_STATES:
        raise GuardRefused(_("The decision list is made once the results are announced."))
    template, builder = CALL_DOCUMENTS[kind]
    document_render_later(
        owner=call, kind=kind, template_name=template, context_builder=builder, actor_id=actor.pk
    )
    audit_record(obj=call, actor=actor, action=f"document_request_{kind}", after={"kind": kind})


@transaction.atomic
def protocol_sign_off(*, call: Call, actor: User) -> ProtocolSignOff:
    """The committee chair signs off the latest rendering of the protocol: the row names
    the document version and its SHA-256, so a later rendering needs its own sign-off."""
    _official(call, actor)
    call = Call.objects.select_for_update(no_key=True).get(pk=call.pk)
    document = document_latest(call, kind="protocol")
    if document is None:
        raise GuardRefused(_("Generate the committee protocol before signing it off."))
    if ProtocolSignOff.objects.filter(call=call, document=document).exists():
        raise GuardRefused(
            _("Version %(version)d of the protocol is already signed off.")
            % {"version": document.version}
        )
    sign_off = ProtocolSignOff.objects.create(
        call=call, chair=actor, document=document, sha256=document.sha256, signed_at=timezone.now()
    )
    audit_record(
        obj=call,
        actor=actor,
        action="protocol_sign_off",
        after={"document": document.pk, "version": document.version, "sha256": document.sha256},
    )
    return sign_off


@transaction.atomic
def decision_letters_send(*, call: Call, actor: User) -> int:
    """A letter to each applicant whose application is decided (granted with the
    amount and the next steps, reserve, refused with the reasons): a PDF on the
    application and an essential message by e-mail. Returns how many were sent."""
    from documents.formatting import format_amount

    _official(call, actor)
    if call.state not in DECIDED_STATES:
        raise GuardRefused(_("Letters are sent once the results are announced."))
    sent = 0
    for application in call.applications.select_related("applicant").order_by("sequence"):
        outcome = DECIDED.get(application.state)
        if outcome is None:
            continue
        document_render_later(
            owner=application,
            kind="decision-letter",
            template_name=LETTER[0],
            context_builder=LETTER[1],
            actor_id=actor.pk,
        )
        notify(
            recipients=[Recipient(email=application.applicant.email, user=application.applicant)],
            kind="decision_letter",
            subject=LETTER_SUBJECT,
            body=LETTER_BODY,
            url=reverse("grants:application", args=[application.pk]),
            essential=True,
            about=application,
            dedupe_key=f"decision-letter:{application.pk}:{application.state}",
            context={
                "number": application.number,
                "url": reverse("grants:application", args=[application.pk]),
                "outcome": OUTCOMES[outcome]
                % {
                    "amount": format_amount(application.approved_amount or 0),
                    "reasons": application.decision_justification or "—",
                },
            },
        )
        sent += 1
    audit_record(obj=call, actor=actor, action="decision_letters_send", after={"sent": sent})
    return sent
