"""Log lines for production: one JSON object a line, with the request's id and the
signed-in user's id, and no personal data.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) gives every request an id (the
proxy's ``X-Request-ID`` when it is a plain token, else a new one), keeps it and the
user's id in context variables for every log line written while the request is
served, answers it in ``X-Request-ID`` and writes one line per request (method, path
without the query string, status, duration). ``JsonFormatter`` writes the lines;
before writing it replaces anything that looks like an e-mail address or a PESEL by
a placeholder, in the message and in every extra field, so that a careless log call
cannot leak them. In a Celery task the task's id is added.
"""

import contextvars
import datetime
import logging
import re
import time
import uuid

from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
request_var: contextvars.ContextVar = contextvars.ContextVar("request", default=None)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PESEL = re.compile(r"(?<!\d)\d{11}(?!\d)")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")

logger = logging.getLogger("ops.request")


def redact(value: str) -> str:
    """``value`` with e-mail addresses and PESEL-like numbers replaced."""
    return PESEL.sub("[pesel]", EMAIL.sub("[email]", value))


def _user_id() -> int | None:
    """The signed-in user's id, once the request knows its user; never queries (a
    user not yet loaded by ``AuthenticationMiddleware``'s lazy object counts as none)."""
    request = request_var.get()
    user = getattr(request, "__dict__", {}).get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    return user.pk if getattr(user, "is_authenticated", False) else None


def _task_id() -> str | None:
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return None
    request = getattr(current_task, "request", None)
    return getattr(request, "id", None) if current_task else None


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message,
    request_id, user_id, task_id (when set) and the record's ``extra`` fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        log_record["time"] = (
            datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        super().add_fields(log_record, record, message_dict)
        log_record["request_id"] = request_id_var.get()
        log_record["user_id"] = _user_id()
        task_id = _task_id()
        if task_id:
            log_record["task_id"] = task_id

    def process_log_record(self, log_record):
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in log_record.items()
        }


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        request_token = request_var.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            if hasattr(request, "user"):
                request.user.is_authenticated  # noqa: B018 - loads the user for the line
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            request_id_var.reset(id_token)
            request_var.reset(request_token)
