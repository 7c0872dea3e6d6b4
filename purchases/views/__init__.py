"""Web pages of the purchase process: thin views over selectors and services.

Every action on a purchase is a form posted to ``purchase_action``, which runs it
through the engine (``transition_apply``), as the API and the timers do; a refused or
invalid action shows the page again with what the user typed and the reason.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, Role
from accounts.permissions import has_role, organisation_ids_with
from attachments.services import attachment_download_record
from documents.formatting import format_amount
from documents.selectors import document_latest, documents_of
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from workflows.engine import transition_apply, transitions_for, transitions_of
from workflows.errors import (
    ConcurrentChange,
    Conflict,
    DomainError,
    InvalidInput,
    NotPermitted,
    NotVisible,
)
from workflows.views import history_rows

from .. import selectors, services
from ..exports import register_csv_chunks, register_xlsx_bytes
from ..forms import (
    DateTimeInput,
    OfferForm,
    OfferRecordForm,
    PublicSupplierForm,
    PurchaseForm,
    RegisterFilterForm,
    SupplierForm,
)
from ..models import Purchase, Supplier, ValueBand
from .splitting import arrange_actions, splitting_refusal


def _specs(purchase: Purchase) -> dict:
    return {
        t.name: t.custom["spec"]
        for t in transitions_of(type(purchase))
        if t.source == purchase.state or (isinstance(t.source, str) and t.source in ("*", "+"))
    }


def _transition_form(purchase: Purchase, name: str, spec, data=None, user=None):
    """The form of one action on the detail page (prefixed by the action's name)."""
    form_class = spec.form or forms.Form
    form = form_class(data=data, prefix=name)
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if isinstance(field, forms.DateTimeField):
            field.widget = DateTimeInput()
    if name == "award":
        offers = [o for o in purchase.offers.filter(rejected=False).select_related("supplier")]
        form.fields["offer"] = forms.TypedChoiceField(
            label=_("offer"),
            coerce=int,
            required=False,
            choices=[("", _("the best-scored offer"))]
            + [
                (o.pk, f"{o.supplier.name}: {format_amount(o.price_gross)}, {o.score} pkt")
                for o in offers
            ],
        )
    if name in ("start_quoting", "requote"):
        suppliers = Supplier.objects.filter(organisation_id=purchase.organisation_id)
        form.fields["suppliers"] = forms.MultipleChoiceField(
            label=_("suppliers to invite"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(s.pk, f"{s.name} ({s.email})") for s in suppliers],
        )
    form.fields["comment"] = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    if data is not None:
        form.is_valid()
    return form


def _actions(purchase: Purchase, user, bound: dict | None = None) -> list[dict]:
    specs = _specs(purchase)
    actions = []
    for option in transitions_for(purchase, user):
        spec = specs.get(option.name)
        if spec is None or not spec.permission(purchase, user):
            continue
        form = (bound or {}).get(option.name) or _transition_form(purchase, option.name, spec)
        url = reverse("purchases:transition", args=[purchase.pk, option.name])
        actions.append({"option": option, "form": form, "show_form": option.allowed, "url": url})
    return actions


def _detail_context(request, purchase: Purchase, bound=None) -> dict:
    offers = selectors.offers_for(user=request.user).filter(purchase=purchase)
    documents = list(documents_of(purchase))
    present = {d.kind for d in documents}
    kinds = dict(ValueBand.DocumentKind.choices)
    required = [
        {"label": kinds.get(kind, kind), "present": kind in present}
        for kind in (purchase.band.required_documents if purchase.band else [])
    ]
    actions, override = arrange_actions(_actions(purchase, request.user, bound))
    return {
        "purchase": purchase,
        "actions": actions,
        "override_action": override,
        "splitting": splitting_refusal(purchase),
        "offers": offers,
        "offers_open": purchase.offers_open,
        "documents": documents,
        "required_documents": required,
        "history": history_rows(purchase),
        "is_official": has_role(request.user, purchase.organisation_id, Role.OFFICIAL),
    }


@login_required
def purchase_detail(request, pk: int):
    purchase = get_object_or_404(selectors.purchase_detail_for(user=request.user), pk=pk)
    return render(request, "purchases/detail.html", _detail_context(request, purchase))


@require_POST
@login_required
def purchase_action(request, pk: int, name: str):
    purchase = get_object_or_404(selectors.purchases_for(user=request.user), pk=pk)
    prefix = f"{name}-"
    payload = {
        key[len(prefix) :]: request.POST.getlist(key) if key.endswith("-suppliers") else value
        for key, value in request.POST.items()
        if key.startswith(prefix)
    }
    try:
        transition_apply(obj=purchase, name=name, actor=request.user, payload=payload)
    except (NotVisible, NotPermitted) as exc:
        if isinstance(exc, NotVisible):
            raise Http404 from None
        messages.error(request, str(exc.message))
        return redirect("purchases:detail", pk=pk)
    except DomainError as exc:
        # Show the page again with what the user typed and the reason next to the form.
        spec = _specs(purchase).get(name)
        if spec is None:
            messages.error(request, str(exc.message))
            return redirect("purchases:detail", pk=pk)
        form = _transition_form(purchase, name, spec, data=request.POST)
        for field, errors in exc.field_errors.items():
            for error in errors:
                if field in form.fields and error not in form.errors.get(field, []):
                    form.add_error(field, error)
                elif field not in form.fields:
                    form.add_error(None, error)
        if not exc.field_errors:
            form.add_error(None, str(exc.message))
        purchase = selectors.purchase_detail_for(user=request.user).get(pk=pk)
        context = _detail_context(request, purchase, bound={name: form})
        return render(request, "purchases/detail.html", context, status=exc.status_code)
    messages.success(request, _("Done."))
    return redirect("purchases:detail", pk=pk)


def _official_organisations(user) -> list[int]:
    return organisation_ids_with(user, Role.OFFICIAL)


@login_required
def purchase_create(request):
    organisation_ids = _official_organisations(request.user)
    if not organisation_ids:
        raise Http404
    form = PurchaseForm(request.POST or None, organisation_ids=organisation_ids)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        organisation = Organisation.objects.get(pk=fields["group"].organisation_id)
        try:
            purchase = services.purchase_create(
                organisation=organisation, actor=request.user, **fields
            )
        except InvalidInput as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The need was saved as a draft."))
            return redirect("purchases:detail", pk=purchase.pk)
    return render(request, "purchases/form.html", {"form": form, "purchase": None})


@login_required
def purchase_edit(request, pk: int):
    purchase = get_object_or_404(selectors.purchase_detail_for(user=request.user), pk=pk)
    if not has_role(request.user, purchase.organisation_id, Role.OFFICIAL):
        raise Http404
    organisation_ids = [purchase.organisation_id]
    form = PurchaseForm(
        request.POST or None,
        organisation_ids=organisation_ids,
        initial=PurchaseForm.initial_for(purchase),
        versioned=purchase,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.purchase_update(
                purchase=purchase,
                actor=request.user,
                expected_version=form.edited_version(),
                **form.service_fields(),
            )
        except ConcurrentChange:
            form.show_conflict(Purchase.objects.values_list("version", flat=True).get(pk=pk))
        except InvalidInput as exc:
            _errors_to_form(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("purchases:detail", pk=pk)
    return render(request, "purchases/form.html", {"form": form, "purchase": purchase})


def _errors_to_form(form, exc: InvalidInput) -> None:
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


@login_required
def offer_record(request, pk: int):
    purchase = get_object_or_404(selectors.purchase_detail_for(user=request.user), pk=pk)
    if not has_role(request.user, purchase.organisation_id, Role.OFFICIAL):
        raise Http404
    form = OfferRecordForm(
        request.POST or None,
        request.FILES or None,
        criteria=purchase.criteria.all(),
        organisation_id=purchase.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offer_record(
                purchase=purchase,
                supplier=data["supplier"],
                actor=request.user,
                channel=data["channel"],
                price_net=data["price_net"],
                price_gross=data["price_gross"],
                submitted_at=data["submitted_at"],
                answers=form.answers(),
                attachments=data["attachments"],
            )
        except InvalidInput as exc:
            _errors_to_form(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("The offer was recorded; it stays sealed until the deadline.")
            )
            return redirect("purchases:detail", pk=pk)
    return render(request, "purchases/offer_record.html", {"form": form, "purchase": purchase})


@login_required
def attachment(request, pk: int, attachment_id: int):
    found = selectors.attachment_for(user=request.user, offer_id=pk, pk=attachment_id)
    if found is None:
        raise Http404
    attachment_download_record(attachment=found, actor=request.user)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


# Suppliers --------------------------------------------------------------------------


@login_required
def supplier_list(request):
    suppliers = selectors.suppliers_for(user=request.user)
    return render(request, "purchases/suppliers.html", {"suppliers": suppliers})


@login_required
def supplier_create(request):
    organisation_ids = _official_organisations(request.user)
    if not organisation_ids:
        raise Http404
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_create(
                organisation=Organisation.objects.get(pk=organisation_ids[0]), **form.cleaned_data
            )
        except InvalidInput as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The supplier was registered."))
            return redirect("purchases:suppliers")
    return render(request, "purchases/supplier_form.html", {"form": form})


# Suppliers quoting without an account ---------------------------------------------


def offer_by_link(request, token: str):
    try:
        invitation = services.invitation_from_token(token)
    except NotVisible:
        raise Http404 from None
    purchase = invitation.purchase
    criteria = list(purchase.criteria.all())
    closed = not purchase.accepts_offers_at(timezone.now())
    form = OfferForm(request.POST or None, request.FILES or None, criteria=criteria)
    submitted = False
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.offer_submit(
                invitation=invitation,
                price_net=form.cleaned_data["price_net"],
                price_gross=form.cleaned_data["price_gross"],
                answers=form.answers(),
                attachments=form.cleaned_data["attachments"],
            )
        except InvalidInput as exc:
            _errors_to_form(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.message))
            closed = True
        else:
            submitted = True
    return render(
        request,
        "purchases/offer_by_link.html",
        {
            "purchase": purchase,
            "supplier": invitation.supplier,
            "criteria": criteria,
            "form": form,
            "closed": closed,
            "submitted": submitted,
            "token": token,
            "rfq": document_latest(purchase, kind="request_for_quotation"),
        },
    )


def offer_rfq(request, token: str):
    try:
        invitation = services.invitation_from_token(token)
    except NotVisible:
        raise Http404 from None
    document = document_latest(invitation.purchase, kind="request_for_quotation")
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="zapytanie-ofertowe.pdf"'
    return response


def public_inquiries(request):
    return render(
        request, "purchases/public_inquiries.html", {"inquiries": selectors.public_inquiries()}
    )


def public_inquiry(request, pk: int):
    purchase = get_object_or_404(selectors.public_inquiries(), pk=pk)
    criteria = list(purchase.criteria.all())
    supplier_form = PublicSupplierForm(request.POST or None, prefix="supplier")
    form = OfferForm(request.POST or None, request.FILES or None, criteria=criteria)
    submitted = False
    if request.method == "POST" and supplier_form.is_valid() and form.is_valid():
        try:
            services.offer_submit_public(
                purchase=purchase,
                supplier_fields=supplier_form.cleaned_data,
                price_net=form.cleaned_data["price_net"],
                price_gross=form.cleaned_data["price_gross"],
                answers=form.answers(),
                attachments=form.cleaned_data["attachments"],
            )
        except InvalidInput as exc:
            for field, errors in exc.field_errors.items():
                target = supplier_form if field in supplier_form.fields else form
                for error in errors:
                    target.add_error(field if field in target.fields else None, error)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            submitted = True
    return render(
        request,
        "purchases/public_inquiry.html",
        {
            "purchase": purchase,
            "criteria": criteria,
            "form": form,
            "supplier_form": supplier_form,
            "submitted": submitted,
        },
    )


# The register -------------------------------------------------------------------------


REGISTER_PAGE_SIZE = 50


def _register(request):
    """The register's filters and rows: this financial year unless another is asked for
    (``?year=`` empty lists every year); an invalid filter falls back to this year."""
    data = request.GET.copy()
    data.pop("page", None)
    data.setdefault("year", str(timezone.localdate().year))
    form = RegisterFilterForm(data, organisation_ids=request.user.organisation_ids())
    filters = {"year": timezone.localdate().year}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "year": data.get("year"),
            "state": data.get("state") or "",
            "group_id": data["group"].pk if data.get("group") else None,
            "procedure": data.get("procedure") or "",
            "query": data.get("q") or "",
        }
    return form, selectors.register_for(user=request.user, **filters)


@login_required
def register(request):
    form, purchases = _register(request)
    page = Paginator(purchases, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "purchases/register.html",
        {
            "form": form,
            "page": page,
            "purchases": page.object_list,
            "query": form.data.urlencode(),  # the downloads: every row of these filters
            "can_create": bool(_official_organisations(request.user)),
        },
    )


purchase_list = register


@login_required
def register_csv(request):
    _form, purchases = _register(request)
    # Whole, not streamed: the register is bounded by its filters, and its tests read
    # the response's content and count the queries of the request.
    content = "".join(register_csv_chunks(purchases))
    response = HttpResponse(content, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="rejestr-zamowien.csv"'
    return response


@login_required
def register_xlsx(request):
    _form, purchases = _register(request)
    response = HttpResponse(register_xlsx_bytes(purchases), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="rejestr-zamowien.xlsx"'
    return response
