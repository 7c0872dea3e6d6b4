"""The daily digest for officials and finance."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import organisation_ids_with, users_with_role_anywhere
from accounts.selectors import pending_actions
from workflows.models import Timer
from workflows.timers import timer_named

from .messages import Line
from .recipients import Recipient
from .services import notify

SUBJECT = _("Mikrowsparcia: your day, %(day)s")
BODY = _("Waiting for you:\n%(pending)s\n\nDeadlines this week:\n%(week)s\n\nOverdue:\n%(overdue)s")
NOTHING = _("nothing")
ACTION_LINE = _("- %(action)s")
DEADLINE_LINE = _("- %(object)s (%(what)s): %(due)s")


def _deadline_lines(user, timers) -> list[Line]:
    organisations = set(organisation_ids_with(user, Role.OFFICIAL, Role.FINANCE))
    lines = []
    for timer in timers:
        obj = timer.content_type.get_object_for_this_type(pk=timer.object_id)
        if obj.state != timer.state or obj.workflow_organisation_id not in organisations:
            continue
        declared = timer_named(obj, timer.name)
        if declared is None:
            continue
        # Kept as a msgid and values: the digest is read in the reader's language.
        lines.append(
            Line(
                DEADLINE_LINE,
                {
                    "object": str(obj),
                    "what": declared.label,
                    "due": timezone.localdate(timer.due_at),
                },
            )
        )
    return lines


def digest_send_all(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    users = users_with_role_anywhere(Role.OFFICIAL, Role.FINANCE)
    week = Timer.objects.filter(
        kind=Timer.Kind.DEADLINE,
        fired_at=None,
        cancelled_at=None,
        due_at__lte=now + datetime.timedelta(days=7),
    ).select_related("content_type")
    overdue = Timer.objects.filter(
        kind=Timer.Kind.DEADLINE, fired_at__isnull=False, cancelled_at=None
    ).select_related("content_type")
    overdue = [t for t in overdue if _marks_overdue(t)]
    sent = 0
    for user in users:
        pending = [Line(ACTION_LINE, {"action": a.label}) for a in pending_actions(user=user)]
        context = {
            "day": today,
            "pending": pending or NOTHING,
            "week": _deadline_lines(user, week) or NOTHING,
            "overdue": _deadline_lines(user, overdue) or NOTHING,
        }
        sent += len(
            notify(
                recipients=[Recipient(email=user.email, user=user)],
                kind="digest",
                subject=SUBJECT,
                body=BODY,
                url="/",
                dedupe_key=f"digest:{today.isoformat()}",
                context=context,
            )
        )
    return sent


def _model(content_type: ContentType):
    return content_type.model_class()


def _marks_overdue(timer: Timer) -> bool:
    """A fired deadline that makes its object overdue (not one that ran a transition)."""
    declared = timer_named(_model(timer.content_type), timer.name)
    return declared is not None and not declared.expire
