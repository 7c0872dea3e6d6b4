"""Calls (nabory): creating one, changing its rules, and who is told of a change."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require
from documents.formatting import format_amount
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record, changes, snapshot
from workflows.errors import InvalidInput, NotPermitted
from workflows.versioning import version_bump, version_check

from ..models import (
    CALL_RULE_FIELDS,
    ZERO,
    Call,
    ChecklistItem,
    CostCategory,
    Criterion,
)
from ..rules import locked_rule_errors, small_grant_limits_check
from ..selectors import call_has_submissions, pool_committed
from ..workflow import (
    ApplicationState,
    CallState,
)


@transaction.atomic
def call_create(
    *,
    organisation: Organisation,
    actor: User,
    criteria: Iterable[dict] = (),
    cost_categories: Iterable[dict] = (),
    checklist: Iterable[str] = (),
    **fields,
) -> Call:
    role_require(actor, organisation.pk, Role.OFFICIAL, message=NotPermitted.default_message)
    call = Call(organisation=organisation, **fields)
    small_grant_limits_check(call)
    call.full_clean()
    call.save()
    call_set_rules(
        call=call, criteria=criteria, cost_categories=cost_categories, checklist=checklist
    )
    return call


CALL_CHANGED_SUBJECT = gettext_lazy("The rules of call %(title)s have changed")


CALL_CHANGED_BODY = gettext_lazy(
    "The organiser changed the call %(title)s, to which you have an application: "
    "%(fields)s. Check your application against the call's current rules."
)


def _tell_applicants_of_change(call: Call, changed: list[str]) -> None:
    applicants = (
        User.objects.filter(grant_applications__call=call, is_active=True)
        .exclude(grant_applications__state=ApplicationState.WITHDRAWN)
        .distinct()
        .order_by("pk")
    )
    labels = ", ".join(str(Call._meta.get_field(name).verbose_name) for name in changed)
    notify(
        recipients=[Recipient(email=user.email, user=user) for user in applicants],
        kind="grants.call_changed",
        subject=CALL_CHANGED_SUBJECT,
        body=CALL_CHANGED_BODY,
        url=f"/granty/nabory/{call.pk}/",
        essential=True,
        about=call,
        dedupe_key=f"call-changed:{call.pk}:{call.version}",
        context={"title": call.title, "fields": labels},
    )


@transaction.atomic
def call_update(*, call: Call, actor: User, expected_version: int | None = None, **fields) -> Call:
    """Change a call's rules. Once grants are approved from it (with the call locked, as
    approvals lock it), its budget line and year stay and its pool covers them. Once it
    is published every change is audited and its applicants are told; once an
    application is submitted the rules of eligibility and amounts stay (``LOCKED_RULES``,
    the pool only up, the period only longer)."""
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    call = Call.objects.select_for_update(no_key=True).get(pk=call.pk)
    version_check(call, expected_version)
    names = [name for name in fields if name in CALL_RULE_FIELDS]
    raw_before = {name: getattr(call, call._meta.get_field(name).attname) for name in names}
    before = snapshot(call, names)
    before_classification = (call.classification_id, call.year)
    for name, value in fields.items():
        setattr(call, name, value)
    old, new = changes(before, snapshot(call, names))
    if not new:
        return call
    errors = {}
    if call.state != CallState.DRAFT and call_has_submissions(call):
        raw_after = {name: getattr(call, call._meta.get_field(name).attname) for name in new}
        errors = locked_rule_errors({k: raw_before[k] for k in new}, raw_after)
    committed = pool_committed(call)
    if committed > ZERO:
        if (call.classification_id, call.year) != before_classification:
            errors["classification"] = [
                _(
                    "Grants are already approved from this call: its budget classification "
                    "and year can no longer change."
                )
            ]
        if call.pool < committed:
            errors["pool"] = [
                _("The pool cannot be smaller than the %(committed)s already approved.")
                % {"committed": format_amount(committed)}
            ]
    if errors:
        raise InvalidInput(field_errors=errors)
    small_grant_limits_check(call)
    call.full_clean()
    call.save(update_fields=[*fields, *version_bump(call)])
    if call.state != CallState.DRAFT:
        audit_record(obj=call, actor=actor, action="call_update", before=old, after=new)
        _tell_applicants_of_change(call, list(new))
    return call


def call_set_rules(
    *,
    call: Call,
    criteria: Iterable[dict] = (),
    cost_categories: Iterable[dict] = (),
    checklist: Iterable[str] = (),
) -> None:
    criteria = [Criterion(call=call, order=i, **row) for i, row in enumerate(criteria)]
    categories = [CostCategory(call=call, order=i, **row) for i, row in enumerate(cost_categories)]
    errors: dict[str, list[str]] = {}
    for name, rows in (("criteria", criteria), ("cost_categories", categories)):
        for i, row in enumerate(rows):
            try:
                row.full_clean(exclude=["call"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[f"{name}[{i}].{field}"] = [str(m) for m in messages]
    if errors:
        raise InvalidInput(field_errors=errors)
    Criterion.objects.bulk_create(criteria)
    CostCategory.objects.bulk_create(categories)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(call=call, order=i, text=text) for i, text in enumerate(checklist)
    )
