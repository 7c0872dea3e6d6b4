"""Finance pages: the queue of unpaid orders, payment batches, their actions and files.

Every page works without JavaScript: the queue is a table of checkboxes posted with
the batch to fill; each action of a batch opens its own page (``transition_page``);
the bank's result of each transfer is a small form on its row.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.engine import history_for, transitions_for
from workflows.errors import Conflict, DomainError, InvalidInput, NotPermitted
from workflows.pagination import UncountedPage
from workflows.views import transition_page

from ..forms.batches import (
    BatchCreateForm,
    BatchFilterForm,
    BatchUpdateForm,
    QueueFilterForm,
    ResultForm,
)
from ..models import BatchItem, Export, PaymentBatch
from ..selectors import batches as selectors
from ..services import batches as services
from ..workflow import BatchState
from .home import finance_user_required


def _errors_to_form(form, exc: DomainError) -> None:
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


# The queue ----------------------------------------------------------------------------


def _queue(request):
    organisation_ids = selectors.finance_organisation_ids(request.user)
    form = QueueFilterForm(request.GET or None, organisation_ids=organisation_ids)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "due_by": data.get("due_by"),
            "organisation_id": data["organisation"].pk if data.get("organisation") else None,
            "account": data.get("beneficiary_account") or "",
            "kind": data.get("kind") or "",
        }
    return form, list(selectors.payment_queue(user=request.user, **filters))


@finance_user_required
def queue(request):
    """Unpaid orders in no batch; the checked ones go into a new or a draft batch."""
    filter_form, orders = _queue(request)
    drafts = list(selectors.draft_batches_for(user=request.user))
    accounts = list(selectors.bank_accounts_for(user=request.user))
    form = BatchCreateForm(request.POST or None, orders=orders, drafts=drafts, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        batch = _fill_batch(request, form, orders, drafts, accounts)
        if batch is not None:
            return redirect("finance:batch", pk=batch.pk)
    return render(
        request,
        "finance/batches/queue.html",
        {
            "filter_form": filter_form,
            "form": form,
            "orders": orders,
            "checked": set(form["orders"].value() or []),
            "can_act": bool(accounts or drafts),
            "query": request.GET.urlencode(),
        },
    )


def _fill_batch(request, form, orders, drafts, accounts):
    data = form.cleaned_data
    chosen = [o for o in orders if str(o.pk) in set(data["orders"])]
    try:
        if data.get("batch") is not None:
            batch = next(b for b in drafts if b.pk == data["batch"])
            services.batch_items_add(batch=batch, actor=request.user, orders=chosen)
            messages.success(request, _("The orders were added to batch %s.") % batch.number)
            return batch
        account = next((a for a in accounts if a.pk == data["account"]), None)
        organisations = {o.organisation_id for o in chosen}
        if account is None or organisations - {account.organisation_id}:
            form.add_error(
                "account",
                _("Choose a debit account of the organisation whose orders you checked."),
            )
            return None
        batch = services.batch_create(
            organisation=account.organisation,
            actor=request.user,
            account=account,
            execution_date=data["execution_date"],
            orders=chosen,
            note=data.get("note") or "",
        )
    except InvalidInput as exc:
        _errors_to_form(form, exc)
        return None
    except (Conflict, NotPermitted) as exc:
        form.add_error(None, str(exc.message))
        return None
    messages.success(request, _("Batch %s was created as a draft.") % batch.number)
    return batch


# Batches ------------------------------------------------------------------------------


BATCH_PAGE_SIZE = 50


@finance_user_required
def batch_list(request):
    """Payment batches, newest first, 50 a page, the batches not counted (#18)."""
    form = BatchFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    rows = selectors.batch_list_for(user=request.user, state=state).values_list("pk", flat=True)
    page = UncountedPage(rows, request.GET.get("page"), size=BATCH_PAGE_SIZE)
    return render(
        request,
        "finance/batches/list.html",
        {
            "form": form,
            "page": page,
            "batches": selectors.batches_with_totals(list(page.object_list)),
        },
    )


def _batch(request, pk: int) -> PaymentBatch:
    return get_object_or_404(selectors.batch_detail_for(user=request.user), pk=pk)


@finance_user_required
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    items = list(selectors.batch_items(batch))
    exported = batch.state == BatchState.EXPORTED
    rows = [
        {
            "item": item,
            "result_form": ResultForm(prefix=f"item-{item.pk}")
            if exported and item.outcome == BatchItem.Outcome.PENDING
            else None,
        }
        for item in items
    ]
    return render(
        request,
        "finance/batches/detail.html",
        {
            "batch": batch,
            "rows": rows,
            "has_result_forms": any(row["result_form"] for row in rows),
            "options": transitions_for(batch, request.user),
            "action_url": reverse("finance:batch", args=[batch.pk]) + "czynnosc/",
            "update_form": BatchUpdateForm(
                initial={"execution_date": batch.execution_date, "note": batch.note}
            )
            if batch.state == BatchState.DRAFT
            else None,
            "history": history_for(batch),
        },
    )


@finance_user_required
def batch_transition(request, pk: int, name: str):
    batch = _batch(request, pk)
    url = reverse("finance:batch", args=[batch.pk])
    return transition_page(request, obj=batch, name=name, success_url=url, back_url=url)


@require_POST
@finance_user_required
def batch_update(request, pk: int):
    batch = _batch(request, pk)
    form = BatchUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.batch_update(batch=batch, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, _first_error(exc))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Give a valid execution date."))
    return redirect("finance:batch", pk=batch.pk)


@require_POST
@finance_user_required
def batch_item_remove(request, pk: int, item_id: int):
    batch = _batch(request, pk)
    item = get_object_or_404(batch.items.all(), pk=item_id)
    try:
        services.batch_item_remove(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The order went back to the queue."))
    return redirect("finance:batch", pk=batch.pk)


@require_POST
@finance_user_required
def batch_result(request, pk: int, item_id: int):
    batch = _batch(request, pk)
    item = get_object_or_404(batch.items.all(), pk=item_id)
    form = ResultForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose paid or rejected, with the date or the reason."))
        return redirect("finance:batch", pk=batch.pk)
    data = form.cleaned_data
    try:
        services.batch_results_record(
            batch=batch,
            actor=request.user,
            results=[
                services.ItemResult(
                    item_id=item.pk,
                    outcome=data["outcome"],
                    paid_on=data.get("paid_on"),
                    reason=data.get("reason") or "",
                )
            ],
        )
    except DomainError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("The bank's result was recorded."))
    return redirect("finance:batch", pk=batch.pk)


def _first_error(exc: DomainError) -> str:
    for errors in exc.field_errors.values():
        if errors:
            return str(errors[0])
    return str(exc.message)


# Files --------------------------------------------------------------------------------


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _download(request, pk: int, format: str) -> HttpResponse:
    download = services.batch_download(batch=_batch(request, pk), actor=request.user, format=format)
    if download is None:
        raise Http404
    return _attachment(download.content, download.content_type, download.name)


@finance_user_required
def batch_file(request, pk: int):
    """The Elixir-O file exactly as exported."""
    return _download(request, pk, Export.Format.ELIXIR)


@finance_user_required
def batch_csv(request, pk: int):
    return _download(request, pk, Export.Format.CSV)


@finance_user_required
def batch_xlsx(request, pk: int):
    return _download(request, pk, Export.Format.XLSX)
