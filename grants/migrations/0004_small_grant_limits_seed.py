"""The art. 19a limits in force when the product was written: 10 000 zł per offer, a
task of at most 90 days, 20 000 zł per organisation in a calendar year, offers
published for comments for 7 days, NGOs (and the entities of art. 3 ust. 3) only.
An amendment of the act is a new row in the admin, not a new migration."""

import datetime
from decimal import Decimal

from django.db import migrations

LEGAL_BASIS = (
    "art. 19a ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego "
    "i o wolontariacie"
)


def seed(apps, schema_editor):
    SmallGrantLimits = apps.get_model("grants", "SmallGrantLimits")
    SmallGrantLimits.objects.get_or_create(
        valid_from=datetime.date(2019, 1, 1),
        defaults={
            "max_grant": Decimal("10000.00"),
            "max_duration_days": 90,
            "yearly_cap": Decimal("20000.00"),
            "comment_period_days": 7,
            "ngo_only": True,
            "legal_basis": LEGAL_BASIS,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("grants", "SmallGrantLimits").objects.filter(
        valid_from=datetime.date(2019, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("grants", "0003_small_grant_limits")]

    operations = [migrations.RunPython(seed, unseed)]
