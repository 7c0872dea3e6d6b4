"""Timers name their declaration (``StateTimer.key``) instead of its position in the
workflow's ``timers`` tuple, so that reordering a declaration cannot retarget stored
rows. Existing rows get the names the positions had when this migration was written."""

from django.db import migrations, models

# (app_label, model) -> the keys of its timers, in the order they were declared then.
DECLARED = {
    ("grants", "call"): ["published:start_evaluation"],
    ("grants", "application"): [
        "corrections_requested:reject_missed_corrections",
        "published_for_comment:end_comment_period",
    ],
    ("grants", "agreement"): ["in_implementation:overdue", "settled:overdue"],
    ("purchases", "purchase"): ["quoting:close_quoting"],
    ("finance", "paymentorder"): ["ordered:overdue"],
    ("finance", "paymentbatch"): ["draft:overdue", "approved:overdue"],
}


def name_rows(apps, schema_editor):
    Timer = apps.get_model("workflows", "Timer")
    for timer in Timer.objects.select_related("content_type").iterator():
        keys = DECLARED.get((timer.content_type.app_label, timer.content_type.model), [])
        if timer.declaration < len(keys):
            timer.name = keys[timer.declaration]
        else:
            timer.name = f"{timer.state}:unknown-{timer.declaration}"
        timer.save(update_fields=["name"])


def number_rows(apps, schema_editor):
    Timer = apps.get_model("workflows", "Timer")
    for timer in Timer.objects.select_related("content_type").iterator():
        keys = DECLARED.get((timer.content_type.app_label, timer.content_type.model), [])
        timer.declaration = keys.index(timer.name) if timer.name in keys else 0
        timer.save(update_fields=["declaration"])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflows", "0005_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="timer",
            name="name",
            field=models.CharField(default="", max_length=80),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="timer",
            name="declaration",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(name_rows, number_rows),
        migrations.RemoveField(model_name="timer", name="declaration"),
    ]
