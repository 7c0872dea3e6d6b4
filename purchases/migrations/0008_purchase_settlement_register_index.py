"""The settlement register reads a page of an organisation's rows in its order (date, number,
id) from this index instead of sorting them all (#18)."""

import django.db.models.functions.comparison
import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('purchases', '0007_area'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='purchase',
            index=models.Index(models.F('organisation'), django.db.models.functions.comparison.Coalesce('signed_on', django.db.models.functions.datetime.TruncDate('awarded_at'), output_field=models.DateField()), models.F('number'), models.F('id'), condition=models.Q(('awarded_at__isnull', False)), name='purchase_settlement_idx'),
        ),
    ]
