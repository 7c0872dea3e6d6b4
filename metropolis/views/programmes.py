"""Programmes: call rules a municipality published for others. Anyone reads them and
their PDF "regulamin"; an official publishes a call of theirs as one, and starts a
draft call of their organisation from one with one action."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Organisation, Role
from accounts.permissions import organisation_ids_with, role_required
from documents.formatting import share_percent
from documents.rendering import render_pdf
from grants.models import Call
from grants.services.programmes import call_create_from_programme
from workflows.errors import DomainError

from ..forms import ProgrammeForm
from ..models import Programme
from ..selectors import programmes_list
from ..services import programme_publish
from . import place_errors


def _official_organisations(user):
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, Role.OFFICIAL))


def programmes(request):
    own_calls = []
    if request.user.is_authenticated:
        own_calls = Call.objects.filter(
            organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL)
        ).order_by("-year", "title")
    return render(
        request,
        "metropolis/programmes.html",
        {"programmes": programmes_list(), "own_calls": own_calls},
    )


def programme(request, slug: str):
    item = get_object_or_404(programmes_list(), slug=slug)
    organisations = _official_organisations(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "metropolis/programme.html",
        {"programme": item, "organisations": organisations, "error": None},
    )


def regulation_context(item: Programme) -> dict:
    return {
        "programme_title": item.title,
        "description": item.description,
        "organisation_name": item.organisation.name,
        "rules": item.rules,
        "min_own_share_percent": share_percent(item.rules.get("min_own_share")),
        "criteria": item.criteria,
        "cost_categories": [
            {"name": c["name"], "cap_percent": share_percent(c.get("cap_share"))}
            for c in item.cost_categories
        ],
        "checklist": item.checklist,
        "documents": [line for line in item.documents.splitlines() if line.strip()],
    }


def regulation_pdf(request, slug: str):
    item = get_object_or_404(programmes_list(), slug=slug)
    pdf = render_pdf(
        template_name="metropolis/regulation.html",
        context=regulation_context(item),
        organisation=item.organisation,
        title=f"Regulamin: {item.title}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="regulamin-{item.slug}.pdf"'
    return response


@role_required(Role.OFFICIAL)
@require_POST
def start_call(request, slug: str):
    item = get_object_or_404(programmes_list(), slug=slug)
    organisation = (
        _official_organisations(request.user)
        .filter(pk=request.POST.get("organisation") or 0)
        .first()
    )
    if organisation is None:
        raise Http404
    try:
        call = call_create_from_programme(
            programme=item, organisation=organisation, actor=request.user
        )
    except DomainError as exc:
        return render(
            request,
            "metropolis/programme.html",
            {
                "programme": item,
                "organisations": _official_organisations(request.user),
                "error": exc.message,
            },
            status=exc.status_code,
        )
    return redirect("grants:call_edit", call.pk)


@role_required(Role.OFFICIAL)
@require_http_methods(["GET", "POST"])
def publish(request, call_id: int):
    call = get_object_or_404(
        Call, pk=call_id, organisation_id__in=organisation_ids_with(request.user, Role.OFFICIAL)
    )
    form = ProgrammeForm(
        request.POST or None, initial={"title": call.title, "description": call.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = programme_publish(call=call, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            place_errors(form, exc)
        else:
            return redirect(item.get_absolute_url())
    return render(
        request,
        "metropolis/publish_programme.html",
        {"form": form, "call": call},
        status=400 if request.method == "POST" else 200,
    )
