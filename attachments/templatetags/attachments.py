"""``{% attachments_of owner as files %}``: an owner's files, for pages that show them
(the attachments include needs only this and ``attachments/includes/list.html``)."""

from django import template

from ..selectors import attachments_of as _attachments_of

register = template.Library()


@register.simple_tag
def attachments_of(owner):
    return list(_attachments_of(owner)) if owner is not None else []
