"""The application's database role: it owns nothing, so it cannot drop a table, disable
a trigger or TRUNCATE; and the logs and archives are append-only for it.

Two roles (``scripts/db_roles.sql`` creates them): the *owner* owns the database's
tables and runs the migrations; the *application* role (``DATABASE_URL`` of the web
process, worker and beat) gets plain DML on every table, except on the tables below,
where it may only read and add rows. ``db_grants`` (run by the owner after every
``migrate``) applies this; it is idempotent.
"""

from django.db import connection

# Rows are added, never changed or removed (the transition log, its payloads, the
# audit log, the document archive, the versions of organisations' document wording).
APPEND_ONLY = (
    "django_fsm_log_statelog",
    "workflows_transitionpayload",
    "workflows_auditentry",
    "documents_document",
    "documents_templateoverride",
    "finance_export",
)
# The export log records who exported what; a background (XLSX) export then reports
# its progress and its file in these columns of its own row, so the application may
# update those columns only (never who, what, which filters or when).
COLUMN_UPDATES = {
    "finance_export": ("status", "rows_total", "rows_done", "file", "error", "finished_at"),
}


def grant_statements(role: str) -> list[str]:
    """The statements that give ``role`` what the application needs, for the tables
    that exist now."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {quoted}",
    ]
    for table in APPEND_ONLY:
        if table not in tables:
            continue
        statements.append(f"REVOKE UPDATE, DELETE ON {table} FROM {quoted}")
        columns = COLUMN_UPDATES.get(table)
        if columns:
            statements.append(f"GRANT UPDATE ({', '.join(columns)}) ON {table} TO {quoted}")
    return statements


def grants_apply(*, role: str) -> list[str]:
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
