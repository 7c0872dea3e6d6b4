"""The settlement register reads a page of an organisation's rows in its order (date, number,
id) from this index instead of sorting them all (#18)."""

import django.db.models.functions.comparison
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0015_metropolis_wide_calls'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(models.F('organisation'), django.db.models.functions.comparison.Coalesce('signed_on', django.db.models.functions.datetime.TruncDate('created_at'), output_field=models.DateField()), models.F('number'), models.F('id'), name='agreement_settlement_idx'),
        ),
    ]
