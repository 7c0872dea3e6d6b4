"""Make the transition log append-only on PostgreSQL: a trigger rejects UPDATE and
DELETE on django-fsm-log's StateLog and on TransitionPayload. (TRUNCATE, used only to
empty a test database, is not a row operation and stays possible.)"""

from django.db import migrations

TABLES = ("django_fsm_log_statelog", "workflows_transitionpayload")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION workflows_reject_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The transition log is append-only: % on % is not allowed',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION workflows_reject_log_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS workflows_reject_log_change();")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
