"""Every write of payment batches (paczki przelewów).

Vocabulary: a *batch* gathers *items*; an item is one payment order with its amount
when it was added and, once the bank has answered, its *outcome*: pending, paid (with
the bank's date), rejected (with the bank's reason: the order goes back to the queue
of unpaid orders and a later batch pays it) or removed (taken out of a draft, or its
batch cancelled). The *queue* is the organisation's orders still to be paid and in no
batch (state "ordered").

State changes of batches and orders go through ``transition_apply``; the rows a batch
transition brings along (items, its orders' transitions, the bank file) are written
here, by the helpers the transition bodies call. The orders' batch transitions are
``system_only``: run here with ``system=True``, the only place they are allowed.

Locking: a batch's row is locked for every change of its items, each order's row is
locked before it joins a batch (in id order, so two batches taking overlapping orders
cannot deadlock), and the partial unique constraint ``order_in_one_live_batch`` stands
behind the locks: two batches never both take an order, and no order is paid twice.
Batch numbers (``P/2026/0001``) are gapless per organisation and year, drawn with the
organisation's row locked (SQLite, in the embedded mode, locks the whole database for
a write anyway).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from accounts.permissions import role_require
from workflows import timers
from workflows.audit import audit_record
from workflows.engine import transition_apply
from workflows.errors import Conflict, InvalidInput
from workflows.processes import offering

from .. import elixir
from ..batch_files import Download, batch_download_build
from ..models import BankAccount, BatchItem, Export, PaymentBatch, PaymentOrder
from ..validators import paid_on_problem
from ..workflow import BatchState, PaymentState

PENDING = BatchItem.Outcome.PENDING


@dataclass(frozen=True)
class ItemResult:
    """The bank's answer about one transfer: paid on a date, or rejected with a reason."""

    item_id: int
    outcome: str  # "paid" or "rejected"
    paid_on: datetime.date | None = None
    reason: str = ""


def _locked(batch: PaymentBatch) -> PaymentBatch:
    return (
        PaymentBatch.objects.select_for_update(of=("self",))
        .select_related("organisation", "account")
        .get(pk=batch.pk)
    )


def _require_draft(batch: PaymentBatch) -> None:
    if batch.state != BatchState.DRAFT:
        raise Conflict(
            _("Only a draft batch can be changed; batch %(number)s is %(state)s.")
            % {"number": batch.number, "state": batch.state_label}
        )


def _date_checked(execution_date: datetime.date) -> datetime.date:
    if execution_date < timezone.localdate():
        raise InvalidInput(
            field_errors={"execution_date": [_("The execution date cannot be in the past.")]}
        )
    return execution_date


# Bank accounts ----------------------------------------------------------------------


@transaction.atomic
def bank_account_create(
    *, organisation: Organisation, name: str, number: str, actor: User | None = None
) -> BankAccount:
    """Register an account transfers leave from (a batch's debit account); the number
    may be typed with spaces (as banks print it) and is kept as 26 digits. A person
    (``actor``) must be finance or an administrator of the organisation; the system
    (demo data, a command) passes none."""
    if actor is not None:
        role_require(actor, organisation.pk, Role.FINANCE, Role.ORG_ADMIN)
    number = "".join(number.split())
    account = BankAccount(organisation=organisation, name=name.strip(), number=number)
    try:
        account.full_clean()
    except ValidationError as exc:
        raise InvalidInput(
            field_errors={k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        ) from None
    account.save()
    audit_record(
        obj=account,
        actor=actor,
        action="bank_account_create",
        after={"name": name, "number": number},
    )
    return account


@transaction.atomic
def bank_account_set_active(*, account: BankAccount, active: bool, actor: User) -> BankAccount:
    """Stop offering an account for new batches, or offer it again; batches already made
    keep theirs. Only finance and the organisation's administrators."""
    role_require(actor, account.organisation_id, Role.FINANCE, Role.ORG_ADMIN)
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    if account.active != active:
        account.active = active
        account.save(update_fields=["active"])
        audit_record(
            obj=account,
            actor=actor,
            action="bank_account_activate" if active else "bank_account_deactivate",
            before={"active": not active},
            after={"active": active},
        )
    return account


# Batches ----------------------------------------------------------------------------


def _next_number(organisation_id: int, year: int) -> str:
    """The next number of the organisation's year; the lock is held until commit, so
    two batches created at once get consecutive numbers. The organisation row is locked
    FOR NO KEY UPDATE: it excludes the next batch's lock, but not the FOR KEY SHARE that
    inserting a row referencing the organisation takes, so new purchases, calls,
    payment orders and suppliers of the municipality do not wait for the batch."""
    Organisation.objects.select_for_update(no_key=True).filter(pk=organisation_id).first()
    prefix = f"P/{year}/"
    taken = PaymentBatch.objects.filter(
        organisation_id=organisation_id, number__startswith=prefix
    ).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def batch_create(
    *,
    organisation: Organisation,
    actor,
    account: BankAccount,
    execution_date: datetime.date,
    orders: list[PaymentOrder] | tuple = (),
    note: str = "",
) -> PaymentBatch:
    """A draft batch paid from ``account`` on ``execution_date``, with ``orders``."""
    role_require(actor, organisation.pk, Role.FINANCE)
    if account.organisation_id != organisation.pk or not account.active:
        raise InvalidInput(
            field_errors={"account": [_("Choose an active bank account of your organisation.")]}
        )
    _date_checked(execution_date)
    batch = PaymentBatch(
        organisation=organisation,
        number=_next_number(organisation.pk, timezone.localdate().year),
        account=account,
        execution_date=execution_date,
        note=note,
        created_by=actor,
    )
    batch.save()
    timers.schedule(batch)  # born a draft, where the execution date runs
    if orders:
        batch_items_add(batch=batch, actor=actor, orders=orders)
    return batch


@transaction.atomic
def batch_update(
    *,
    batch: PaymentBatch,
    actor,
    execution_date: datetime.date | None = None,
    note: str | None = None,
) -> PaymentBatch:
    """Change a draft's execution date or note."""
    batch = _locked(batch)
    role_require(actor, batch.organisation_id, Role.FINANCE)
    _require_draft(batch)
    fields = []
    if execution_date is not None:
        batch.execution_date = _date_checked(execution_date)
        fields.append("execution_date")
    if note is not None:
        batch.note = note
        fields.append("note")
    if fields:
        batch.save(update_fields=fields)
        timers.schedule(batch)
    return batch


@transaction.atomic
def batch_items_add(*, batch: PaymentBatch, actor, orders) -> list[BatchItem]:
    """Put unpaid orders into a draft batch, all or none."""
    batch = _locked(batch)
    role_require(actor, batch.organisation_id, Role.FINANCE)
    _require_draft(batch)
    ids = sorted({getattr(order, "pk", order) for order in orders})
    locked = {
        order.pk: order
        for order in PaymentOrder.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    items = []
    for order_id in ids:
        order = locked.get(order_id)
        if order is None or order.organisation_id != batch.organisation_id:
            raise InvalidInput(
                field_errors={
                    "orders": [
                        _("Payment order %(id)s is not one of the organisation's orders.")
                        % {"id": order_id}
                    ]
                }
            )
        if order.state != PaymentState.ORDERED:
            raise Conflict(_not_addable(order))
        try:
            with transaction.atomic():
                item = BatchItem.objects.create(
                    batch=batch, order=order, amount=order.amount, added_by=actor
                )
        except IntegrityError:
            raise Conflict(_not_addable(order)) from None
        transition_apply(
            obj=order,
            name="include_in_batch",
            actor=actor,
            payload={"comment": _("Batch %(number)s") % {"number": batch.number}},
            system=True,
        )
        items.append(item)
    return items


def _not_addable(order: PaymentOrder) -> str:
    live = (
        BatchItem.objects.filter(order=order, outcome__in=["pending", "paid"])
        .select_related("batch")
        .first()
    )
    where = _(" (batch %(number)s)") % {"number": live.batch.number} if live else ""
    return _(
        "The payment order “%(title)s” for %(beneficiary)s cannot be added: it is "
        "%(state)s%(where)s. Only orders waiting in the queue can be."
    ) % {
        "title": order.title,
        "beneficiary": order.beneficiary_name,
        "state": order.state_label,
        "where": where,
    }


@transaction.atomic
def batch_item_remove(*, item: BatchItem, actor) -> BatchItem:
    """Take an order out of a draft batch; it goes back to the queue."""
    batch = _locked(item.batch)
    role_require(actor, batch.organisation_id, Role.FINANCE)
    _require_draft(batch)
    item = BatchItem.objects.select_for_update().select_related("order").get(pk=item.pk)
    if item.batch_id != batch.pk or item.outcome != PENDING:
        raise Conflict(_("This order is no longer in the batch."))
    _item_release(item, actor, _("Removed from batch %(number)s") % {"number": batch.number})
    return item


def _item_release(item: BatchItem, actor, comment: str) -> None:
    item.outcome = BatchItem.Outcome.REMOVED
    item.save(update_fields=["outcome"])
    transition_apply(
        obj=item.order, name="release", actor=actor, payload={"comment": comment}, system=True
    )


# The bank's results -------------------------------------------------------------------


def _order_paid(order: PaymentOrder, actor) -> None:
    """Tell the processes (their ``order_paid`` hook) that the order is paid."""
    for order_paid in offering("order_paid"):
        order_paid(order, actor)


def _item_pay(item: BatchItem, actor, paid_on: datetime.date, comment: str) -> None:
    item.outcome = BatchItem.Outcome.PAID
    item.paid_on = paid_on
    item.save(update_fields=["outcome", "paid_on"])
    order = transition_apply(
        obj=item.order,
        name="confirm_paid",
        actor=actor,
        payload={"paid_on": paid_on, "comment": comment},
        system=True,
    )
    _order_paid(order, actor)


def _item_reject(item: BatchItem, actor, reason: str, comment: str) -> None:
    item.outcome = BatchItem.Outcome.REJECTED
    item.rejection_reason = reason
    item.save(update_fields=["outcome", "rejection_reason"])
    transition_apply(
        obj=item.order,
        name="reject",
        actor=actor,
        payload={"reason": reason, "comment": comment},
        system=True,
    )


def _check_result(index: int, result: ItemResult) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if result.outcome == BatchItem.Outcome.PAID:
        if result.paid_on is None:
            errors[f"results.{index}.paid_on"] = [_("Give the date the bank paid it.")]
        elif problem := paid_on_problem(result.paid_on):
            errors[f"results.{index}.paid_on"] = [problem]
    elif result.outcome == BatchItem.Outcome.REJECTED:
        if not result.reason.strip():
            errors[f"results.{index}.reason"] = [_("Give the bank's reason for the rejection.")]
    else:
        errors[f"results.{index}.outcome"] = [_("Choose paid or rejected.")]
    return errors


@transaction.atomic
def batch_results_record(*, batch: PaymentBatch, actor, results: list[ItemResult]) -> PaymentBatch:
    """Record what the bank did with some transfers of an exported batch, all or none.
    When no transfer is pending any more, the batch is closed as paid."""
    batch = _locked(batch)
    role_require(actor, batch.organisation_id, Role.FINANCE)
    if batch.state != BatchState.EXPORTED:
        raise Conflict(
            _(
                "Results are recorded for a batch exported to the bank; "
                "batch %(number)s is %(state)s."
            )
            % {"number": batch.number, "state": batch.state_label}
        )
    errors: dict[str, list[str]] = {}
    for index, result in enumerate(results):
        errors.update(_check_result(index, result))
    if not results:
        errors["results"] = [_("Record the result of at least one transfer.")]
    if errors:
        raise InvalidInput(field_errors=errors)
    items = {
        item.pk: item
        for item in BatchItem.objects.select_for_update(of=("self",))
        .select_related("order")
        .filter(batch=batch, pk__in=[r.item_id for r in results])
    }
    comment = _("Batch %(number)s") % {"number": batch.number}
    for result in results:
        item = items.get(result.item_id)
        if item is None or item.outcome != PENDING:
            raise Conflict(
                _("Transfer %(id)s of batch %(number)s has no pending result to record.")
                % {"id": result.item_id, "number": batch.number}
            )
        if result.outcome == BatchItem.Outcome.PAID:
            _item_pay(item, actor, result.paid_on, comment)
        else:
            _item_reject(item, actor, result.reason.strip(), comment)
    if not batch.items.filter(outcome=PENDING).exists():
        batch = transition_apply(obj=batch, name="settle", actor=actor)
    return batch


# Called by the batch's transition bodies (finance.workflow) --------------------------


def batch_file_store(*, batch: PaymentBatch, actor) -> None:
    """Build the Elixir-O file of the batch's transfers and keep it on the batch, so
    that every later download gives the same bytes."""
    content = elixir.file_bytes(elixir.batch_transfers(batch))
    batch.file_name = f"przelewy-{batch.number.replace('/', '-')}.txt"
    batch.file_content = content
    batch.file_sha256 = hashlib.sha256(content).hexdigest()
    batch.exported_by = actor
    batch.exported_at = timezone.now()


def pending_items_pay(*, batch: PaymentBatch, actor, paid_on: datetime.date) -> None:
    comment = _("Batch %(number)s, paid on %(date)s") % {
        "number": batch.number,
        "date": date_format(paid_on, "j E Y"),
    }
    for item in _pending(batch):
        _item_pay(item, actor, paid_on, comment)


def pending_items_release(*, batch: PaymentBatch, actor) -> None:
    comment = _("Batch %(number)s cancelled") % {"number": batch.number}
    for item in _pending(batch):
        _item_release(item, actor, comment)


def _pending(batch: PaymentBatch):
    return (
        BatchItem.objects.select_for_update(of=("self",))
        .select_related("order")
        .filter(batch=batch, outcome=PENDING)
        .order_by("order_id")
    )


# Exports ------------------------------------------------------------------------------


@transaction.atomic
def batch_download(*, batch: PaymentBatch, actor, format: str) -> Download | None:
    """A file of the batch for ``actor`` (Elixir-O as exported, CSV or XLSX), logged;
    ``None`` when the batch has no bank file yet."""
    download = batch_download_build(batch, format)
    if download is not None:
        batch_export_log(batch=batch, actor=actor, format=format, rows_total=download.rows)
    return download


@transaction.atomic
def batch_export_log(*, batch: PaymentBatch, actor, format: str, rows_total: int) -> Export:
    """Record that ``actor`` took a file of the batch (Elixir-O, CSV or XLSX)."""
    now = timezone.now()
    return Export.objects.create(
        kind=Export.Kind.BATCH,
        format=format,
        user=actor,
        organisation_id=batch.organisation_id,
        filters={"batch": batch.pk},
        status=Export.Status.DONE,
        rows_total=rows_total,
        rows_done=rows_total,
        finished_at=now,
    )
