"""Recompute the SHA-256 of every stored document's file and compare it with the hash
recorded when it was stored (after a restore, or now and then as an archive check).

Prints one line per document that is missing or altered and a summary; exits with
status 1 if any is, so a script (scripts/ci_backup_restore.sh) can rely on it.
"""

import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from documents.models import Document

CHUNK = 1 << 20


def file_sha256(name: str) -> str | None:
    """The file's SHA-256, or None when the storage has no such file."""
    if not default_storage.exists(name):
        return None
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Check every stored document's file against its recorded SHA-256."

    def handle(self, *args, **options):
        checked = failed = 0
        documents = Document.objects.order_by("pk").values_list("pk", "file", "sha256")
        for pk, name, recorded in documents.iterator(chunk_size=500):
            checked += 1
            actual = file_sha256(name)
            if actual is None:
                failed += 1
                self.stdout.write(f"document {pk}: file {name} is missing")
            elif actual != recorded:
                failed += 1
                self.stdout.write(
                    f"document {pk}: file {name} has SHA-256 {actual}, not {recorded}"
                )
        summary = f"{checked} documents checked, {failed} missing or altered."
        if failed:
            raise CommandError(summary)
        self.stdout.write(summary)
