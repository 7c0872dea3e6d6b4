"""Messages kept as a key and parameters, rendered in the reader's language.

A notification does not store finished text: it stores the msgids of its subject and
body and the values that fill them (``params``, JSON). The inbox renders them in the
language of the page, the e-mail in the recipient's preferred language, both when
they are read; switching to English translates the inbox, old messages included.

A value keeps its kind so that it is formatted when read: a translatable label (its
msgid), a date or a moment ("30 November 2026, 23:59"), an amount of money
("1 234,56 zł"), a number with decimals in the reader's notation (a score: "24,50" in
Polish, "24.50" in English), a nested message (a line of a list) or a list of them (one
a line).

- ``Message``: a message a process declares (its key, subject and body msgids, and a
  function giving the values from the object).
- ``pack`` / ``render``: to JSON and back to text.
"""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext


@dataclass(frozen=True)
class Money:
    """An amount shown as "1 234,56 zł" whatever the language."""

    value: Decimal


@dataclass(frozen=True)
class Number:
    """A decimal that is not money (a score), written as the reader's language writes
    it: "24,50" in Polish, "24.50" in English."""

    value: Decimal


@dataclass(frozen=True)
class Line:
    """A nested message: its msgid and values, e.g. one return of a settlement."""

    text: object
    values: dict

    def __str__(self) -> str:
        """The line in the active language (a page lists it as it lists text)."""
        return fill(_text(self.text), pack_all(self.values))


@dataclass(frozen=True)
class Later:
    """A field of an object read when the message is read, not when it is written:
    the application number a submit takes as the last step of its transaction, after
    its notifications are written (#18: the number's lock is held for that step only).
    ``settle`` reads those of a page of messages in one query a model."""

    label: str  # "app_label.model"
    pk: int
    field: str

    @classmethod
    def of(cls, obj, field: str) -> "Later":
        return cls(obj._meta.label_lower, obj.pk, field)


@dataclass(frozen=True)
class Message:
    """What a transition says: ``values(obj)`` gives the figures (amounts, deadlines,
    texts) the subject and body name. ``action`` says what the reader must do and by
    when; it is a separate msgid so that the same event may ask different things."""

    key: str
    subject: object
    body: object
    values: Callable[[object], dict] | None = None
    # Names of the transition's form fields (its logged payload) the texts use, e.g.
    # the reason typed when cancelling.
    payload: tuple[str, ...] = ()


def _text(value) -> dict:
    """A translatable string as its msgid (with its context), or plain text as is."""
    if isinstance(value, Promise):
        _unpickle, (func, args, _kwargs, *_rest) = value.__reduce__()
        if getattr(func, "__name__", "") == "capfirst" and args:
            return {**_text(args[0]), "cap": 1}
        if func is pgettext:
            return {"t": args[1], "c": args[0]}
        if func is gettext:
            return {"t": args[0]}
        return {"s": str(value)}
    return {"s": str(value)}


def pack(value):
    """A value to JSON that keeps what it is."""
    if isinstance(value, Later):
        return {"later": [value.label, value.pk, value.field]}
    if isinstance(value, Money):
        return {"money": str(value.value)}
    if isinstance(value, Number):
        return {"number": str(value.value)}
    if isinstance(value, Line):
        return {"line": _text(value.text), "values": pack_all(value.values)}
    if isinstance(value, datetime.datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, Promise):
        return _text(value)
    if isinstance(value, list | tuple):
        return {"lines": [pack(item) for item in value]}
    if isinstance(value, Decimal):
        return {"money": str(value)}
    if value is None:
        return {"s": ""}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"n": value}  # kept a number: a msgid may format it with %(name)d
    return {"s": str(value)}


def pack_all(values: dict | None) -> dict:
    return {name: pack(value) for name, value in (values or {}).items()}


def _translate(packed: dict) -> str:
    if "t" not in packed:
        return packed.get("s", "")
    text = pgettext(packed["c"], packed["t"]) if "c" in packed else gettext(packed["t"])
    return capfirst(text) if packed.get("cap") else text


def _unpack(packed) -> str | int:
    from documents.formatting import format_amount

    if not isinstance(packed, dict):
        return str(packed)
    if "n" in packed:
        return packed["n"]
    if "money" in packed:
        return format_amount(Decimal(packed["money"]))
    if "number" in packed:
        return number_format(Decimal(packed["number"]), use_l10n=True)
    if "moment" in packed:
        moment = datetime.datetime.fromisoformat(packed["moment"])
        return date_format(timezone.localtime(moment), "j E Y, H:i")
    if "date" in packed:
        return date_format(datetime.date.fromisoformat(packed["date"]), "j E Y")
    if "later" in packed:
        return _read_later(*packed["later"])
    if "line" in packed:
        return fill(packed["line"], packed["values"])
    if "lines" in packed:
        return "\n".join(_unpack(item) for item in packed["lines"])
    return _translate(packed)


def fill(text: dict, values: dict) -> str:
    """A packed msgid in the active language, its ``%(name)s`` filled with the values
    formatted in the same language."""
    template = _translate(text)
    rendered = {name: _unpack(value) for name, value in values.items()}
    try:
        return template % rendered
    except (KeyError, TypeError, ValueError):
        # A msgid changed since the message was written: show it rather than fail.
        return template


def _read_later(label: str, pk: int, field: str) -> str:
    from django.apps import apps

    value = (
        apps.get_model(label)._default_manager.filter(pk=pk).values_list(field, flat=True).first()
    )
    return "" if value is None else str(value)


def _laters(packed, found: list) -> None:
    if isinstance(packed, dict):
        if "later" in packed:
            found.append(packed)
        for value in packed.values():
            _laters(value, found)
    elif isinstance(packed, list):
        for value in packed:
            _laters(value, found)


def settle(params_list: list[dict], *, read: bool = True) -> None:
    """Read the ``Later`` values of these messages' parameters, one query a model and
    field, and keep them as text in the (in-memory) parameters: a page of messages
    renders without a query a message."""
    from django.apps import apps

    found: list[dict] = []
    for params in params_list:
        _laters(params.get("values", {}), found)
    if not read:  # not set yet: written as empty
        for packed in found:
            del packed["later"]
            packed["s"] = ""
        return
    wanted: dict[tuple[str, str], set[int]] = {}
    for packed in found:
        label, pk, field = packed["later"]
        wanted.setdefault((label, field), set()).add(pk)
    read = {}
    for (label, field), pks in wanted.items():
        rows = apps.get_model(label)._default_manager.filter(pk__in=pks)
        for pk, value in rows.values_list("pk", field):
            read[(label, pk, field)] = "" if value is None else str(value)
    for packed in found:
        value = read.get(tuple(packed.pop("later")), "")
        packed["s"] = value


def render(params: dict, *, read_later: bool = True) -> tuple[str, str]:
    """The subject and body of a stored message in the active language; its ``Later``
    values read in one query (or left empty when they are not set yet)."""
    found: list[dict] = []
    _laters(params.get("values", {}), found)
    if found:
        params = copy.deepcopy(params)
        settle([params], read=read_later)
    values = params.get("values", {})
    return fill(params["subject"], values), fill(params["body"], values)


def message_params(subject, body, values: dict | None) -> dict:
    return {"subject": _text(subject), "body": _text(body), "values": pack_all(values)}
