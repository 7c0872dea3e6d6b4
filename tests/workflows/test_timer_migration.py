"""Timers stored by position before migration 0006 get the name of the declaration that
position held, so they keep firing what they were written for."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("workflows", "0005_outbox")]
AFTER = [("workflows", "0006_timer_name")]


def test_the_migration_names_rows_stored_by_position():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    content_type = old.get_model("contenttypes", "ContentType")
    timer = old.get_model("workflows", "Timer")
    rows = [
        (("grants", "application"), "published_for_comment", 1),
        (("finance", "paymentbatch"), "approved", 1),
        (("purchases", "purchase"), "quoting", 0),
    ]
    for (app_label, model), state, declaration in rows:
        timer.objects.create(
            content_type=content_type.objects.get(app_label=app_label, model=model),
            object_id=1,
            state=state,
            declaration=declaration,
            kind="deadline",
            due_at=NOW + datetime.timedelta(days=1),
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    names = list(new.get_model("workflows", "Timer").objects.order_by("pk").values_list("name"))
    assert names == [
        ("published_for_comment:end_comment_period",),
        ("approved:overdue",),
        ("quoting:close_quoting",),
    ]
