"""Scanning what people read for amounts written any other way than the one format,
"20 000,00 zł" (``documents.formatting.format_amount``; DOMAIN.md section 7)."""

import html
import re
import subprocess

# Anything that looks like an amount followed by a currency: digits, separators, "zł"/"PLN".
CANDIDATE = re.compile(r"-?\d[\d.,  \u00a0\u202f]*(?:zł|PLN)(?!\w)")
# The one format, at the end of a candidate (a table cell's neighbour may precede it).
ONE_FORMAT = re.compile(r"(?:^|(?<=\s))-?\d{1,3}(?: \d{3})*,\d{2} zł$")


def visible_text(page: str) -> str:
    """An HTML page as a reader sees it: no tags, no scripts, entities decoded."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def pdf_text(document) -> str:
    with document.file.open("rb") as pdf:
        return subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.read(), capture_output=True, check=True
        ).stdout.decode()


def amounts_written_otherwise(texts: dict[str, str]) -> dict[str, list[str]]:
    """Per source, the amounts that are not "20 000,00 zł"-shaped."""
    found = {}
    for source, text in texts.items():
        bad = [m for m in CANDIDATE.findall(text) if not ONE_FORMAT.search(m)]
        if bad:
            found[source] = bad
    return found


def amounts_found(texts: dict[str, str]) -> int:
    return sum(len(CANDIDATE.findall(text)) for text in texts.values())
