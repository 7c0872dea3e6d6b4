"""/health/: what the load balancer and monitoring see."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_healthy_stack_answers_200_with_every_check_ok(client, db, media, settings):
    response = client.get("/health/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    port = settings.CELERY_BROKER_URL.split(":")[-1].split("/")[0]
    db_number = settings.CELERY_BROKER_URL.rsplit("/", 1)[1]
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Migrations(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        f"Redis(db={db_number}, host='127.0.0.1', port={port})": "OK",
    }
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response["X-Version"] == "0.1.0"


def test_broker_unreachable_answers_503_naming_the_broker_without_a_traceback(
    client, db, media, settings
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/health/", HTTP_ACCEPT="application/json")

    assert response.status_code == 503
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Migrations(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        "Redis(db=0, host='127.0.0.1', port=1)": "Unavailable: Unable to connect to Redis: "
        "Connection Error",
    }
    assert b"Traceback" not in response.content


def test_a_worker_is_checked_when_tasks_are_not_run_eagerly(settings):
    from ops.health import health_checks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert health_checks()[-1] == "health_check.contrib.celery.Ping"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert "health_check.contrib.celery.Ping" not in health_checks()


def test_unapplied_migrations_make_the_stack_unhealthy(db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor
    from health_check.exceptions import ServiceUnavailable

    from ops.health import Migrations

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [1, 2])
    with pytest.raises(ServiceUnavailable, match=r"^Unavailable: 2 migration\(s\) not applied$"):
        Migrations().run()
