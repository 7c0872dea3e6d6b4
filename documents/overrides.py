"""Organisations' own wording of document templates, kept in the database.

Vocabulary:
- *Overridable template*: a document template an organisation administrator may
  replace, listed in ``OVERRIDABLE`` with a label and a *sample context* (plain values
  shaped like the real context builder's) that the preview PDF is rendered from.
- *Override version*: a ``TemplateOverride`` row; the latest one per organisation and
  template is in force, unless it says "default".

The sandbox (``template_check``): an override is Django template text that may
``{% load %}`` only the libraries in ``ALLOWED_LIBRARIES`` and may ``{% extends %}``
or ``{% include %}`` only a literal name under ``documents/`` (not another
organisation's file overrides under ``documents/overrides/``, no ``..``), so it
cannot reach the application's other templates or arbitrary tag libraries;
``{% debug %}`` (it prints the whole context) is refused. Everything else a template
can do is what the default templates do: show the values of the context.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Origin, TemplateSyntaxError, engines
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .models import TemplateOverride

ALLOWED_LIBRARIES = frozenset({"i18n", "l10n", "polish", "tz"})
CONFINED_TAGS = frozenset({"extends", "include"})
REFUSED_TAGS = frozenset({"debug"})
OVERRIDE_NAME_PREFIX = "db-override"

_AGREEMENT_SAMPLE = {
    "document_title": "Umowa o udzielenie grantu (przykład)",
    "document_number": "U/1/2026",
    "grantor": {
        "name": "Gmina Przykładowa",
        "address": "ul. Rynek 1, 00-001 Przykładowo",
        "nip": "5260250274",
        "representatives": [{"label": "Jan Kowalski – Wójt"}],
    },
    "grantee": {
        "kind": "ngo",
        "name": "Stowarzyszenie Przykładowe",
        "address": "ul. Polna 2, 00-002 Przykładowo",
        "krs": "0000123456",
        "nip": "1234563218",
        "regon": "",
        "representatives": "Anna Nowak – prezes",
        "members": [],
    },
    "title": "Zajęcia dla seniorów",
    "application_number": "W/1/2026",
    "call_title": "Mikrogranty 2026",
    "place": "Świetlica wiejska",
    "start_date": datetime.date(2026, 12, 1),
    "end_date": datetime.date(2026, 12, 20),
    "goals": "Aktywizacja seniorów.",
    "amount": Decimal("5000.00"),
    "account_number": "61 1090 1014 0000 0712 1981 2874",
    "tranches": [{"due_date": datetime.date(2026, 12, 5), "amount": Decimal("5000.00")}],
    "classification": "801-80195-2360",
    "spending_deadline": datetime.date(2026, 12, 31),
    "report_deadline": datetime.date(2027, 1, 30),
    "unused_return_deadline": datetime.date(2027, 1, 15),
    "budget": [
        {
            "category": "Materiały",
            "description": "Materiały plastyczne",
            "quantity": 10,
            "unit": "kpl.",
            "unit_cost": Decimal("100.00"),
            "total": Decimal("1000.00"),
            "from_grant": Decimal("1000.00"),
        }
    ],
    "own_contribution": Decimal("0.00"),
}


def _sample(title: str) -> dict:
    return {"document_title": title, "document_number": "1/2026"}


# template name (relative to documents/) -> (label, sample context)
OVERRIDABLE: dict[str, tuple] = {
    "grants/agreement.html": (_("Grant agreement"), _AGREEMENT_SAMPLE),
    "grants/annex.html": (_("Annex to a grant agreement"), _sample("Aneks (przykład)")),
    "grants/application.html": (_("Grant application"), _sample("Wniosek (przykład)")),
    "grants/report.html": (_("Grant report"), _sample("Sprawozdanie (przykład)")),
    "grants/call_notice.html": (_("Call notice"), _sample("Ogłoszenie o naborze (przykład)")),
    "grants/protocol.html": (_("Committee protocol"), _sample("Protokół komisji (przykład)")),
    "grants/decision_list.html": (_("Decision list"), _sample("Lista rozstrzygnięć (przykład)")),
    "grants/decision_letter.html": (_("Decision letter"), _sample("Pismo (przykład)")),
    "metropolis/regulation.html": (
        _("Programme rules (regulamin)"),
        _sample("Regulamin (przykład)"),
    ),
    "contracting/decision_note.html": (
        _("Decision note of an efficiency analysis"),
        _sample("Notatka decyzyjna (przykład)"),
    ),
    "purchases/estimate_note.html": (_("Estimate note"), _sample("Notatka (przykład)")),
    "purchases/request_for_quotation.html": (
        _("Request for quotation"),
        _sample("Zapytanie ofertowe (przykład)"),
    ),
    "purchases/selection_note.html": (_("Selection note"), _sample("Notatka (przykład)")),
    "purchases/order.html": (_("Order"), _sample("Zamówienie (przykład)")),
    "purchases/acceptance_protocol.html": (
        _("Acceptance protocol"),
        _sample("Protokół odbioru (przykład)"),
    ),
}


def template_label(name: str):
    return OVERRIDABLE[name][0]


def sample_context(name: str) -> dict:
    return dict(OVERRIDABLE[name][1])


def _literal(bits: list[str]) -> str | None:
    """The quoted template name a tag names, or None when it is not a literal."""
    if len(bits) < 2 or len(bits[1]) < 2 or bits[1][0] != bits[1][-1] or bits[1][0] not in "\"'":
        return None
    return bits[1][1:-1]


def template_check(text: str) -> None:
    """Raise ``TemplateSyntaxError`` when ``text`` leaves the sandbox or does not compile."""
    for token in Lexer(text).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if not bits:
            continue
        tag = bits[0]
        if tag in REFUSED_TAGS:
            raise TemplateSyntaxError(_("The tag {%% %(tag)s %%} is not allowed.") % {"tag": tag})
        if tag == "load":
            libraries = bits[1:]
            if "from" in libraries:
                libraries = libraries[libraries.index("from") + 1 :]
            refused = sorted(set(libraries) - ALLOWED_LIBRARIES)
            if refused:
                raise TemplateSyntaxError(
                    _("Only these libraries may be loaded: %(allowed)s (not %(refused)s).")
                    % {
                        "allowed": ", ".join(sorted(ALLOWED_LIBRARIES)),
                        "refused": ", ".join(refused),
                    }
                )
        if tag in CONFINED_TAGS:
            name = _literal(bits)
            if (
                name is None
                or not name.startswith("documents/")
                or name.startswith("documents/overrides/")
                or ".." in name
            ):
                raise TemplateSyntaxError(
                    _("{%% %(tag)s %%} may only name a document template, in quotes.")
                    % {"tag": tag}
                )
    engines["django"].from_string(text)


def override_compile(override: TemplateOverride, organisation: Organisation):
    """The compiled template of an override version; its origin names the version, so
    a document rendered with it records which wording it used (and a new version of
    the wording makes a new version of a document even when its data are the same)."""
    template = engines["django"].from_string(override.text)
    name = override_template_name(organisation, override.template_name, override.version)
    template.template.origin = Origin(name=name, template_name=name)
    return template


def override_template_name(organisation: Organisation, name: str, version: int) -> str:
    return f"{OVERRIDE_NAME_PREFIX}/{organisation.pk}/{name}@v{version}"


def override_in_force(organisation: Organisation, name: str) -> TemplateOverride | None:
    """The latest version of the organisation's override of ``name``, unless it says
    "default" (or there is none)."""
    latest = (
        TemplateOverride.objects.filter(organisation=organisation, template_name=name)
        .order_by("-version")
        .first()
    )
    if latest is None or latest.is_default:
        return None
    return latest


def overrides_of(organisation: Organisation) -> list[dict]:
    """Every overridable template with the organisation's version in force (if any)."""
    latest: dict[str, TemplateOverride] = {}
    for row in TemplateOverride.objects.filter(organisation=organisation).order_by(
        "template_name", "-version"
    ):
        latest.setdefault(row.template_name, row)
    return [
        {"name": name, "label": label, "latest": latest.get(name)}
        for name, (label, _sample_context) in OVERRIDABLE.items()
    ]
