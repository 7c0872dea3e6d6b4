"""Rendering a Django template to PDF bytes: a pure function of template and context.

Vocabulary:
- *Document template*: a Django template under ``documents/`` that extends
  ``documents/base.html`` (A4, organisation header with logo, title and number on
  every page, "Page X of Y" footer, table headers repeated across pages, DejaVu fonts
  resolved through fontconfig and embedded in the PDF).
- *Override*: an organisation's own wording of a document template (wzór umowy
  gminy). Overrides are looked up before the default, by a path that needs no
  database: ``documents/overrides/<NIP>/<name>`` in any template directory (the
  project's ``templates/`` comes first). The NIP identifies the organisation: it is
  unique and the same in every environment, which a primary key or a short name is
  not. So ``documents/overrides/5260250274/agreement.html`` replaces
  ``documents/agreement.html`` for that organisation only. Like any template, an
  override added to a running site is picked up when the processes restart.
  An organisation administrator can also save an override on a page
  (``documents.overrides``): it is kept in the database, versioned, and comes before
  both file templates; the latest version is in force unless it says "default".

The output is PDF/A-3b with the title, author (the organisation), subject and language
in its metadata. Rendering never touches the network: the only URLs a template may
use are ``data:`` URLs (the organisation's logo is embedded as one), and fonts come
from the system. Nothing here needs a request or writes anywhere.
"""

import base64
import mimetypes

from django.template import Template
from django.template.loader import select_template
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from accounts.models import Organisation

PDF_VARIANT = "pdf/a-3b"
DEFAULT_LANGUAGE = "pl"


def template_names(name: str, organisation: Organisation | None) -> list[str]:
    """Where a document template is looked for, the organisation's override first."""
    names = [f"documents/{name}"]
    if organisation is not None and organisation.nip:
        names.insert(0, f"documents/overrides/{organisation.nip}/{name}")
    return names


def document_template(name: str, organisation: Organisation | None = None) -> Template:
    """The template to render document ``name`` (e.g. "agreement.html") with; its
    ``origin.template_name`` says which one was chosen."""
    if organisation is not None and organisation.pk is not None:
        from .overrides import override_compile, override_in_force

        override = override_in_force(organisation, name)
        if override is not None:
            return override_compile(override, organisation)
    return select_template(template_names(name, organisation))


def logo_data_url(organisation: Organisation | None) -> str:
    """The organisation's logo as a ``data:`` URL read through the storage API, or ""."""
    if organisation is None or not organisation.logo:
        return ""
    with organisation.logo.open("rb") as logo:
        content = logo.read()
    mime = mimetypes.guess_type(organisation.logo.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def organisation_header(organisation: Organisation | None) -> dict:
    """What the header shows about the organisation (and what a document's hash covers)."""
    if organisation is None:
        return {}
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "address": organisation.address,
        "nip": organisation.nip,
        "logo": organisation.logo.name if organisation.logo else "",
    }


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's PDF/A-3b output for ``html``, with no network access."""
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def render_html(
    *,
    template: Template,
    context: dict,
    organisation: Organisation | None = None,
    title: str,
    subject: str = "",
    number: str = "",
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The HTML a document template produces, in ``language``."""
    full_context = {
        **context,
        "organisation": organisation_header(organisation),
        "organisation_logo": logo_data_url(organisation),
        "document_title": title,
        "document_subject": subject,
        "document_number": number,
        "document_language": language,
    }
    with translation.override(language):
        return template.render(full_context)


def render_pdf(
    *,
    template_name: str,
    context: dict,
    organisation: Organisation | None = None,
    title: str,
    subject: str = "",
    number: str = "",
    language: str = DEFAULT_LANGUAGE,
) -> bytes:
    """Render document template ``template_name`` (relative to ``documents/``, the
    organisation's override first) with ``context`` to PDF/A-3b bytes.

    ``title``, ``subject`` and ``number`` appear in the page header and the PDF's
    metadata; the organisation is the author. The context should hold plain values
    (strings, numbers, Decimals, dates, lists and dicts of them).
    """
    template = document_template(template_name, organisation)
    html = render_html(
        template=template,
        context=context,
        organisation=organisation,
        title=title,
        subject=subject,
        number=number,
        language=language,
    )
    return html_to_pdf(html)
