"""``manage.py load_classification FILE --year 2027``: load a year's budget
classification from a CSV file (format in ``finance.services.classification`` and
``docs/finance.md``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from finance.services.classification import classification_load, classification_rows_parse
from workflows.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Load the budget classification of one budget year from a CSV file "
        "(UTF-8, header 'dział;rozdział;paragraf;nazwa'). Loading again renames existing "
        "lines and adds new ones; nothing is written when any line is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--year", type=int, required=True, help="the budget year")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="delete the year's lines missing from the file, unless something uses them",
        )

    def handle(self, *args, file: Path, year: int, prune: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc
        try:
            rows = classification_rows_parse(data)
            result = classification_load(rows=rows, year=year, prune=prune)
        except InvalidInput as exc:
            problems = [m for messages in exc.field_errors.values() for m in messages]
            raise CommandError("\n".join([str(exc.message), *problems])) from exc
        self.stdout.write(
            _(
                "Budget classification %(year)d: %(created)d added, %(renamed)d renamed, "
                "%(unchanged)d unchanged."
            )
            % {
                "year": year,
                "created": result.created,
                "renamed": result.renamed,
                "unchanged": result.unchanged,
            }
        )
        if prune:
            self.stdout.write(
                _("Deleted %(deleted)d line(s) missing from the file; kept in use: %(kept)s.")
                % {"deleted": result.deleted, "kept": ", ".join(result.kept_in_use) or "–"}
            )
