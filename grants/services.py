"""Every write of the micro-grant process, and the checks the workflow's guards ask.

State changes go through ``workflows.engine.transition_apply``; the transition bodies
in ``grants.workflow`` call ``application_prepare_submission``, ``pool_reserve``,
``review_finalise``, ``tranches_order_payment`` and ``settlement_compute`` below,
inside the engine's transaction.
"""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role, User
from documents.formatting import format_amount, polish_date
from documents.services import document_render_later
from finance.models import PaymentOrder
from finance.services import budget_check, payment_order_create
from finance.validators import paid_on_problem
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record, changes, snapshot
from workflows.calendar import add_working_days
from workflows.engine import transition_apply
from workflows.errors import Conflict, GuardRefused, InvalidInput, NotPermitted
from workflows.versioning import version_bump, version_check

from .models import (
    CALL_RULE_FIELDS,
    ZERO,
    Activity,
    Agreement,
    ApplicantKind,
    Application,
    Attachment,
    BudgetLine,
    Call,
    ChangeRequest,
    ChecklistItem,
    CostCategory,
    Criterion,
    Expense,
    FormalCheckAnswer,
    GroupMember,
    Indicator,
    InterestRate,
    PublicComment,
    Report,
    Return,
    Review,
    Score,
    SmallGrantLimits,
    Tranche,
)
from .workflow import (
    EDITABLE_STATES,
    ApplicationState,
    CallState,
    ReportState,
    ReviewState,
)

CENT = Decimal("0.01")
EVALUATION_ASSIGNED = gettext_lazy("Application %(number)s to evaluate")
EVALUATION_ASSIGNED_BODY = gettext_lazy(
    "You are asked to evaluate application %(number)s. Sign the impartiality declaration "
    "first, or decline if you have a conflict of interest."
)
RETURN_DAYS = 15  # art. 251 ust. 2 and art. 252 ust. 1 u.f.p.
ANNEX_TEMPLATE = "grants/annex.html"
ANNEX_CONTEXT = "grants.document_contexts.annex_context"


def unused_return_deadline(spending_deadline: datetime.date) -> datetime.date:
    """Art. 251 u.f.p.: money unused by the end of the budget year is returned by
    31 January of the next year (ust. 1); when the spending period ends earlier in the
    year, within 15 days of its end (ust. 2)."""
    if (spending_deadline.month, spending_deadline.day) == (12, 31):
        return datetime.date(spending_deadline.year + 1, 1, 31)
    return spending_deadline + datetime.timedelta(days=RETURN_DAYS)


APPROVED_STATES = (ApplicationState.APPROVED, ApplicationState.BUDGET_REVISION)
ATTACHMENT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def percent(share: Decimal) -> str:
    """0.1000 -> "10", 0.0750 -> "7.5"."""
    return format(share * 100, "f").rstrip("0").rstrip(".")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Calls ------------------------------------------------------------------------------


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
    if Role.OFFICIAL not in actor.roles_in(organisation.pk):
        raise NotPermitted()
    call = Call(organisation=organisation, **fields)
    small_grant_limits_check(call)
    call.full_clean()
    call.save()
    call_set_rules(
        call=call, criteria=criteria, cost_categories=cost_categories, checklist=checklist
    )
    return call


# Once an application is submitted, these rules decided who could apply and for how
# much; changing them would be unfair to those who applied (and to those who did not).
# The pool may grow and the submission period may lengthen; nothing else of them moves.
LOCKED_RULES = (
    "procedure",
    "min_grant",
    "max_grant",
    "min_own_share",
    "min_own_money_share",
    "allows_informal_group",
    "allows_ngo",
    "allows_resident",
    "min_group_size",
    "max_duration_days",
    "yearly_cap",
    "min_average_score",
    "tie_break",
)
CALL_CHANGED_SUBJECT = gettext_lazy("The rules of call %(title)s have changed")
CALL_CHANGED_BODY = gettext_lazy(
    "The organiser changed the call %(title)s, to which you have an application: "
    "%(fields)s. Check your application against the call's current rules."
)


def call_has_submissions(call: Call) -> bool:
    return call.applications.exclude(state=ApplicationState.DRAFT).exists()


def _locked_rule_errors(before: dict, after: dict) -> dict[str, list[str]]:
    """The refusals for changed rules (``before``/``after``: the changed fields' values)."""
    errors = {}
    refusal = _(
        "Applications have already been submitted to this call: this rule can no longer change."
    )
    for name in after:
        if name in LOCKED_RULES or name == "opens_at":
            errors[name] = [refusal]
    if "pool" in after and after["pool"] < before["pool"]:
        errors["pool"] = [
            _("Applications have already been submitted to this call: the pool may only grow.")
        ]
    if "closes_at" in after and after["closes_at"] < before["closes_at"]:
        errors["closes_at"] = [
            _(
                "Applications have already been submitted to this call: the submission "
                "period may only be extended."
            )
        ]
    return errors


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
    if Role.OFFICIAL not in actor.roles_in(call.organisation_id):
        raise NotPermitted()
    call = Call.objects.select_for_update().get(pk=call.pk)
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
        errors = _locked_rule_errors({k: raw_before[k] for k in new}, raw_after)
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


def small_grant_limits_in_force(on: datetime.date) -> SmallGrantLimits:
    limits = SmallGrantLimits.in_force(on)
    if limits is None:
        raise GuardRefused(
            _(
                "No art. 19a statutory limits are recorded for %(day)s; ask the "
                "administrator to enter them."
            )
            % {"day": polish_date(on)}
        )
    return limits


def small_grant_limits_check(call: Call) -> None:
    """An art. 19a call obeys the statutory limits in force on its opening day: it may be
    stricter, never looser (refused with an error at each field that is looser)."""
    if not call.is_19a:
        return
    limits = small_grant_limits_in_force(timezone.localdate(call.opens_at))
    errors = {}
    if call.max_grant is not None and call.max_grant > limits.max_grant:
        errors["max_grant"] = [
            _("Art. 19a allows a grant of at most %(limit)s; a call may set less, never more.")
            % {"limit": format_amount(limits.max_grant)}
        ]
    if call.max_duration_days is not None and call.max_duration_days > limits.max_duration_days:
        errors["max_duration_days"] = [
            _("Art. 19a allows a task of at most %(n)d days; a call may set fewer, never more.")
            % {"n": limits.max_duration_days}
        ]
    if call.yearly_cap is not None and call.yearly_cap > limits.yearly_cap:
        errors["yearly_cap"] = [
            _(
                "Art. 19a allows at most %(limit)s to one organisation in a calendar year; a "
                "call may set less, never more."
            )
            % {"limit": format_amount(limits.yearly_cap)}
        ]
    if call.comment_period_days != limits.comment_period_days:
        errors["comment_period_days"] = [
            _("Art. 19a publishes an offer for comments for %(n)d days.")
            % {"n": limits.comment_period_days}
        ]
    if limits.ngo_only:
        not_ngo = _(
            "Art. 19a grants go only to non-governmental organisations and the entities of "
            "art. 3 ust. 3 of the act."
        )
        if call.allows_informal_group:
            errors["allows_informal_group"] = [not_ngo]
        if call.allows_resident:
            errors["allows_resident"] = [not_ngo]
    if errors:
        raise InvalidInput(field_errors=errors)


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


# Applications: drafts ---------------------------------------------------------------

DRAFT_FIELDS = (
    "kind",
    "applicant_name",
    "address",
    "phone",
    "krs",
    "nip",
    "regon",
    "representatives",
    "account_number",
    "title",
    "place",
    "start_date",
    "end_date",
    "summary",
    "goals",
    "beneficiaries",
    "expected_results",
    "volunteer_hours",
    "volunteer_rate",
)


@transaction.atomic
def application_create(*, call: Call, applicant: User, kind: str) -> Application:
    application = Application(call=call, applicant=applicant, kind=kind)
    application.full_clean(exclude=["number"])
    application.save()
    return application


def _ensure_editable(application: Application, actor: User) -> None:
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the applicant may change the application."))
    if application.state not in EDITABLE_STATES:
        raise GuardRefused(
            _("The application can no longer be changed: it is %(state)s.")
            % {"state": application.state_label}
        )


@transaction.atomic
def application_save_draft(
    *,
    application: Application,
    actor: User,
    fields: dict | None = None,
    members: list[dict] | None = None,
    activities: list[dict] | None = None,
    indicators: list[dict] | None = None,
    budget_lines: list[dict] | None = None,
    expected_version: int | None = None,
) -> Application:
    """Save what the applicant typed. Only the shapes are checked here (numbers are
    numbers, dates are dates); the call's rules are checked when submitting, so a
    draft can always be saved half-done. A list given replaces the saved one."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application, actor)
    version_check(application, expected_version)
    fields = {k: v for k, v in (fields or {}).items() if k in DRAFT_FIELDS}
    for name, value in fields.items():
        setattr(application, name, value)
    errors: dict[str, list[str]] = {}
    try:
        application.full_clean(exclude=["number", "call", "applicant"])
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    children = [
        ("members", members, GroupMember),
        ("activities", activities, Activity),
        ("indicators", indicators, Indicator),
        ("budget_lines", budget_lines, BudgetLine),
    ]
    built = {}
    for name, rows, model in children:
        if rows is None:
            continue
        built[name] = []
        allowed = {f.attname for f in model._meta.concrete_fields} - {"id", "application_id"}
        for i, row in enumerate(rows):
            obj = model(application=application, **{k: v for k, v in row.items() if k in allowed})
            if name == "members" and obj.declared_at is None:
                obj.declared_at = timezone.now()
            try:
                obj.full_clean(exclude=["application"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[f"{name}[{i}].{field}"] = [str(m) for m in messages]
            built[name].append(obj)
    if "budget_lines" in built:
        categories = set(application.call.cost_categories.values_list("pk", flat=True))
        for i, line in enumerate(built["budget_lines"]):
            if line.category_id not in categories:
                errors[f"budget_lines[{i}].category"] = [_("Choose a cost category of this call.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    application.save(update_fields=[*fields, "updated_at", *version_bump(application)])
    for name, rows in built.items():
        getattr(application, name).all().delete()
        if rows:
            type(rows[0]).objects.bulk_create(rows)
    application_recompute_totals(application)
    return application


def application_recompute_totals(application: Application) -> None:
    lines = list(application.budget_lines.all())
    application.total_cost = sum((line.total for line in lines), ZERO)
    application.requested_amount = sum((line.from_grant for line in lines), ZERO)
    application.own_money = sum((line.own_money for line in lines), ZERO)
    application.own_in_kind = sum((line.own_in_kind for line in lines), ZERO)
    application.save(update_fields=["total_cost", "requested_amount", "own_money", "own_in_kind"])


def _detect_type(head: bytes) -> str | None:
    for magic, content_type in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


@transaction.atomic
def application_attach(
    *, application: Application, actor: User, upload: UploadedFile
) -> Attachment:
    """Attach a PDF, JPEG or PNG file; the content is checked, not the name."""
    _ensure_editable(application, actor)
    limit = settings.GRANTS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            field_errors={
                "file": [
                    _("The file is too large: at most %(mb)s MB.") % {"mb": limit // 1_000_000}
                ]
            }
        )
    upload.seek(0)
    content_type = _detect_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise InvalidInput(
            field_errors={"file": [_("Only PDF, JPEG and PNG files can be attached.")]}
        )
    return Attachment.objects.create(
        application=application,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )


# Applications: submission -----------------------------------------------------------


def application_rule_errors(application: Application) -> dict[str, list[str]]:
    """Every way the application breaks its call's rules, by field."""
    call = application.call
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    required = {
        "title": application.title,
        "place": application.place,
        "summary": application.summary,
        "goals": application.goals,
        "beneficiaries": application.beneficiaries,
        "expected_results": application.expected_results,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "applicant_name": application.applicant_name,
        "account_number": application.account_number,
    }
    for field, value in required.items():
        if value in (None, ""):
            add(field, _("This field is required to submit."))
    limits = small_grant_limits_in_force(timezone.localdate()) if call.is_19a else None
    if application.kind not in call.allowed_kinds():
        add("kind", _("This kind of applicant may not apply to this call."))
    elif limits and limits.ngo_only and application.kind != ApplicantKind.NGO:
        add("kind", _("Art. 19a grants go only to non-governmental organisations."))
    if application.kind == ApplicantKind.NGO:
        for field in ("krs", "nip", "representatives"):
            if not getattr(application, field):
                add(field, _("This field is required for an organisation."))
    members = list(application.members.all())
    if application.kind == ApplicantKind.INFORMAL_GROUP:
        if len(members) < call.min_group_size:
            add(
                "members",
                _("An informal group needs at least %(n)d members.") % {"n": call.min_group_size},
            )
        if not any(m.is_leader for m in members):
            add("members", _("Name the group's leader."))
        for i, member in enumerate(members):
            if not (member.declares_adult_resident and member.consents_to_processing):
                add(
                    f"members[{i}]",
                    _("Every member must declare being an adult resident and consent."),
                )
    if application.start_date and application.end_date:
        if application.end_date < application.start_date:
            add("end_date", _("The end date is before the start date."))
        elif (application.end_date - application.start_date).days + 1 > call.max_duration_days:
            add(
                "end_date",
                _("The task may last at most %(n)d days.") % {"n": call.max_duration_days},
            )
        elif limits and (
            (application.end_date - application.start_date).days + 1 > limits.max_duration_days
        ):
            add(
                "end_date",
                _("Art. 19a allows a task of at most %(n)d days.")
                % {"n": limits.max_duration_days},
            )
        if application.end_date.year > call.year:
            add("end_date", _("The task must end within the budget year %(y)d.") % {"y": call.year})
    lines = list(application.budget_lines.all())
    if not lines:
        add("budget_lines", _("Add at least one budget line."))
    for i, line in enumerate(lines):
        if line.from_grant + line.own_money + line.own_in_kind != line.total:
            add(
                f"budget_lines[{i}]",
                _("The sources (%(sources)s) must add up to the line's cost (%(total)s).")
                % {
                    "sources": format_amount(line.from_grant + line.own_money + line.own_in_kind),
                    "total": format_amount(line.total),
                },
            )
    requested = application.requested_amount
    if requested > call.max_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is over the call's maximum of %(max)s.")
            % {"requested": format_amount(requested), "max": format_amount(call.max_grant)},
        )
    elif limits and requested > limits.max_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is over the art. 19a maximum of %(max)s.")
            % {"requested": format_amount(requested), "max": format_amount(limits.max_grant)},
        )
    if lines and requested < call.min_grant:
        add(
            "requested_amount",
            _("The grant requested (%(requested)s) is under the call's minimum of %(min)s.")
            % {"requested": format_amount(requested), "min": format_amount(call.min_grant)},
        )
    total = application.total_cost + application.volunteer_value
    own = application.own_contribution
    if total and own < money(total * call.min_own_share):
        add(
            "own_contribution",
            _(
                "The own contribution (%(own)s) must be at least %(share)s%% of the total "
                "(%(needed)s)."
            )
            % {
                "own": format_amount(own),
                "share": percent(call.min_own_share),
                "needed": format_amount(money(total * call.min_own_share)),
            },
        )
    if own and application.own_money < money(own * call.min_own_money_share):
        add(
            "own_money",
            _("At least %(needed)s of the own contribution must be money.")
            % {"needed": format_amount(money(own * call.min_own_money_share))},
        )
    categories = {c.pk: c for c in call.cost_categories.all()}
    for category in categories.values():
        if category.cap_share is None or not application.total_cost:
            continue
        spent = sum((line.total for line in lines if line.category_id == category.pk), ZERO)
        if spent > money(application.total_cost * category.cap_share):
            add(
                "budget_lines",
                _("“%(category)s” may be at most %(share)s%% of the costs (%(cap)s).")
                % {
                    "category": category.name,
                    "share": percent(category.cap_share),
                    "cap": format_amount(money(application.total_cost * category.cap_share)),
                },
            )
    cap_problem = yearly_cap_problem(application, requested)
    if cap_problem:
        add("requested_amount", cap_problem)
    return errors


def yearly_cap_problem(application: Application, amount: Decimal) -> str | None:
    """Art. 19a ust. 4: one organisation gets at most the yearly cap a calendar year in
    this mode, across all of the grantor's calls: the call's, or the statutory one in
    force today when that is lower or the call sets none."""
    call = application.call
    cap = call.yearly_cap
    if call.is_19a:
        statutory = small_grant_limits_in_force(timezone.localdate()).yearly_cap
        cap = statutory if cap is None else min(cap, statutory)
    if cap is None or not application.nip:
        return None
    granted = (
        Application.objects.filter(
            call__organisation_id=call.organisation_id,
            call__year=call.year,
            call__procedure=call.procedure,
            nip=application.nip,
            state__in=APPROVED_STATES,
        )
        .exclude(pk=application.pk)
        .aggregate(total=Sum("approved_amount"))["total"]
        or ZERO
    )
    if granted + amount > cap:
        return _(
            "This organisation has already been granted %(granted)s this year; with "
            "%(amount)s it would pass the yearly cap of %(cap)s."
        ) % {
            "granted": format_amount(granted),
            "amount": format_amount(amount),
            "cap": format_amount(cap),
        }
    return None


def application_prepare_submission(application: Application) -> None:
    """Inside the submit transition: refuse with every field error, or number it."""
    errors = application_rule_errors(application)
    if errors:
        raise InvalidInput(
            _("The application breaks the call's rules; nothing was submitted."),
            field_errors=errors,
        )
    if not application.number:
        call = (
            Call.objects.select_for_update()
            .select_related("organisation")
            .get(pk=application.call_id)
        )
        application.sequence = call.next_number
        application.number = (
            f"{call.organisation.short_name}/{call.year}/{call.code}/{call.next_number:04d}"
        )
        call.next_number += 1
        call.save(update_fields=["next_number"])
    application.submitted_at = timezone.now()


# Formal check -----------------------------------------------------------------------


@transaction.atomic
def formal_check_record(*, application: Application, actor: User, answers: dict[int, bool]) -> None:
    """Record the official's answers to the call's checklist (item id -> passed)."""
    if Role.OFFICIAL not in actor.roles_in(application.call.organisation_id):
        raise NotPermitted()
    items = {item.pk for item in application.call.checklist.all()}
    unknown = set(answers) - items
    if unknown:
        raise InvalidInput(field_errors={"answers": [_("Unknown checklist items.")]})
    recorded = dict(
        FormalCheckAnswer.objects.filter(application=application).values_list("item_id", "passed")
    )
    for item_id, passed in answers.items():
        FormalCheckAnswer.objects.update_or_create(
            application=application, item_id=item_id, defaults={"passed": bool(passed)}
        )
    before = {str(k): recorded.get(k) for k in sorted(answers)}
    after = {str(k): bool(answers[k]) for k in sorted(answers)}
    old, new = changes(before, after)
    if new:
        audit_record(
            obj=application, actor=actor, action="formal_check_record", before=old, after=new
        )


def formal_checklist_problem(application: Application) -> str | None:
    items = list(application.call.checklist.all())
    answers = {a.item_id: a.passed for a in application.formal_answers.all()}
    failed = [item.text for item in items if not answers.get(item.pk)]
    if failed:
        return _("The formal checklist is not all passed: %(items)s.") % {
            "items": "; ".join(failed)
        }
    return None


# Evaluation -------------------------------------------------------------------------


def _evaluators_of(organisation_id: int):
    return User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__role=Role.EVALUATOR
    ).distinct()


@transaction.atomic
def reviews_assign(
    *, application: Application, evaluators: Iterable[User], actor: User
) -> list[Review]:
    organisation_id = application.call.organisation_id
    if Role.OFFICIAL not in actor.roles_in(organisation_id):
        raise NotPermitted()
    if application.state != ApplicationState.FORMALLY_ACCEPTED:
        raise GuardRefused(_("Evaluators are assigned after the formal check."))
    allowed = set(_evaluators_of(organisation_id).values_list("pk", flat=True))
    reviews = []
    for evaluator in evaluators:
        if evaluator.pk not in allowed:
            raise InvalidInput(
                field_errors={
                    "evaluators": [_("%(who)s is not an evaluator here.") % {"who": evaluator}]
                }
            )
        if evaluator.pk == application.applicant_id:
            raise InvalidInput(field_errors={"evaluators": [_("An applicant cannot evaluate.")]})
        review, created = Review.objects.get_or_create(application=application, evaluator=evaluator)
        if created:
            _tell_evaluator(review)
        reviews.append(review)
    return reviews


def _tell_evaluator(review: Review) -> None:
    notify(
        recipients=[Recipient(email=review.evaluator.email, user=review.evaluator)],
        kind="grants.review.assigned",
        subject=EVALUATION_ASSIGNED,
        body=EVALUATION_ASSIGNED_BODY,
        url=review.get_absolute_url(),
        essential=True,
        about=review,
        dedupe_key=f"review-assigned:{review.pk}",
        context={"number": review.application.number},
    )


@transaction.atomic
def reviews_assign_balanced(*, call: Call, actor: User) -> int:
    """Give each formally accepted application the evaluators it still needs, picking
    those with the fewest reviews in the call (ties by id)."""
    if Role.OFFICIAL not in actor.roles_in(call.organisation_id):
        raise NotPermitted()
    load = {
        user.pk: user.load
        for user in _evaluators_of(call.organisation_id).annotate(
            load=Count(
                "grant_reviews",
                filter=Q(grant_reviews__application__call=call)
                & ~Q(grant_reviews__state=ReviewState.DECLINED),
            )
        )
    }
    created = 0
    applications = call.applications.filter(
        state=ApplicationState.FORMALLY_ACCEPTED
    ).prefetch_related("reviews")
    for application in applications:
        taken = {r.evaluator_id for r in application.reviews.all()}
        active = [r for r in application.reviews.all() if r.state != ReviewState.DECLINED]
        needed = _required_reviews(application) - len(active)
        candidates = sorted(
            (pk for pk in load if pk not in taken and pk != application.applicant_id),
            key=lambda pk: (load[pk], pk),
        )
        for pk in candidates[: max(needed, 0)]:
            _tell_evaluator(
                Review.objects.select_related("evaluator", "application").get(
                    pk=Review.objects.create(application=application, evaluator_id=pk).pk
                )
            )
            load[pk] += 1
            created += 1
    return created


@transaction.atomic
def review_score(*, review: Review, actor: User, scores: list[dict]) -> Review:
    """Save an evaluator's points and justifications (before the review is submitted)."""
    if review.evaluator_id != actor.pk:
        raise NotPermitted(_("Only the assigned evaluator may score."))
    if review.state != ReviewState.DECLARED:
        raise GuardRefused(
            _("Sign the impartiality declaration first; a submitted review is locked.")
        )
    criteria = {c.pk: c for c in review.application.call.criteria.all()}
    errors = {}
    rows = []
    for i, score in enumerate(scores):
        criterion = criteria.get(int(score.get("criterion", 0)))
        if criterion is None:
            errors[f"scores[{i}].criterion"] = [_("Unknown criterion.")]
            continue
        try:
            points = Decimal(str(score.get("points")))
        except ArithmeticError:
            errors[f"scores[{i}].points"] = [_("Enter a number.")]
            continue
        if not ZERO <= points <= criterion.max_points:
            errors[f"scores[{i}].points"] = [
                _("Give between 0 and %(max)d points.") % {"max": criterion.max_points}
            ]
        if not str(score.get("justification", "")).strip():
            errors[f"scores[{i}].justification"] = [_("Justify the score.")]
        rows.append((criterion, points, str(score.get("justification", "")).strip()))
    if errors:
        raise InvalidInput(field_errors=errors)
    for criterion, points, justification in rows:
        Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={"points": points, "justification": justification},
        )
    return review


def review_problem(review: Review) -> str | None:
    scored = {s.criterion_id for s in review.scores.all()}
    missing = [c.name for c in review.application.call.criteria.all() if c.pk not in scored]
    if missing:
        return _("Score every criterion first: %(missing)s.") % {"missing": ", ".join(missing)}
    return None


def review_finalise(review: Review) -> None:
    """Inside the review's submit transition: lock the total and flag a score gap."""
    review.total = sum((s.points for s in review.scores.all()), ZERO)
    review.submitted_at = timezone.now()
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=review.application_id)
    )
    totals = [
        r.total
        for r in application.reviews.filter(state=ReviewState.SUBMITTED).exclude(pk=review.pk)
    ] + [review.total]
    gap = max(totals) - min(totals)
    if (
        len(totals) >= application.call.evaluators_per_application
        and gap > application.call.score_gap
        and not application.needs_third_evaluator
    ):
        application.needs_third_evaluator = True
        application.save(update_fields=["needs_third_evaluator"])


def _required_reviews(application: Application) -> int:
    return application.call.evaluators_per_application + (
        1 if application.needs_third_evaluator else 0
    )


def evaluation_problem(application: Application) -> str | None:
    reviews = list(application.reviews.all())
    submitted = [r for r in reviews if r.state == ReviewState.SUBMITTED]
    pending = [r for r in reviews if r.state in (ReviewState.ASSIGNED, ReviewState.DECLARED)]
    required = _required_reviews(application)
    if pending or len(submitted) < required:
        message = _("%(done)d of %(required)d reviews are in.") % {
            "done": len(submitted),
            "required": required,
        }
        if application.needs_third_evaluator:
            message += " " + _("The scores differ too much: a third evaluator is needed.")
        return message
    return None


def review_average(application: Application) -> Decimal:
    totals = [r.total for r in application.reviews.filter(state=ReviewState.SUBMITTED)]
    return money(sum(totals, ZERO) / len(totals)) if totals else ZERO


def evaluation_close_if_complete(*, review_id: int) -> None:
    """After a review is submitted: close the application's evaluation when it was the
    last one needed (the system acts)."""
    application = Application.objects.get(reviews__pk=review_id)
    if (
        application.state == ApplicationState.FORMALLY_ACCEPTED
        and evaluation_problem(application) is None
    ):
        transition_apply(obj=application, name="complete_evaluation", actor=None)


# Decisions --------------------------------------------------------------------------


def fundability_problem(application: Application) -> str | None:
    call = application.call
    if application.state == ApplicationState.PUBLISHED_FOR_COMMENT:
        ends = application.published_at + datetime.timedelta(days=call.comment_period_days)
        if timezone.now() < ends:
            return _("The public comment period runs until %(when)s.") % {
                "when": timezone.localtime(ends).strftime("%d.%m.%Y %H:%M")
            }
        return None
    if application.average_score is not None and application.average_score < call.min_average_score:
        return _("The average score %(score)s is under the call's minimum of %(min)s.") % {
            "score": application.average_score,
            "min": call.min_average_score,
        }
    return None


def pool_committed(call: Call) -> Decimal:
    """What the call's pool is committed to: the approved amounts, less what came back
    after settlement (unused or misused money returned), so that a freed amount can go
    to the reserve list."""
    approved = (
        call.applications.filter(state__in=APPROVED_STATES).aggregate(total=Sum("approved_amount"))[
            "total"
        ]
        or ZERO
    )
    returned = (
        Return.objects.filter(
            agreement__application__call=call, returned_on__isnull=False
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return approved - returned


def pool_reserve(application: Application, amount: Decimal) -> None:
    """Inside the approve transition: with the call locked, make sure the approved sum
    stays within the pool (and the budget plan line, ``finance.services.budget.budget_check``),
    so officials deciding at once cannot overspend it."""
    if amount > application.requested_amount:
        raise InvalidInput(
            field_errors={
                "amount": [
                    _("At most the amount requested: %(requested)s.")
                    % {"requested": format_amount(application.requested_amount)}
                ]
            }
        )
    call = Call.objects.select_for_update().get(pk=application.call_id)
    committed = pool_committed(call)
    if committed + amount > call.pool:
        raise GuardRefused(
            _("The pool of %(pool)s has %(left)s left; %(amount)s does not fit.")
            % {
                "pool": format_amount(call.pool),
                "left": format_amount(call.pool - committed),
                "amount": format_amount(amount),
            }
        )
    problem = yearly_cap_problem(application, amount)
    if problem:
        raise GuardRefused(problem)
    budget_check(
        organisation_id=call.organisation_id,
        year=call.year,
        classification=call.classification,
        amount=amount,
    )


def award_proposals(call: Call) -> list[tuple[Application, Decimal]]:
    """Down the ranking until the pool runs out; the last may get a reduced amount."""
    from .selectors import ranking

    left = call.pool - pool_committed(call)
    proposals = []
    for application in ranking(call):
        if application.state != ApplicationState.EVALUATED:
            continue
        if (
            application.average_score is not None
            and application.average_score < call.min_average_score
        ):
            continue
        if left <= ZERO:
            break
        amount = min(application.requested_amount, left)
        proposals.append((application, amount))
        left -= amount
    return proposals


# 19a public comments ----------------------------------------------------------------


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


def publication_is_late(application: Application) -> bool:
    """Art. 19a ust. 3: the offer is published within 7 working days of receipt."""
    if not (application.published_at and application.submitted_at):
        return False
    received = timezone.localdate(application.submitted_at)
    return timezone.localdate(application.published_at) > add_working_days(received, 7)


# Agreements -------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    application: Application,
    actor: User,
    tranches: list[tuple[Decimal, datetime.date]],
    spending_deadline: datetime.date,
) -> Agreement:
    call = application.call
    if Role.OFFICIAL not in actor.roles_in(call.organisation_id):
        raise NotPermitted()
    if application.state != ApplicationState.APPROVED:
        raise GuardRefused(_("An agreement is made from an approved application."))
    errors = {}
    if sum((money(a) for a, _d in tranches), ZERO) != application.approved_amount:
        errors["tranches"] = [
            _("The tranches must add up to the amount granted: %(amount)s.")
            % {"amount": format_amount(application.approved_amount)}
        ]
    if spending_deadline > datetime.date(call.year, 12, 31):
        errors["spending_deadline"] = [
            _("The money must be used by 31 December %(year)d (art. 221 u.f.p.).")
            % {"year": call.year}
        ]
    if errors:
        raise InvalidInput(field_errors=errors)
    end = application.end_date or spending_deadline
    agreement = Agreement.objects.create(
        application=application,
        organisation_id=call.organisation_id,
        number=f"U/{application.number}",
        amount=application.approved_amount,
        spending_deadline=spending_deadline,
        report_deadline=end + datetime.timedelta(days=call.report_deadline_days),
    )
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, amount=money(amount), due_date=due) for amount, due in tranches
    )
    return agreement


def tranches_order_payment(agreement: Agreement, *, actor: User) -> None:
    """Inside the sign transition: each tranche becomes a payment order."""
    application = agreement.application
    for number, tranche in enumerate(agreement.tranches.all(), start=1):
        tranche.payment_order = payment_order_create(
            organisation=agreement.organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE,
            source=tranche,
            beneficiary_name=application.applicant_name,
            beneficiary_address=application.address,
            account_number=application.account_number,
            title=_("Grant %(number)s, tranche %(n)d") % {"number": agreement.number, "n": number},
            amount=tranche.amount,
            due_date=tranche.due_date,
            classification=application.call.classification,
            actor=actor,
        )
        tranche.save(update_fields=["payment_order"])


# Reports and settlement -------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    agreement: Agreement,
    actor: User,
    narrative: str,
    volunteer_hours: Decimal = ZERO,
    achieved: dict[int, Decimal] | None = None,
    expenses: list[dict] | None = None,
) -> Report:
    """Create or update the grantee's final report while it is editable."""
    if agreement.application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the grantee writes the report."))
    report, _created = Report.objects.get_or_create(agreement=agreement)
    if report.state not in (ReportState.DRAFT, ReportState.CORRECTIONS_REQUESTED):
        raise GuardRefused(_("The report can no longer be changed."))
    report.narrative = narrative
    report.volunteer_hours = volunteer_hours
    report.save(update_fields=["narrative", "volunteer_hours"])
    indicators = {i.pk: i for i in agreement.application.indicators.all()}
    for indicator_id, value in (achieved or {}).items():
        indicator = indicators.get(int(indicator_id))
        if indicator is not None:
            indicator.achieved = value
            indicator.save(update_fields=["achieved"])
    if expenses is not None:
        lines = set(agreement.application.budget_lines.values_list("pk", flat=True))
        errors = {}
        rows = []
        for i, row in enumerate(expenses):
            expense = Expense(report=report, **row)
            if expense.budget_line_id not in lines:
                errors[f"expenses[{i}].budget_line"] = [_("Choose a line of the budget.")]
            if expense.from_grant > expense.amount:
                errors[f"expenses[{i}].from_grant"] = [
                    _("The part from the grant cannot exceed the amount.")
                ]
            rows.append(expense)
        if errors:
            raise InvalidInput(field_errors=errors)
        report.expenses.all().delete()
        Expense.objects.bulk_create(rows)
    return report


@transaction.atomic
def expense_mark_ineligible(*, expense: Expense, actor: User, reason: str) -> Expense:
    report = expense.report
    if Role.OFFICIAL not in actor.roles_in(report.workflow_organisation_id):
        raise NotPermitted()
    if report.state != ReportState.UNDER_REVIEW:
        raise GuardRefused(_("Expenses are judged while the report is under review."))
    before = snapshot(expense, ["eligible", "ineligible_reason"])
    expense.eligible = False
    expense.ineligible_reason = reason
    expense.save(update_fields=["eligible", "ineligible_reason"])
    audit_record(
        obj=expense,
        actor=actor,
        action="expense_mark_ineligible",
        before=before,
        after=snapshot(expense, ["eligible", "ineligible_reason"]),
    )
    return expense


def amount_paid(agreement: Agreement) -> tuple[Decimal, datetime.date | None]:
    """What was transferred to the grantee, and the date of the first transfer."""
    orders = PaymentOrder.objects.filter(tranche__agreement=agreement, state="paid")
    paid = orders.aggregate(total=Sum("amount"))["total"] or ZERO
    first = orders.order_by("paid_on").values_list("paid_on", flat=True).first()
    return paid, first


def settlement_compute(agreement: Agreement, *, finding_date: datetime.date) -> None:
    """Inside the settle transition: unused money (paid minus grant spending) is due
    on the art. 251 deadline (``unused_return_deadline``); money spent on ineligible expenses
    is due 15 days after the finding, with interest from the day of the transfer
    (art. 252)."""
    paid, first_transfer = amount_paid(agreement)
    expenses = list(agreement.report.expenses.all())
    spent = sum((e.from_grant for e in expenses), ZERO)
    misused = sum((e.from_grant for e in expenses if not e.eligible), ZERO)
    unused = paid - spent
    returns = []
    if unused > ZERO:
        deadline = unused_return_deadline(agreement.spending_deadline)
        returns.append(
            Return(
                agreement=agreement,
                kind=Return.Kind.UNUSED,
                amount=unused,
                deadline=deadline,
                interest_from=deadline + datetime.timedelta(days=1),
            )
        )
    if misused > ZERO:
        returns.append(
            Return(
                agreement=agreement,
                kind=Return.Kind.MISUSED,
                amount=misused,
                deadline=finding_date + datetime.timedelta(days=RETURN_DAYS),
                interest_from=first_transfer or finding_date,
            )
        )
    Return.objects.bulk_create(returns)


def interest_compute(amount: Decimal, start: datetime.date, end: datetime.date) -> Decimal:
    """Interest on ``amount`` for each day from ``start`` to ``end`` inclusive at the
    rate in force that day (annual rate / 365 days), rounded to the grosz."""
    if end < start:
        return ZERO
    rates = list(InterestRate.objects.filter(valid_from__lte=end).order_by("valid_from"))
    if not rates or rates[0].valid_from > start:
        raise GuardRefused(_("No interest rate is recorded for %(day)s.") % {"day": start})
    total = Decimal(0)
    for i, rate in enumerate(rates):
        period_start = max(start, rate.valid_from)
        period_end = (
            end
            if i + 1 == len(rates)
            else min(end, rates[i + 1].valid_from - datetime.timedelta(days=1))
        )
        if period_end < period_start:
            continue
        days = (period_end - period_start).days + 1
        total += amount * rate.annual_rate * days / Decimal(36500)
    return money(total)


@transaction.atomic
def return_record(*, ret: Return, actor: User, returned_on: datetime.date) -> Return:
    """Record the day the money came back; the interest is computed to that day."""
    if Role.OFFICIAL not in actor.roles_in(ret.agreement.organisation_id):
        raise NotPermitted()
    problem = paid_on_problem(returned_on)
    if problem:
        raise InvalidInput(field_errors={"returned_on": [problem]})
    ret = Return.objects.select_for_update().get(pk=ret.pk)
    if ret.returned_on is not None:
        # A second recording would silently overwrite the first (and its interest);
        # the first one stands, as recorded in the audit trail.
        raise Conflict(
            _(
                "This return was already recorded as made on %(day)s; a recorded return "
                "cannot be recorded again."
            )
            % {"day": ret.returned_on.strftime("%d.%m.%Y")}
        )
    if ret.kind == Return.Kind.UNUSED and returned_on <= ret.deadline:
        interest = ZERO
    else:
        interest = interest_compute(ret.amount, ret.interest_from, returned_on)
    ret.returned_on = returned_on
    ret.interest = interest
    ret.save(update_fields=["returned_on", "interest"])
    audit_record(
        obj=ret,
        actor=actor,
        action="return_record",
        before={"returned_on": None, "interest": None},
        after=snapshot(ret, ["returned_on", "interest"]),
    )
    return ret


def returns_problem(agreement: Agreement) -> str | None:
    open_returns = [r for r in agreement.returns.all() if r.returned_on is None]
    if open_returns:
        return _("%(n)d return(s) are not recorded yet.") % {"n": len(open_returns)}
    return None


# Changes during implementation ------------------------------------------------------


@transaction.atomic
def change_request_submit(
    *, agreement: Agreement, actor: User, description: str, shifts: dict[int, Decimal]
) -> ChangeRequest:
    """The grantee asks to move grant money between budget lines (line id -> new amount
    from the grant). Within the call's tolerance of every line it needs no annex."""
    application = agreement.application
    if application.applicant_id != actor.pk:
        raise NotPermitted(_("Only the grantee asks for changes."))
    if agreement.state != "in_implementation":
        raise GuardRefused(_("Changes are asked for during implementation."))
    lines = {line.pk: line for line in application.budget_lines.all()}
    errors = {}
    if set(shifts) - set(lines):
        errors["shifts"] = [_("Choose lines of the budget.")]
    new_total = sum((money(shifts.get(pk, line.from_grant)) for pk, line in lines.items()), ZERO)
    if new_total != sum((line.from_grant for line in lines.values()), ZERO):
        errors["shifts"] = [_("Moving money between lines must not change the grant's total.")]
    if not errors:
        errors = _negative_sources(lines, shifts)
    if errors:
        raise InvalidInput(field_errors=errors)
    tolerance = application.call.budget_shift_tolerance
    needs_annex = any(
        abs(money(amount) - lines[pk].from_grant) > money(lines[pk].from_grant * tolerance)
        for pk, amount in shifts.items()
    )
    return ChangeRequest.objects.create(
        agreement=agreement,
        description=description,
        needs_annex=needs_annex,
        shifts={str(pk): str(money(amount)) for pk, amount in shifts.items()},
    )


def _negative_sources(lines: dict, shifts: dict) -> dict[str, list[str]]:
    """No source of a budget line may go below zero: the grant part is at least 0 and
    the line's own money, which takes what the grant no longer covers, too."""
    problems = []
    for pk, amount in shifts.items():
        line = lines[int(pk)]
        from_grant = money(amount)
        own_money = line.own_money + line.from_grant - from_grant
        if from_grant < ZERO or own_money < ZERO:
            problems.append(
                _(
                    "The line “%(line)s” costs %(total)s: with %(grant)s from the grant its "
                    "own money would be %(own)s. No source of a line may be negative."
                )
                % {
                    "line": line.description,
                    "total": format_amount(line.total),
                    "grant": format_amount(from_grant),
                    "own": format_amount(own_money),
                }
            )
    return {"shifts": problems} if problems else {}


@transaction.atomic
def change_request_approve(*, change: ChangeRequest, actor: User) -> ChangeRequest:
    """An official approves a change: the budget lines move; a change beyond the
    tolerance also makes an annex, i.e. a new version of the agreement document."""
    agreement = change.agreement
    if Role.OFFICIAL not in actor.roles_in(agreement.organisation_id):
        raise NotPermitted()
    if change.approved_at is not None:
        raise GuardRefused(_("This change is already approved."))
    lines = {line.pk: line for line in agreement.application.budget_lines.all()}
    errors = _negative_sources(lines, change.shifts)
    if errors:
        raise InvalidInput(field_errors=errors)
    for pk, amount in change.shifts.items():
        line = lines[int(pk)]
        line.own_money += line.from_grant - Decimal(amount)
        line.from_grant = Decimal(amount)
        line.save(update_fields=["from_grant", "own_money"])
    change.approved_by = actor
    change.approved_at = timezone.now()
    change.save(update_fields=["approved_by", "approved_at"])
    if change.needs_annex:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.version += 1
        agreement.save(update_fields=["version"])
        change.annex_number = agreement.version - 1
        change.save(update_fields=["annex_number"])
        _render_annex(agreement, actor.pk)
    return change


def _render_annex(agreement: Agreement, actor_id: int) -> None:
    """Ask for the annex, a document of its own kind, number and title, with the data
    of this transaction."""
    document_render_later(
        owner=agreement,
        kind="annex",
        template_name=ANNEX_TEMPLATE,
        context_builder=ANNEX_CONTEXT,
        actor_id=actor_id,
    )
