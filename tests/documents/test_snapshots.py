"""A document's context survives the outbox: the values come back as they went in."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from documents.snapshots import OwnerAttribute, context_freeze, context_thaw
from tests.workflows.sample.models import Ticket

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def test_plain_values_come_back_with_their_types():
    context = {
        "document_title": gettext_lazy("Grant agreement"),
        "amount": Decimal("20000.00"),
        "signed_on": datetime.date(2026, 11, 23),
        "at": datetime.datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW),
        "rows": [{"n": 1, "share": 0.5, "ok": True, "note": None}],
        "pair": ("a", Decimal("0.10")),
    }

    thawed = context_thaw(json.loads(json.dumps(context_freeze(context))))

    assert thawed == {
        "document_title": "Umowa o dotację",
        "amount": Decimal("20000.00"),
        "signed_on": datetime.date(2026, 11, 23),
        "at": datetime.datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW),
        "rows": [{"n": 1, "share": 0.5, "ok": True, "note": None}],
        "pair": ["a", Decimal("0.10")],
    }
    assert [type(thawed[k]) for k in ("amount", "signed_on", "at")] == [
        Decimal,
        datetime.date,
        datetime.datetime,
    ]


def test_a_model_instance_is_refused():
    with pytest.raises(TypeError, match="plain values, not Ticket"):
        context_freeze({"ticket": Ticket()})


def test_an_owner_attribute_is_read_from_the_owner_when_thawed():
    frozen = json.loads(json.dumps(context_freeze({"document_number": OwnerAttribute("title")})))

    assert frozen == {"document_number": {"__snapshot__": "owner", "value": "title"}}
    assert context_thaw(frozen, Ticket(title="T/2026/0007")) == {"document_number": "T/2026/0007"}
