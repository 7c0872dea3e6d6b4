"""Kinds of messages a user may turn off, by the first segment of a notification's
``kind`` (``grants.application.submit`` belongs to ``grants``). Essential messages
(deadlines, decisions, invitations, security notices) are sent whatever is chosen."""

from django.utils.translation import gettext_lazy as _

MESSAGE_KINDS: list[tuple[str, object]] = [
    ("grants", _("Calls, applications and agreements")),
    ("purchases", _("Purchases and quotations")),
    ("finance", _("Finance: budget and payments")),
    ("timer", _("Reminders before deadlines")),
    ("digest", _("The daily summary of tasks")),
]


def message_kind_label(group: str):
    return dict(MESSAGE_KINDS).get(group, group)
