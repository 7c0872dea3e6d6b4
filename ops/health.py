"""``/health/``, for the load balancer and monitoring (django-health-check).

Checks the database, that every migration is applied, the cache (sign-in rate limits),
the file storage, and when a broker is configured the broker (Redis) and that a Celery
worker answers a ping on every queue. Healthy: 200; any check failing: 503 with the
failing check's message (never a traceback), as JSON with ``Accept: application/json``
or ``?format=json``.
"""

import dataclasses

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration the code knows is applied to the database."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable("Database unavailable") from error
        finally:
            connection.close()
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")


def _broker_client():
    from redis.asyncio import Redis

    return Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)


def health_checks() -> list:
    """The checks for the current settings: without a broker (the embedded mode, tasks
    run eagerly) there is no broker and no worker to check."""
    checks = [
        "health_check.checks.Database",
        Migrations,
        "health_check.checks.Cache",
        "health_check.checks.Storage",
    ]
    if settings.CELERY_BROKER_URL:
        checks.append(("health_check.contrib.redis.Redis", {"client_factory": _broker_client}))
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append("health_check.contrib.celery.Ping")
    return checks


class HealthView(HealthCheckView):
    """django-health-check's view with the checks above, answering 503 when unhealthy
    (the load balancer's signal to send no traffic), never 500."""

    UNHEALTHY = 503

    @property
    def checks(self):
        return health_checks()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = self.UNHEALTHY
        response["X-Version"] = settings.VERSION
        return response
