"""Art. 19a small grants (tryb pozakonkursowy): public comments on a published offer."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.errors import GuardRefused, InvalidInput

from ..models import (
    Application,
    PublicComment,
)
from ..rules import fundability_problem
from ..workflow import (
    ApplicationState,
)


@transaction.atomic
def public_comment_add(*, application: Application, author_name: str, text: str) -> PublicComment:
    if (
        application.state != ApplicationState.PUBLISHED_FOR_COMMENT
        or fundability_problem(application) is None
    ):
        raise GuardRefused(_("This offer is not open for comments."))
    if not text.strip():
        raise InvalidInput(field_errors={"text": [_("Write a comment.")]})
    return PublicComment.objects.create(
        application=application, author_name=author_name[:200], text=text[:4000]
    )
