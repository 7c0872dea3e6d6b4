"""The one family of domain errors. ``workflows.api.exception_handler`` maps each
class to its HTTP status; HTML views show the message next to the form."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, field_errors: dict[str, list[str]] | None = None):
        self.message = message if message is not None else self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """400: the data sent is wrong; ``field_errors`` says where."""

    status_code = 400
    default_message = _("Please correct the errors below.")


class NotPermitted(DomainError):
    """403: the object is visible to the user, the action is not theirs to take."""

    status_code = 403
    default_message = _("You are not allowed to do this.")


class NotVisible(DomainError):
    """404: the object does not exist for this user (its existence is not revealed)."""

    status_code = 404
    default_message = _("Not found.")


class Conflict(DomainError):
    """409: the action does not fit the object's current state."""

    status_code = 409
    default_message = _("This cannot be done now.")


class TransitionNotAvailable(Conflict):
    pass


class GuardRefused(Conflict):
    pass


class ConcurrentChange(Conflict):
    default_message = _(
        "Someone else changed this item a moment ago. Reload the page and try again."
    )
