"""Applications (wnioski) while the applicant writes them, and their submission:
saving a draft, attachments, and numbering on submit."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from attachments.models import Attachment
from attachments.services import attachment_add
from workflows.errors import GuardRefused, InvalidInput, NotPermitted
from workflows.outbox import outbox_write_pending
from workflows.versioning import version_bump, version_check

from ..models import (
    ZERO,
    Activity,
    Application,
    BudgetLine,
    Call,
    GroupMember,
    Indicator,
)
from ..models.applications import OFFER_FIELDS
from ..rules import application_rule_errors
from ..workflow import (
    EDITABLE_STATES,
    ApplicationState,
)

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
    "municipality",
    "start_date",
    "end_date",
    "summary",
    "goals",
    "beneficiaries",
    "expected_results",
    "volunteer_hours",
    "volunteer_rate",
    *OFFER_FIELDS,
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
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    _ensure_editable(application, actor)
    version_check(application, expected_version)
    fields = {k: v for k, v in (fields or {}).items() if k in DRAFT_FIELDS}
    errors: dict[str, list[str]] = {}
    if "municipality" in fields:
        _municipality_of_call(application.call, fields, errors)
    for name, value in fields.items():
        setattr(application, name, value)
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
    built = {
        name: _draft_rows_build(application, name, model, rows, errors)
        for name, rows, model in children
        if rows is not None
    }
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


def _municipality_of_call(call: Call, fields: dict, errors: dict) -> None:
    """The municipality of the initiative as given (an organisation, its id or empty)
    becomes one of the metropolis's members in a metropolis-wide call, or is refused
    at the field."""
    value = fields["municipality"]
    if value in (None, ""):
        fields["municipality"] = None
        return
    pk = getattr(value, "pk", value)
    municipality = None
    if isinstance(pk, int) or (isinstance(pk, str) and pk.isdigit()):
        municipality = call.member_municipalities().filter(pk=int(pk)).first()
    if municipality is None:
        errors["municipality"] = [_("Choose one of the metropolis's member municipalities.")]
        del fields["municipality"]
    else:
        fields["municipality"] = municipality


def _draft_rows_build(application: Application, name: str, model, rows: list[dict], errors) -> list:
    """The unsaved rows of one list of a draft (members, budget lines...); each row's
    shape errors go into ``errors`` as ``name[i].field``."""
    built = []
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
        built.append(obj)
    return built


def application_recompute_totals(application: Application) -> None:
    lines = list(application.budget_lines.all())
    application.total_cost = sum((line.total for line in lines), ZERO)
    application.requested_amount = sum((line.from_grant for line in lines), ZERO)
    application.own_money = sum((line.own_money for line in lines), ZERO)
    application.own_in_kind = sum((line.own_in_kind for line in lines), ZERO)
    application.save(update_fields=["total_cost", "requested_amount", "own_money", "own_in_kind"])


def application_attach(*, application: Application, actor: User, upload) -> Attachment:
    """Attach a file to the application (the attachments app checks and stores it); an
    answer to a correction request is marked as such."""
    purpose = (
        Attachment.Purpose.CORRECTION
        if application.state == ApplicationState.CORRECTIONS_REQUESTED
        else Attachment.Purpose.GENERAL
    )
    return attachment_add(owner=application, actor=actor, upload=upload, purpose=purpose)


def application_prepare_submission(application: Application) -> None:
    """Inside the submit transition: refuse with every field error. The number is
    taken later, by the submit's last effect (``application_number_take``)."""
    # The rules, the notification of the members, the document's context and the API's
    # answer each read the members and the lists: once, on the engine's instance that
    # all of them are given (#18).
    prefetch_related_objects(
        [application],
        *(
            Prefetch(name, queryset=_own_order(queryset))
            for name, queryset in [
                ("members", GroupMember.objects.all()),
                ("budget_lines", BudgetLine.objects.select_related("category")),
                ("activities", Activity.objects.all()),
                ("indicators", Indicator.objects.all()),
            ]
        ),
    )
    errors = application_rule_errors(application)
    if errors:
        raise InvalidInput(
            _("The application breaks the call's rules; nothing was submitted."),
            field_errors=errors,
        )
    application.submitted_at = timezone.now()


def _own_order(queryset):
    """The lists' model order without its leading ``application``: for one
    application's rows the same order, without joining the application and its call
    to sort by them (their ``Meta.ordering`` starts with ``application``)."""
    return queryset.order_by(
        *(field for field in queryset.model._meta.ordering if field != "application")
    )


def application_number_take(application: Application) -> bool:
    """The submit's last step: the call's next number, if the application has none.
    Taken after the notifications and the document's context are written (they read
    the number lazily), so that the call's counter row is locked only for the number
    itself and the commit (#18). Returns whether a number was taken."""
    if application.number:
        return False
    outbox_write_pending()  # the document and the e-mails, before the counter's lock
    if connection.vendor == "postgresql":
        application.sequence, application.number = _number_take_and_write(application)
        return True
    sequence, short_name, year, code = _take_number(application.call_id)
    application.sequence = sequence
    application.number = f"{short_name}/{year}/{code}/{sequence:04d}"
    Application.objects.filter(pk=application.pk).update(
        sequence=application.sequence, number=application.number
    )
    return True


# ``f"{short_name}/{year}/{code}/{sequence:04d}"`` in SQL (numbers from 10000 as they are).
_NUMBER_SQL = """
WITH taken AS (
    UPDATE {call} SET next_number = next_number + 1 WHERE id = %(call)s
    RETURNING next_number - 1 AS sequence, organisation_id, year, code
)
UPDATE {application} SET sequence = taken.sequence, number = concat_ws(
    '/', {organisation}.short_name, taken.year, taken.code,
    CASE WHEN taken.sequence < 10000 THEN lpad(taken.sequence::text, 4, '0')
    ELSE taken.sequence::text END
)
FROM taken JOIN {organisation} ON {organisation}.id = taken.organisation_id
WHERE {application}.id = %(id)s
RETURNING {application}.sequence, {application}.number
"""


def _number_take_and_write(application: Application) -> tuple[int, str]:
    """On PostgreSQL, the call's next number taken and written on the application in
    one statement (#18: two, and the call row locked from the first to the commit)."""
    sql = _NUMBER_SQL.format(
        call=Call._meta.db_table,
        application=Application._meta.db_table,
        organisation=Organisation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": application.pk, "call": application.call_id})
        sequence, number = cursor.fetchone()
    return sequence, number


def _take_number(call_id: int) -> tuple[int, str, int, str]:
    """The call's next number, taken in one statement (#18: it was a locking read and a
    save): the UPDATE holds the call row until the submit commits, as the
    ``FOR NO KEY UPDATE`` did, so numbers stay gapless and in order, and a new draft's
    foreign key (``KEY SHARE``) does not wait for it. Returns the number taken and what
    the application number is made of."""
    call = Call._meta.db_table
    organisation = Organisation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {call} SET next_number = next_number + 1 WHERE id = %s "  # noqa: S608
            f"RETURNING next_number - 1, (SELECT short_name FROM {organisation} "
            f"WHERE {organisation}.id = {call}.organisation_id), year, code",
            [call_id],
        )
        sequence, short_name, year, code = cursor.fetchone()
    return sequence, short_name, year, code
