"""Issue 11, section 8: a purchase's need carries a version (API If-Match, a hidden
field on the page); supplier changes and offer rejections are audited."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role
from purchases import services
from purchases.models import Purchase
from tests.conftest import NOW
from tests.forms_support import form_data
from workflows.audit import audit_entries_for

from .factories import purchase_draft, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(organisation):
    return user_with(organisation, Role.OFFICIAL)


@pytest.fixture
def draft(organisation, official, group, bands):
    return purchase_draft(organisation=organisation, official=official, group=group)


def test_a_stale_purchase_edit_through_the_api_is_a_409(official, draft):
    client = APIClient()
    client.force_authenticate(official)
    url = f"/api/v1/purchases/{draft.pk}/"

    detail = client.get(url)
    fresh = client.patch(url, {"title": "Warsztaty A"}, format="json", HTTP_IF_MATCH='"1"')
    stale = client.patch(url, {"title": "Warsztaty B"}, format="json", HTTP_IF_MATCH='"1"')
    unversioned = client.patch(url, {"title": "Warsztaty C"}, format="json")

    assert (detail.status_code, detail["ETag"]) == (200, '"1"')
    assert (fresh.status_code, fresh["ETag"]) == (200, '"2"')
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "Ktoś inny zmienił tę pozycję po tym, jak ją otworzyłeś (jest teraz w "
        "wersji 2, a Ty edytowałeś wersję 1). Nic nie zostało zapisane: wczytaj ją "
        "ponownie i wprowadź zmianę jeszcze raz."
    }
    assert (unversioned.status_code, unversioned["ETag"]) == (200, '"3"')
    assert Purchase.objects.values_list("title", "version").get(pk=draft.pk) == (
        "Warsztaty C",
        3,
    )


def test_the_purchase_page_shows_a_stale_edit_as_a_conflict(official, draft):
    client = Client()
    client.force_login(official)
    url = f"/zakupy/{draft.pk}/edycja/"
    data = form_data(client.get(url).content.decode())
    assert data["version"] == "1"
    services.purchase_update(purchase=draft, actor=official, title="Zmienione obok")

    response = client.post(url, {**data, "title": "Moje warsztaty"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ktoś inny zapisał tę pozycję, gdy ją edytowałeś." in html
    assert 'value="Moje warsztaty"' in html
    assert Purchase.objects.values_list("title", "version").get(pk=draft.pk) == (
        "Zmienione obok",
        2,
    )
    again = client.post(url, form_data(html))
    assert again.status_code == 302
    assert Purchase.objects.get(pk=draft.pk).title == "Moje warsztaty"


def test_a_supplier_change_is_audited(official, suppliers):
    supplier = suppliers[0]
    before = supplier.bank_account
    client = APIClient()
    client.force_authenticate(official)

    response = client.patch(
        f"/api/v1/suppliers/{supplier.pk}/",
        {"bank_account": "PL61 1090 1014 0000 0712 1981 2874"},
        format="json",
    )

    assert response.status_code == 200
    assert [(e.actor, e.at, e.action, e.before, e.after) for e in audit_entries_for(supplier)] == [
        (
            official,
            NOW,
            "supplier_update",
            {"bank_account": before},
            {"bank_account": "61109010140000071219812874"},
        )
    ]
