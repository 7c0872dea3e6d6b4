"""The incubator of social activity (inkubator działalności społecznej, DOMAIN.md
section 8): a group asks the operator for a consultation on its draft; the operator's
adviser comments on it. The comments stay beside the application, never in it (not in
its document nor its data), and a group that has never submitted an application is
flagged to the operator as a first-time group."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.permissions import role_require, users_with_role
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record
from workflows.errors import Conflict, InvalidInput, NotPermitted

from ..models import AdviserComment, Application, Consultation
from ..workflow import EDITABLE_STATES, ApplicationState

ASKED_SUBJECT = gettext_lazy("A group asks for a consultation: %(title)s")
ASKED_FIRST_SUBJECT = gettext_lazy("A first-time group asks for a consultation: %(title)s")
ASKED_BODY = gettext_lazy("The group %(group)s asks for advice on its draft: %(question)s")
COMMENT_SUBJECT = gettext_lazy("The adviser commented on your draft: %(title)s")
COMMENT_BODY = gettext_lazy("%(comment)s")


def is_first_time(application: Application) -> bool:
    """No earlier application of the same applicant was ever submitted."""
    return (
        not Application.objects.filter(applicant_id=application.applicant_id)
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.DRAFT)
        .exists()
    )


@transaction.atomic
def consultation_request(*, application: Application, actor: User, question: str) -> Consultation:
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the applicant asks for a consultation on the draft."))
    if application.state not in EDITABLE_STATES:
        raise Conflict(_("A consultation is asked for while the application is being written."))
    question = (question or "").strip()
    if not question:
        raise InvalidInput(field_errors={"question": [_("Say what you would like advice on.")]})
    consultation = Consultation.objects.create(
        application=application, question=question[:4000], first_time=is_first_time(application)
    )
    audit_record(
        obj=consultation,
        actor=actor,
        action="consultation_requested",
        after={"first_time": consultation.first_time},
    )
    advisers = users_with_role(application.call.organisation_id, Role.OFFICIAL)
    notify(
        recipients=[Recipient(email=u.email, user=u) for u in advisers],
        kind="grants.incubator",
        subject=ASKED_FIRST_SUBJECT if consultation.first_time else ASKED_SUBJECT,
        body=ASKED_BODY,
        url=f"/granty/inkubator/{consultation.pk}/",
        essential=True,
        about=consultation,
        context={
            "title": application.title or str(application),
            "group": application.applicant_name or str(application),
            "question": consultation.question,
        },
    )
    return consultation


@transaction.atomic
def adviser_comment_add(*, consultation: Consultation, actor: User, text: str) -> AdviserComment:
    """The operator's adviser comments on the draft (not part of the application)."""
    application = consultation.application
    role_require(actor, application.call.organisation_id, Role.OFFICIAL)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(field_errors={"text": [_("Write the comment.")]})
    comment = AdviserComment.objects.create(
        consultation=consultation, author=actor, text=text[:4000]
    )
    audit_record(obj=comment, actor=actor, action="adviser_commented")
    notify(
        recipients=[Recipient(email=application.applicant.email, user=application.applicant)],
        kind="grants.incubator",
        subject=COMMENT_SUBJECT,
        body=COMMENT_BODY,
        url=f"/granty/wnioski/{application.pk}/konsultacja/",
        essential=True,
        about=application,
        context={"title": application.title or str(application), "comment": comment.text},
    )
    return comment
