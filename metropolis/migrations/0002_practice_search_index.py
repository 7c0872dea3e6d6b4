"""The catalogue's full-text search: a GIN index on the 'simple' text-search vector of
the stemmed words (``metropolis.stemming``), the expression Django's ``SearchVector``
writes, so the search reads the index. SQLite (the embedded mode) has no text search:
it searches with LIKE and migrates past this without an index."""

from django.db import migrations

INDEX = "metropolis_practice_search_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON metropolis_goodpractice USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("metropolis", "0001_good_practices_programmes")]

    operations = [migrations.RunPython(create, drop)]
