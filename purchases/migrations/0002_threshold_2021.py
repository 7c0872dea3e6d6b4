"""The procurement threshold in force since 1 January 2021 (art. 2 ust. 1 pkt 1 of the
public procurement law of 11 September 2019): 130 000 PLN net. Data, not code: a new
threshold is a new row with its own dates."""

import datetime
from decimal import Decimal

from django.db import migrations


def forwards(apps, schema_editor):
    ThresholdSetting = apps.get_model("purchases", "ThresholdSetting")
    if not ThresholdSetting.objects.exists():
        ThresholdSetting.objects.create(
            valid_from=datetime.date(2021, 1, 1),
            net_amount=Decimal("130000.00"),
            legal_basis="art. 2 ust. 1 pkt 1 ustawy z dnia 11 września 2019 r. Prawo zamówień publicznych",
        )


class Migration(migrations.Migration):
    dependencies = [("purchases", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
