"""Form fuzzing for the HTML pages: post a valid form with one field at a time replaced
by a value a careless or hostile user may type, and collect every answer that is not
what a page owes them (never a server error; a refusal that says why and changes
nothing)."""

import re
from collections.abc import Callable, Iterable

from django.test import Client

GARBAGE = {
    "garbage decimal": "1,2,3",
    "impossible date": "2026-02-30",
    "huge text": "Ż" * 100_000,
    "emoji": "🌳🏡👩‍👩‍👧",
    "NUL": "a\x00b",
    "negative": "-1",
    "huge number": "1e400",
}

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def garbage_for(value: str) -> dict[str, str]:
    """The garbage that means something for a field holding ``value``: broken numbers for
    a number, an impossible date for a date, huge text and a NUL for text. (Every kind
    goes into every field at once too, see ``fuzz_form``.)"""
    if NUMBER.match(value or ""):
        names = ("garbage decimal", "negative", "huge number")
    elif DATE.match(value or ""):
        names = ("impossible date",)
    else:
        names = ("huge text", "NUL")
    return {name: GARBAGE[name] for name in names}


# What a refused page shows: a field marked invalid, an error summary or an error message.
ERROR_MARKS = (
    'aria-invalid="true"',
    'class="error-summary"',
    'class="field-errors"',
    'class="message error"',
)


def page_client(user) -> Client:
    """A signed-in client that answers a server error as a 500 instead of raising it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def fuzz_form(
    client: Client,
    url: str,
    base: dict,
    *,
    snapshot: Callable[[], object],
    fields: Iterable[str] | None = None,
    values: dict[str, str] | None = None,
) -> list[tuple[str, str, str]]:
    """Post ``base`` with each of ``fields`` (all by default) set to each garbage value
    (``values``, or those that fit the field's valid value, ``garbage_for``), then with
    every one of them set at once to each kind of garbage.

    Returns the problems as (field, value's name, what went wrong): a 5xx, an answer
    other than 200, 302 or 400, a refusal without a message, or a refusal after which
    ``snapshot()`` (what the post may change) differs. An accepted post (302) is fine:
    the value was valid there, and it becomes the new state to compare with."""
    problems = []
    before = snapshot()
    fields = list(fields if fields is not None else base)
    posts = [
        (field, name, {**base, field: value})
        for field in fields
        for name, value in (values or garbage_for(str(base.get(field, "")))).items()
    ]
    posts += [
        ("every field", name, {**base, **dict.fromkeys(fields, value)})
        for name, value in (values or GARBAGE).items()
    ]
    for field, name, data in posts:
        response = client.post(url, data)
        status = response.status_code
        if status == 302:
            before = snapshot()
            continue
        if status not in (200, 400):
            problems.append((field, name, f"answered {status}"))
            continue
        page = response.content.decode()
        if not any(mark in page for mark in ERROR_MARKS):
            problems.append((field, name, "refused without a message"))
        after = snapshot()
        if after != before:
            problems.append((field, name, "changed what a refusal must keep"))
            before = after
    return problems
