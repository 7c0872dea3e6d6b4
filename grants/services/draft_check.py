"""The call's rules checked on a draft as typed, without keeping it (the live check of
the application page): the same messages as a submission gives."""

from decimal import Decimal

from django.db import transaction

from accounts.models import User
from workflows.errors import InvalidInput

from ..models import Application
from ..rules import application_rule_errors
from .applications import application_save_draft


def application_draft_check(
    *, application: Application, actor: User, **draft
) -> tuple[dict[str, list[str]], dict | None]:
    """The rule errors of ``application`` if ``draft`` were saved, and its sums (None
    when the draft's shape is wrong). The draft is saved in a savepoint that is rolled
    back, so the check runs the very code of saving and submitting and keeps nothing."""
    with transaction.atomic():
        try:
            checked = application_save_draft(application=application, actor=actor, **draft)
        except InvalidInput as exc:
            transaction.set_rollback(True)
            return exc.field_errors, None
        checked.refresh_from_db()
        errors = application_rule_errors(checked)
        totals = application_totals(checked)
        transaction.set_rollback(True)
    return errors, totals


def application_totals(application: Application) -> dict:
    """The sums the applicant sees under the budget; the share is of the total with the
    volunteer work, as the own-contribution rule counts it."""
    own = application.own_contribution
    return {
        "total_cost": application.total_cost,
        "requested_amount": application.requested_amount,
        "own_contribution": own,
        "own_share": _share(own, application.total_cost + application.volunteer_value),
    }


def _share(part: Decimal, whole: Decimal) -> str:
    """A share in percent with one decimal and a decimal comma ("12,5%")."""
    if not whole:
        return "0%"
    value = (part * 100 / whole).quantize(Decimal("0.1"))
    return f"{value}".replace(".", ",").removesuffix(",0") + "%"
