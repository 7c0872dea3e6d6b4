"""Under the application's database role the logs and the archive cannot be changed or
emptied (PostgreSQL only: the roles and grants of ops.db_roles)."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

APPEND_ONLY = (
    "django_fsm_log_statelog",
    "workflows_transitionpayload",
    "workflows_auditentry",
    "documents_document",
    "finance_export",
)
PASSWORD = "app-role-test-only"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"' if _exists(cursor, role) else "SELECT 1")
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cursor.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
        db = connection.settings_dict["NAME"]
        cursor.execute(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"')
    call_command("db_grants", role)
    settings = connection.settings_dict
    app = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
    )
    yield role, app
    app.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def _exists(cursor, role):
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def refused(app, sql) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
        app.execute(sql)
    return str(error.value).splitlines()[0]


def test_the_application_role_cannot_change_or_empty_the_logs_and_archive(app_role):
    _role, app = app_role
    for table in APPEND_ONLY:
        assert_append_only(app, table)


def assert_append_only(app, table):
    assert app.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    assert refused(app, f"DELETE FROM {table}") == f"permission denied for table {table}"
    assert refused(app, f"TRUNCATE {table}") == f"permission denied for table {table}"
    assert refused(app, f"ALTER TABLE {table} DISABLE TRIGGER ALL") == (
        f"must be owner of table {table}"
    )
    assert refused(app, f"DROP TABLE {table}") == f"must be owner of table {table}"
    key = "log_id" if table == "workflows_transitionpayload" else "id"
    assert refused(app, f"UPDATE {table} SET {key} = {key}") == (
        f"permission denied for table {table}"
    )


def test_the_export_log_lets_the_application_report_progress_only(app_role):
    _role, app = app_role

    app.execute("UPDATE finance_export SET rows_done = 0, status = 'done' WHERE false")
    assert refused(app, "UPDATE finance_export SET user_id = 1 WHERE false") == (
        "permission denied for table finance_export"
    )
    assert refused(app, "UPDATE finance_export SET filters = '{}' WHERE false") == (
        "permission denied for table finance_export"
    )


def test_the_application_role_works_on_ordinary_tables_and_owns_nothing(app_role):
    role, app = app_role

    app.execute("UPDATE django_session SET expire_date = expire_date WHERE false")
    app.execute("DELETE FROM django_session WHERE false")
    owned = app.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE r.rolname = %s",
        [role],
    ).fetchone()
    assert owned == (0,)
    assert refused(app, "CREATE TABLE intruder (id int)") == "permission denied for schema public"
