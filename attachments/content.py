"""What a file is, judged by its content (its first bytes and, for the zip-based office
formats, the zip's own table of contents), and the one size limit of attachments."""

import zipfile

from django.conf import settings

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

SIGNATURES = {
    b"%PDF-": PDF,
    b"\xff\xd8\xff": JPEG,
    b"\x89PNG\r\n\x1a\n": PNG,
}
ZIP = b"PK\x03\x04"
ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"


def max_bytes() -> int:
    """The largest attachment anywhere in the product (``ATTACHMENT_MAX_BYTES``)."""
    return settings.ATTACHMENT_MAX_BYTES


def detect(upload) -> str | None:
    """The content type of ``upload`` (a file object), or None when it is none of PDF,
    JPEG, PNG, ODT or DOCX whatever its name says. The position is left at the start."""
    upload.seek(0)
    head = upload.read(100)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if not head.startswith(ZIP):
        return None
    # ODF puts an uncompressed "mimetype" entry first (OpenDocument 1.2, part 3, 3.3).
    if head[30:].startswith(ODT_MIMETYPE):
        return ODT
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    return None
