import pytest
from django.core.management import call_command

from finance.models import BatchItem, PaymentBatch, PaymentOrder
from grants.models import Application
from purchases.models import Purchase
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_demo_data_has_a_batch_in_each_state_and_pays_a_rejected_order_later(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo")
    call_command("load_demo")

    batches = dict(PaymentBatch.objects.values_list("number", "state"))
    year = PaymentBatch.objects.order_by("pk").first().number.split("/")[1]
    assert batches == {
        f"P/{year}/0001": "paid",
        f"P/{year}/0002": "cancelled",
        f"P/{year}/0003": "approved",
        f"P/{year}/0004": "exported",
        f"P/{year}/0005": "draft",
    }
    rejected = BatchItem.objects.get(outcome="rejected")
    later = BatchItem.objects.get(order=rejected.order, outcome="pending")
    assert rejected.batch.number == f"P/{year}/0001"
    assert later.batch.number == f"P/{year}/0003"
    assert later.batch.approved_by.email == "skarbnik@example.org"
    assert later.batch.created_by.email == "ksiegowosc@example.org"
    exported = PaymentBatch.objects.get(state="exported")
    assert exported.file_content and exported.items.filter(order__kind="invoice").exists()
    assert Purchase.objects.filter(state="invoiced").count() == 1
    assert PaymentOrder.objects.filter(state="ordered").count() == 1
    assert BatchItem.objects.filter(outcome="paid").count() == 2

    # Nothing is paid after the demo's own today, and no grant money goes to an
    # application that was not approved (only the granted one has an agreement).
    paid_on = {
        *PaymentOrder.objects.exclude(paid_on=None).values_list("paid_on", flat=True),
        *BatchItem.objects.exclude(paid_on=None).values_list("paid_on", flat=True),
        *Purchase.objects.exclude(paid_on=None).values_list("paid_on", flat=True),
    }
    assert paid_on == {NOW.date()}
    tranches = PaymentOrder.objects.filter(kind="grant_tranche")
    assert sorted(tranches.values_list("beneficiary_name", "state")) == [
        ("Słoneczna Ekipa", "paid")
    ]
    applicants = set(Application.objects.values_list("applicant_name", flat=True))
    assert not applicants & set(
        PaymentOrder.objects.filter(kind="invoice").values_list("beneficiary_name", flat=True)
    )
