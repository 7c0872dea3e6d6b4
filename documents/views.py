"""Downloading stored documents. Files are never served by the web server: this view
checks that the user may see the owning object and streams the file from storage.

The same address serves a browser (its session) and an API client (its token, as the
API's ``url`` of a document gives it): an API client that is not signed in gets 401,
a browser is sent to sign in."""

import unicodedata
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated

from .models import Document
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
