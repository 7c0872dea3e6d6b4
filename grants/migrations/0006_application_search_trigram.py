"""Trigram indexes for the application search (number or title, ``icontains``), so the
queue and the API search do not read every application. PostgreSQL only: the embedded
SQLite mode has no pg_trgm and migrates past this without an index."""

from django.db import migrations

INDEXES = {
    "grants_application_title_trgm": "title",
    "grants_application_number_trgm": "number",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        # The expression Django's icontains compiles to: UPPER("column"::text) LIKE ...
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON grants_application "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("grants", "0005_version")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
