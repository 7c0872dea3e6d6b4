"""Downloading stored documents. Files are never served by the web server: this view
checks that the user may see the owning object and streams the file from storage."""

import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

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


@require_GET
@login_required
def download(request, pk: int):
    document = document_visible_to(user=request.user, pk=pk)
    if document is None:
        raise Http404
    ascii_name, utf8_name = download_names(document)
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
