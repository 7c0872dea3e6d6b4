"""Downloading stored documents, and the organisation administrator's pages of
document wording (``documents.overrides``).

Downloading stored documents. Files are never served by the web server: this view
checks that the user may see the owning object and streams the file from storage.

The same address serves a browser (its session) and an API client (its token, as the
API's ``url`` of a document gives it): an API client that is not signed in gets 401,
a browser is sent to sign in."""

import unicodedata
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated

from accounts.models import Organisation, Role
from accounts.permissions import has_role
from accounts.views.members import place_errors
from workflows.errors import DomainError, InvalidInput

from . import overrides, rendering, services
from .models import Document, TemplateOverride
from .selectors import document_visible_to

_POLISH_TO_ASCII = str.maketrans({"ł": "l", "Ł": "L"})  # NFKD does not decompose ł


def _safe(char: str) -> str:
    """Path separators, quotes and control characters become a hyphen or a space."""
    if char in '/\\"':
        return "-"
    if unicodedata.category(char)[0] in "CZ":  # control, format, separators
        return " "
    return char


def download_names(document: Document) -> tuple[str, str]:
    """An ASCII file name for old clients and the full UTF-8 one, both ending .pdf."""
    stem = f"{document.title} {document.number} v{document.version}"
    readable = " ".join("".join(_safe(char) for char in stem).split())[:150]
    ascii_name = slugify(readable.translate(_POLISH_TO_ASCII))[:150] or "document"
    return f"{ascii_name}.pdf", f"{readable}.pdf"


def _is_api_client(request) -> bool:
    """A client that authenticates with a header or asks for JSON, not a browser."""
    accept = request.headers.get("Accept", "")
    return "Authorization" in request.headers or (
        "application/json" in accept and "text/html" not in accept
    )


def _unauthorized(detail) -> JsonResponse:
    response = JsonResponse({"detail": str(detail)}, status=401)
    response["WWW-Authenticate"] = "Token"
    return response


@require_GET
def download(request, pk: int):
    user = request.user
    if "Authorization" in request.headers:
        try:
            found = TokenAuthentication().authenticate(request)
        except AuthenticationFailed as exc:
            return _unauthorized(exc.detail)
        if found is not None:
            user = found[0]
    if not user.is_authenticated:
        if _is_api_client(request):
            return _unauthorized(NotAuthenticated.default_detail)
        return redirect_to_login(request.get_full_path())
    document = document_visible_to(user=user, pk=pk)
    if document is None:
        raise Http404
    ascii_name, utf8_name = download_names(document)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The organisation administrator's pages of document wording ----------------------


class TemplateOverrideForm(forms.Form):
    text = forms.CharField(
        label=_("Template text"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        strip=False,
        help_text=_(
            "Django template text. It may load only the i18n, l10n, polish and tz "
            "libraries and extend or include only templates under documents/."
        ),
    )


def _administered(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not has_role(request.user, organisation.pk, Role.ORG_ADMIN):
        raise PermissionDenied
    return organisation


def _overridable(name: str) -> str:
    if name not in overrides.OVERRIDABLE:
        raise Http404
    return name


@login_required
@require_GET
def template_overrides(request, pk):
    organisation = _administered(request, pk)
    return render(
        request,
        "documents_admin/template_overrides.html",
        {"organisation": organisation, "templates": overrides.overrides_of(organisation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_override(request, pk, name):
    """Edit the wording of one document template: preview it as a PDF, or save it as
    the next version."""
    organisation = _administered(request, pk)
    name = _overridable(name)
    in_force = overrides.override_in_force(organisation, name)
    if in_force is not None:
        current = in_force.text
    else:
        current = select_template(rendering.template_names(name, organisation)).template.source
    form = TemplateOverrideForm(request.POST or None, initial={"text": current})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if "preview" in request.POST:
                pdf = services.template_override_preview(
                    organisation=organisation, template_name=name, text=text
                )
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = 'inline; filename="preview.pdf"'
                response["Cache-Control"] = "private, no-store"
                return response
            override = services.template_override_save(
                organisation=organisation, template_name=name, text=text, actor=request.user
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s of the wording is in force.")
                % {"version": override.version},
            )
            return redirect("documents:template_override", pk=organisation.pk, name=name)
    versions = TemplateOverride.objects.filter(
        organisation=organisation, template_name=name
    ).select_related("created_by")
    return render(
        request,
        "documents_admin/template_override.html",
        {
            "organisation": organisation,
            "name": name,
            "label": overrides.template_label(name),
            "in_force": in_force,
            "versions": versions.order_by("-version"),
            "form": form,
        },
    )


@login_required
@require_POST
def template_override_reset(request, pk, name):
    organisation = _administered(request, pk)
    name = _overridable(name)
    try:
        services.template_override_reset(
            organisation=organisation, template_name=name, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The default wording is in force again."))
    return redirect("documents:template_override", pk=organisation.pk, name=name)
