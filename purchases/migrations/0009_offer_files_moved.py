"""Offers' files now live in the attachments app (copied by its migration
0003_from_purchases), judged and scanned as every attachment."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("purchases", "0008_purchase_settlement_register_index"),
        ("attachments", "0003_from_purchases"),
    ]

    operations = [migrations.DeleteModel(name="OfferAttachment")]
