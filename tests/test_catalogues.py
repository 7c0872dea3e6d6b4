"""Each app keeps its own Polish catalogue; Django merges them, the project's
``locale/`` first, then the apps in ``INSTALLED_APPS`` order, and the first catalogue
holding a msgid wins. A msgid translated one way in grants and another in contracting
therefore shows the grants wording on the contracting pages: the same words must be
translated the same everywhere, and a word that means something else in another app
takes a context (``pgettext``, ``{% translate ... context ... %}``)."""

import ast
import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fields(block: str) -> dict[str, str]:
    """The keywords of one po entry (``msgctxt``, ``msgid``, ``msgstr``), their
    continued lines joined; comments, and obsolete entries (``#~``), are left out."""
    fields: dict[str, str] = {}
    keyword = None
    for line in block.splitlines():
        if line.startswith('"') and keyword:
            fields[keyword] += ast.literal_eval(line)
        elif not line.startswith("#") and " " in line:
            keyword, value = line.split(" ", 1)
            fields[keyword] = ast.literal_eval(value)
    return fields


def entries(path: Path) -> dict[tuple[str | None, str], str]:
    """``(context, msgid) -> msgstr`` of a po file's translated, current entries."""
    found = {}
    # A blank line may follow a msgctxt (msgfmt reads on): it stays with its msgid.
    text = re.sub(r'^(msgctxt "[^\n]*"\n)\n+', r"\1", path.read_text(encoding="utf-8"), flags=re.M)
    for block in text.split("\n\n"):
        fields = _fields(block)
        if fields.get("msgid") and fields.get("msgstr"):
            found[(fields.get("msgctxt"), fields["msgid"])] = fields["msgstr"]
    return found


def catalogues() -> list[Path]:
    apps = sorted(ROOT.glob("*/locale/pl/LC_MESSAGES/django.po"))
    return [*apps, ROOT / "locale/pl/LC_MESSAGES/django.po"]


def test_the_parser_reads_contexts_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: pl\\n"\n\n'
        'msgctxt "budget plan"\nmsgid "Budget"\nmsgstr "Budżet"\n\n'
        'msgid "Budget"\nmsgstr "Kosztorys"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"Dwie "\n"linie"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Stare"\n',
        encoding="utf-8",
    )

    assert entries(po) == {
        ("budget plan", "Budget"): "Budżet",
        (None, "Budget"): "Kosztorys",
        (None, "Two lines"): "Dwie linie",
    }


def test_a_msgid_is_translated_the_same_in_every_catalogue():
    wordings: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for po in catalogues():
        app = po.relative_to(ROOT).parts[0]
        for key, text in entries(po).items():
            wordings.setdefault(key, {}).setdefault(text, []).append(app)

    differing = {key: texts for key, texts in sorted(wordings.items(), key=str) if len(texts) > 1}

    assert differing == {}


def test_each_compiled_catalogue_holds_its_po_file():
    """The compiled ``.mo`` files are committed (``make run`` serves them as they are):
    one left behind by a merge shows English on Polish pages."""
    stale = {}
    for po in catalogues():
        with po.with_suffix(".mo").open("rb") as compiled:
            catalog = gettext.GNUTranslations(compiled)._catalog
        for (context, msgid), msgstr in entries(po).items():
            key = f"{context}\x04{msgid}" if context else msgid
            if catalog.get(key) != msgstr:
                stale.setdefault(str(po.relative_to(ROOT)), []).append(msgid)
    assert stale == {}
