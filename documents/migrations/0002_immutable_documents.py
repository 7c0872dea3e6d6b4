"""Make stored documents immutable on PostgreSQL: a trigger rejects UPDATE of a
document row. (Deleting is left to the retention rules that come with the archive's
disposal process, and TRUNCATE, used only to empty a test database, stays possible.)"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION documents_reject_document_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Stored documents are immutable: % on % is not allowed',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER documents_document_immutable BEFORE UPDATE ON documents_document "
        "FOR EACH ROW EXECUTE FUNCTION documents_reject_document_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS documents_document_immutable ON documents_document;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS documents_reject_document_change();")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
