"""The purchase admins write nothing behind the services: the rules are saved through
``services.regulation_row_save`` (audited, not deleted), suppliers are read-only."""

from decimal import Decimal

import pytest

from accounts.models import Role
from purchases.models import ThresholdSetting
from tests.clients import web
from workflows.audit import audit_entries_for

from .factories import SupplierFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(organisation):
    user = user_with(organisation, Role.ORG_ADMIN)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_a_threshold_changed_in_the_admin_is_audited_and_cannot_be_deleted(admin_user):
    row = ThresholdSetting.objects.create(valid_from="2031-01-01", net_amount=Decimal("140000.00"))
    url = f"/admin/purchases/thresholdsetting/{row.pk}/change/"

    response = web(admin_user).post(
        url,
        {
            "valid_from": "2031-01-01",
            "valid_to": "",
            "net_amount": "150000.00",
            "legal_basis": row.legal_basis,
        },
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.net_amount == Decimal("150000.00")
    (entry,) = audit_entries_for(row)
    assert entry.action == "thresholdsetting_update"
    assert entry.actor == admin_user
    assert entry.before == {"net_amount": "140000.00"}
    assert entry.after == {"net_amount": "150000.00"}
    assert (
        web(admin_user).get(f"/admin/purchases/thresholdsetting/{row.pk}/delete/").status_code
        == 403
    )


def test_suppliers_are_read_only_in_the_admin(admin_user, organisation):
    supplier = SupplierFactory(organisation=organisation)
    client = web(admin_user)

    assert client.get("/admin/purchases/supplier/add/").status_code == 403
    change = client.get(f"/admin/purchases/supplier/{supplier.pk}/change/")
    assert change.status_code == 200
    assert 'name="name"' not in change.content.decode()
    response = client.post(
        f"/admin/purchases/supplier/{supplier.pk}/change/", {"name": "Inna nazwa"}
    )
    supplier.refresh_from_db()
    assert response.status_code == 403
    assert supplier.name != "Inna nazwa"
