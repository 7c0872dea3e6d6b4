"""The organisation's purchase rules, kept by its administrator: value bands (each
change a new version from a date), same-kind groups, the threshold in force. Officials
of the organisation may read them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organisation, Role
from accounts.permissions import has_role
from accounts.views.members import place_errors
from workflows.errors import DomainError, InvalidInput

from .. import selectors, services
from ..forms import SameKindGroupForm, ValueBandEndForm, ValueBandForm
from ..models import SameKindGroup, ThresholdSetting, ValueBand

READERS = (Role.ORG_ADMIN, Role.OFFICIAL)


def _organisation(request, pk: int, *roles: str) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not has_role(request.user, organisation.pk, *roles):
        raise PermissionDenied
    return organisation


def _form_page(request, organisation, form, title, **extra):
    return render(
        request,
        "purchases/rules_form.html",
        {"organisation": organisation, "form": form, "title": title, **extra},
    )


@login_required
@require_GET
def rules(request, pk):
    organisation = _organisation(request, pk, *READERS)
    today = timezone.localdate()
    bands = ValueBand.objects.filter(organisation=organisation).order_by(
        "-valid_from", "lower_net", "pk"
    )
    in_force = {b.pk for b in selectors.bands_in_force(organisation_id=pk, on=today)}
    kinds = dict(ValueBand.DocumentKind.choices)
    for band in bands:
        band.in_force = band.pk in in_force
        band.documents = [kinds.get(k, k) for k in band.required_documents]
    return render(
        request,
        "purchases/rules.html",
        {
            "organisation": organisation,
            "bands": bands,
            "groups": SameKindGroup.objects.filter(organisation=organisation),
            "thresholds": ThresholdSetting.objects.order_by("-valid_from"),
            "threshold": selectors.threshold_in_force(today),
            "can_edit": has_role(request.user, pk, Role.ORG_ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def band_add(request, pk):
    organisation = _organisation(request, pk, Role.ORG_ADMIN)
    form = ValueBandForm(
        request.POST or None, initial={"valid_from": timezone.localdate(), "min_offers": 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.value_band_add(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("The value band is added."))
            return redirect("purchases:rules", pk=pk)
    return _form_page(request, organisation, form, _("New value band"))


@login_required
@require_http_methods(["GET", "POST"])
def band_change(request, pk, band_pk):
    organisation = _organisation(request, pk, Role.ORG_ADMIN)
    band = get_object_or_404(ValueBand, pk=band_pk, organisation=organisation)
    initial = {name: getattr(band, name) for name in services.regulation.BAND_FIELDS}
    form = ValueBandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.value_band_change(band=band, actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("The new version of the band is in force from %(date)s.")
                % {"date": form.cleaned_data["valid_from"].isoformat()},
            )
            return redirect("purchases:rules", pk=pk)
    return _form_page(
        request,
        organisation,
        form,
        _("New version of the band %(band)s") % {"band": band},
        band=band,
        end_form=ValueBandEndForm(initial={"valid_to": band.valid_to}),
    )


@login_required
@require_POST
def band_end(request, pk, band_pk):
    organisation = _organisation(request, pk, Role.ORG_ADMIN)
    band = get_object_or_404(ValueBand, pk=band_pk, organisation=organisation)
    end_form = ValueBandEndForm(request.POST)
    if end_form.is_valid():
        try:
            services.value_band_end(
                band=band, actor=request.user, last_day=end_form.cleaned_data["valid_to"]
            )
        except DomainError as exc:
            place_errors(end_form, exc)
        else:
            messages.success(request, _("The band is ended."))
            return redirect("purchases:rules", pk=pk)
    initial = {name: getattr(band, name) for name in services.regulation.BAND_FIELDS}
    return _form_page(
        request,
        organisation,
        ValueBandForm(initial=initial),
        _("New version of the band %(band)s") % {"band": band},
        band=band,
        end_form=end_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_save(request, pk, group_pk=None):
    organisation = _organisation(request, pk, Role.ORG_ADMIN)
    group = None
    initial = {}
    if group_pk is not None:
        group = get_object_or_404(SameKindGroup, pk=group_pk, organisation=organisation)
        initial = {"name": group.name, "cpv_codes": "\n".join(group.cpv_codes)}
    form = SameKindGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.same_kind_group_save(
                organisation=organisation, actor=request.user, group=group, **form.cleaned_data
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("The same-kind group is saved."))
            return redirect("purchases:rules", pk=pk)
    title = (
        _("Same-kind group %(name)s") % {"name": group.name} if group else _("New same-kind group")
    )
    return _form_page(request, organisation, form, title)
