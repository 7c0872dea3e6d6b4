"""Record each document's retention (documents.retention): five years from 1 January of
the year after it was stored. Rows already stored get it from their ``created_at``
(its year in Warsaw); the immutability trigger is set aside for that one UPDATE, by
the owner of the table, in this migration's transaction."""

import datetime
import zoneinfo

from django.db import migrations, models

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def backfill(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE documents_document DISABLE TRIGGER documents_document_immutable"
        )
    for pk, created_at in Document.objects.values_list("pk", "created_at"):
        year = created_at.astimezone(WARSAW).year
        Document.objects.filter(pk=pk).update(retain_until=datetime.date(year + 5, 12, 31))
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE documents_document ENABLE TRIGGER documents_document_immutable"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_immutable_documents")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="retain_until",
            field=models.DateField(null=True, verbose_name="retain until"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="document",
            name="retain_until",
            field=models.DateField(verbose_name="retain until"),
        ),
    ]
