"""Loading the budget classification (klasyfikacja budżetowa) from a CSV file.

The classification is set by the finance minister's regulation and changes almost every
year, so each budget year has its own lines: ``BudgetClassification`` rows with the same
code in 2026 and 2027 are separate rows, and a call or purchase of 2027 points at a line
of 2027.

The file (see ``docs/finance.md``, "Budget classification"): UTF-8 (a byte-order mark is
tolerated), a header ``dział;rozdział;paragraf;nazwa`` and one line of the
classification a row; ";" separates the fields, and "," is accepted instead when the
header uses it. A section (dział) has 3 digits, a chapter (rozdział) 5 digits starting
with its section, a paragraph (paragraf) 4 digits.

Loading is all-or-nothing and idempotent: an existing line keeps its row (and
everything that points at it) and only takes the new name; lines missing from the file
are kept unless pruning is asked for, and even then a line in use is never deleted.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import ONLY_WHO, organisation_ids_with, roles_label
from workflows.audit import audit_record, snapshot
from workflows.errors import InvalidInput, NotPermitted

from ..models import BudgetClassification

HEADER = ("dział", "rozdział", "paragraf", "nazwa")
SAMPLE_CSV = Path(__file__).resolve().parent.parent / "data" / "klasyfikacja_2026.csv"
SECTION_RE = re.compile(r"^\d{3}$")
CHAPTER_RE = re.compile(r"^\d{5}$")
PARAGRAPH_RE = re.compile(r"^\d{4}$")
NAME_MAX = BudgetClassification._meta.get_field("name").max_length
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class ClassificationRow:
    line: int  # the line of the file, counting the header as line 1
    section: str
    chapter: str
    paragraph: str
    name: str

    @property
    def code(self) -> str:
        return f"{self.section}-{self.chapter}-{self.paragraph}"


@dataclass
class LoadResult:
    year: int
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_in_use: list[str] = field(default_factory=list)  # codes missing from the file
    lines: dict[str, BudgetClassification] = field(default_factory=dict)


def _row_errors(number: int, values: list[str]) -> list[str]:
    where = _("line %(line)d") % {"line": number}
    if len(values) != len(HEADER):
        return [
            _("%(where)s: expected 4 fields (dział, rozdział, paragraf, nazwa), found %(n)d.")
            % {"where": where, "n": len(values)}
        ]
    section, chapter, paragraph, name = values
    errors = []
    if not SECTION_RE.match(section):
        errors.append(
            _("%(where)s: the section (dział) must have 3 digits, not “%(value)s”.")
            % {"where": where, "value": section}
        )
    if not CHAPTER_RE.match(chapter):
        errors.append(
            _("%(where)s: the chapter (rozdział) must have 5 digits, not “%(value)s”.")
            % {"where": where, "value": chapter}
        )
    elif SECTION_RE.match(section) and not chapter.startswith(section):
        errors.append(
            _("%(where)s: the chapter %(chapter)s does not belong to the section %(section)s.")
            % {"where": where, "chapter": chapter, "section": section}
        )
    if not PARAGRAPH_RE.match(paragraph):
        errors.append(
            _("%(where)s: the paragraph (paragraf) must have 4 digits, not “%(value)s”.")
            % {"where": where, "value": paragraph}
        )
    if not name:
        errors.append(_("%(where)s: the name is empty.") % {"where": where})
    elif len(name) > NAME_MAX:
        errors.append(
            _("%(where)s: the name is longer than %(max)d characters.")
            % {"where": where, "max": NAME_MAX}
        )
    return errors


def classification_rows_parse(data: bytes | str) -> list[ClassificationRow]:
    """The rows of a classification file, or ``InvalidInput`` listing every bad line
    (``field_errors["file"]``, each message naming its line)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                _("The file is not UTF-8 text."),
                field_errors={"file": [_("The file is not UTF-8 text.")]},
            ) from exc
    data = data.removeprefix("\ufeff")
    lines = data.splitlines()
    header_line = lines[0] if lines else ""
    delimiter = ";" if ";" in header_line or "," not in header_line else ","
    reader = csv.reader(io.StringIO(data), delimiter=delimiter)
    errors: list[str] = []
    rows: list[ClassificationRow] = []
    seen: dict[str, int] = {}
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        message = _("line 1: the header must be “%(header)s”.") % {"header": ";".join(HEADER)}
        raise InvalidInput(message, field_errors={"file": [message]})
    for values in reader:
        number = reader.line_num
        values = [v.strip() for v in values]
        if not any(values):
            continue  # a blank line
        problems = _row_errors(number, values)
        if problems:
            errors.extend(problems)
            continue
        row = ClassificationRow(number, *values)
        if row.code in seen:
            errors.append(
                _("line %(line)d: %(code)s is already on line %(first)d.")
                % {"line": number, "code": row.code, "first": seen[row.code]}
            )
            continue
        seen[row.code] = number
        rows.append(row)
    if not rows and not errors:
        errors.append(_("The file has no lines of the classification."))
    if errors:
        raise InvalidInput(
            _("The classification was not loaded: %(n)d error(s).") % {"n": len(errors)},
            field_errors={"file": errors},
        )
    return rows


@transaction.atomic
def classification_load(
    *, rows: list[ClassificationRow], year: int, prune: bool = False
) -> LoadResult:
    """Create or rename the lines of ``year``; with ``prune``, delete the year's lines
    that are not in ``rows`` and that nothing points at (calls, purchases, payment
    orders, plan lines keep theirs)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            field_errors={
                "year": [
                    _("The budget year must be between %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                ]
            }
        )
    result = LoadResult(year=year)
    existing = {
        line.code: line
        for line in BudgetClassification.objects.select_for_update().filter(year=year)
    }
    for row in rows:
        line = existing.get(row.code)
        if line is None:
            line = BudgetClassification.objects.create(
                year=year,
                section=row.section,
                chapter=row.chapter,
                paragraph=row.paragraph,
                name=row.name,
            )
            result.created += 1
        elif line.name != row.name:
            line.name = row.name
            line.save(update_fields=["name"])
            result.renamed += 1
        else:
            result.unchanged += 1
        result.lines[row.code] = line
    if prune:
        for code, line in sorted(existing.items()):
            if code in result.lines:
                continue
            try:
                with transaction.atomic():
                    line.delete()
            except ProtectedError:
                result.kept_in_use.append(code)
            else:
                result.deleted += 1
    return result


def classification_load_sample(*, year: int) -> dict[str, BudgetClassification]:
    """The lines of ``year`` by code (e.g. ``"921-92105-2360"``), with the lines of the
    sample file shipped with the product added where missing (for the demo data; the
    names of lines already loaded are left as they are)."""
    lines = {line.code: line for line in BudgetClassification.objects.filter(year=year)}
    rows = classification_rows_parse(SAMPLE_CSV.read_bytes())
    missing = [row for row in rows if row.code not in lines]
    if missing:
        lines.update(classification_load(rows=missing, year=year).lines)
    return lines


@transaction.atomic
def classification_upload(*, actor, data: bytes, year: int) -> LoadResult:
    """Load a classification file sent on the page by a finance user: checked line by
    line (nothing is written when a line is wrong), each added or renamed line audited."""
    if not organisation_ids_with(actor, Role.FINANCE):
        raise NotPermitted(ONLY_WHO % {"who": roles_label(Role.FINANCE)})
    rows = classification_rows_parse(data)
    before = {line.code: line.name for line in BudgetClassification.objects.filter(year=year)}
    result = classification_load(rows=rows, year=year)
    for code, line in result.lines.items():
        if code not in before:
            audit_record(
                obj=line,
                actor=actor,
                action="classification_line_create",
                after=snapshot(line, ["year", "section", "chapter", "paragraph", "name"]),
            )
        elif before[code] != line.name:
            audit_record(
                obj=line,
                actor=actor,
                action="classification_line_rename",
                before={"name": before[code]},
                after={"name": line.name},
            )
    return result
