"""Production log lines: one JSON object a line, with the request id and user id, and
no e-mail address or PESEL."""

import json
import logging

from ops.logging import JsonFormatter, request_id_var, request_var
from tests.clients import web


def record(message, *args, **extra):
    rec = logging.LogRecord("grants.services", logging.WARNING, __file__, 1, message, args, None)
    rec.__dict__.update(extra)
    return rec


def test_a_line_is_one_json_object_with_time_level_logger_and_no_request():
    line = JsonFormatter().format(record("Call %s published", 7))

    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-11-23T09:00:00.000Z",
        "level": "WARNING",
        "logger": "grants.services",
        "message": "Call 7 published",
        "request_id": None,
        "user_id": None,
    }


def test_a_line_inside_a_request_carries_its_id_and_the_signed_in_user(official, rf):
    request = rf.get("/")
    request.user = official
    token, id_token = request_var.set(request), request_id_var.set("req-1")
    try:
        line = JsonFormatter().format(record("Payment %s", "x", amount="10.00"))
    finally:
        request_var.reset(token)
        request_id_var.reset(id_token)

    assert json.loads(line) == {
        "time": "2026-11-23T09:00:00.000Z",
        "level": "WARNING",
        "logger": "grants.services",
        "message": "Payment x",
        "amount": "10.00",
        "request_id": "req-1",
        "user_id": official.pk,
    }


def test_e_mail_addresses_and_pesel_numbers_are_masked_in_message_and_fields():
    line = JsonFormatter().format(
        record("Sent to %s (PESEL %s)", "jan.kowalski@example.org", "44051401359", to="a@b.pl")
    )

    data = json.loads(line)
    assert data["message"] == "Sent to [email] (PESEL [pesel])"
    assert data["to"] == "[email]"
    assert "example.org" not in line and "44051401359" not in line


class Lines(logging.Handler):
    """Formats each record as it is emitted, inside the request's context."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


def test_every_request_gets_an_id_and_one_json_line_with_the_user(official, db):
    from django.test import Client

    handler = Lines()
    request_logger = logging.getLogger("ops.request")
    request_logger.addHandler(handler)
    level = request_logger.level
    request_logger.setLevel(logging.INFO)
    try:
        signed_in = web(official).get("/", HTTP_X_REQUEST_ID="lb-42")
        anonymous = Client().get("/dostepnosc/?q=jan@example.org")
    finally:
        request_logger.removeHandler(handler)
        request_logger.setLevel(level)

    assert signed_in["X-Request-ID"] == "lb-42"
    assert len(anonymous["X-Request-ID"]) == 32  # a new uuid4, hex
    for line in handler.lines:
        assert isinstance(line.pop("duration_ms"), int)
    assert handler.lines == [
        {
            "time": "2026-11-23T09:00:00.000Z",
            "level": "INFO",
            "logger": "ops.request",
            "message": "GET / 200",
            "method": "GET",
            "path": "/",
            "status": 200,
            "request_id": "lb-42",
            "user_id": official.pk,
        },
        {
            "time": "2026-11-23T09:00:00.000Z",
            "level": "INFO",
            "logger": "ops.request",
            "message": "GET /dostepnosc/ 200",
            "method": "GET",
            "path": "/dostepnosc/",
            "status": 200,
            "request_id": anonymous["X-Request-ID"],
            "user_id": None,
        },
    ]


def test_a_forged_request_id_is_replaced(db):
    from django.test import Client

    response = Client().get("/dostepnosc/", HTTP_X_REQUEST_ID="a b\n{}")

    assert response["X-Request-ID"] != "a b\n{}"
    assert len(response["X-Request-ID"]) == 32
