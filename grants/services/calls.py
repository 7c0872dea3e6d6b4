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
    PoolShare,
    range_problem,
)
from ..rules import locked_rule_errors, small_grant_limits_check
from ..selectors import (
    call_has_submissions,
    member_municipalities_of,
    pool_committed,
    pool_committed_by_municipality,
)
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
    pool_shares: Iterable[dict] | None = None,
    **fields,
) -> Call:
    """A new call with its rules (``pool_shares``: rows of ``municipality`` and
    ``amount`` splitting a metropolis-wide call's pool, see ``call_update``)."""
    role_require(actor, organisation.pk, Role.OFFICIAL, message=NotPermitted.default_message)
    call = Call(organisation=organisation, **fields)
    small_grant_limits_check(call)
    call.full_clean()
    shares, errors = _pool_shares_build(call, pool_shares or [])
    if errors:
        raise InvalidInput(field_errors=errors)
    call.save()
    call_set_rules(
        call=call, criteria=criteria, cost_categories=cost_categories, checklist=checklist
    )
    if shares:
        _pool_shares_save(call, shares, actor=actor, before={})
    return call


def _approved_call_errors(call: Call, before_classification: tuple) -> dict:
    """Once grants are approved from the call: its budget line and year stay, and its
    pool covers them."""
    errors = {}
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
    return errors


def _pool_shares_build(call: Call, rows: Iterable[dict]) -> tuple[list[PoolShare], dict]:
    """The shares of the pool as given, and what is wrong with them for ``call`` as it
    is about to be saved: each municipality a member of the call's metropolis, once;
    no share under what is already approved in its municipality; the shares adding up
    to the pool; only a metropolis-wide call's pool split at all."""
    errors: dict[str, list[str]] = {}
    shares = []
    members = {m.pk: m for m in member_municipalities_of([call.organisation_id])}
    committed = pool_committed_by_municipality(call) if call.pk else {}
    seen = set()
    for i, row in enumerate(rows):
        municipality = row.get("municipality")
        municipality_id = getattr(municipality, "pk", municipality)
        try:
            municipality_id = int(municipality_id)
        except (TypeError, ValueError):
            municipality_id = None
        amount = row.get("amount")
        if municipality_id not in members:
            errors[f"pool_shares[{i}].municipality"] = [
                _("Choose one of the metropolis's member municipalities.")
            ]
        elif municipality_id in seen:
            errors[f"pool_shares[{i}].municipality"] = [
                _("This municipality already has a share of the pool.")
            ]
        seen.add(municipality_id)
        if amount is None:
            errors[f"pool_shares[{i}].amount"] = [_("This field is required.")]
            continue
        problem = range_problem(amount, ZERO, None)
        if problem:
            errors[f"pool_shares[{i}].amount"] = [problem]
        elif amount < committed.get(municipality_id, ZERO):
            errors[f"pool_shares[{i}].amount"] = [
                _("Grants of %(committed)s are already approved in this municipality.")
                % {"committed": format_amount(committed[municipality_id])}
            ]
        if municipality_id in members:
            shares.append(
                PoolShare(call=call, municipality=members[municipality_id], amount=amount)
            )
    if shares and not call.metropolis_wide:
        errors["pool_shares"] = [
            _("Only the pool of a metropolis-wide call can be split by municipality.")
        ]
    elif shares and not errors and call.pool is not None:
        total = sum((share.amount for share in shares), ZERO)
        if total != call.pool:
            errors["pool_shares"] = [
                _(
                    "The shares of the municipalities (%(total)s) must add up to the pool "
                    "(%(pool)s)."
                )
                % {"total": format_amount(total), "pool": format_amount(call.pool)}
            ]
    return shares, errors


def _pool_shares_change(
    call: Call, rows: Iterable[dict] | None
) -> tuple[list[PoolShare], dict, dict]:
    """The split as changed (``rows``; None: the saved one, checked against the call as
    changed), the saved one by municipality name, and what is wrong with the new one."""
    saved = list(PoolShare.objects.filter(call=call).select_related("municipality"))
    if rows is None:
        rows = [{"municipality": s.municipality_id, "amount": s.amount} for s in saved]
    shares, errors = _pool_shares_build(call, rows)
    return shares, {s.municipality.name: str(s.amount) for s in saved}, errors


def _pool_shares_save(call: Call, shares: list[PoolShare], *, actor: User, before: dict) -> None:
    PoolShare.objects.filter(call=call).delete()
    for share in shares:
        share.call = call
    PoolShare.objects.bulk_create(shares)
    audit_record(
        obj=call,
        actor=actor,
        action="call_pool_split",
        before={"pool_shares": before},
        after={"pool_shares": {s.municipality.name: str(s.amount) for s in shares}},
    )


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
def call_update(
    *,
    call: Call,
    actor: User,
    expected_version: int | None = None,
    pool_shares: Iterable[dict] | None = None,
    **fields,
) -> Call:
    """Change a call's rules. Once grants are approved from it (with the call locked, as
    approvals lock it), its budget line and year stay and its pool covers them. Once it
    is published every change is audited and its applicants are told; once an
    application is submitted the rules of eligibility and amounts stay (``LOCKED_RULES``,
    the pool only up, the period only longer).

    ``pool_shares`` (rows of ``municipality`` and ``amount``; an empty list: no split)
    replaces the split of a metropolis-wide call's pool; left out, the split stays and
    must still add up to the pool as changed. Every change of the split is audited."""
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
    shares, shares_before, errors = _pool_shares_change(call, pool_shares)
    shares_after = {s.municipality.name: str(s.amount) for s in shares}
    if not new and shares_after == shares_before and not errors:
        return call
    if call.state != CallState.DRAFT and call_has_submissions(call):
        raw_after = {name: getattr(call, call._meta.get_field(name).attname) for name in new}
        errors.update(locked_rule_errors({k: raw_before[k] for k in new}, raw_after))
    errors.update(_approved_call_errors(call, before_classification))
    if errors:
        raise InvalidInput(field_errors=errors)
    small_grant_limits_check(call)
    call.full_clean()
    if new:
        call.save(update_fields=[*fields, *version_bump(call)])
        if call.state != CallState.DRAFT:
            audit_record(obj=call, actor=actor, action="call_update", before=old, after=new)
            _tell_applicants_of_change(call, list(new))
    if shares_after != shares_before:
        _pool_shares_save(call, shares, actor=actor, before=shares_before)
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
