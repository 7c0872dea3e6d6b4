"""Applications' files now live in the attachments app (copied by its migration
0002_from_grants), shared with reports and purchases."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0013_case_handlers"),
        ("attachments", "0002_from_grants"),
    ]

    operations = [migrations.DeleteModel(name="Attachment")]
