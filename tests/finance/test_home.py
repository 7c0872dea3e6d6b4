"""The finance start page and the Finance menu item."""

import pytest

from accounts.models import Role
from tests.clients import web
from tests.factories import OrganisationFactory

from .batches_support import user_with

pytestmark = pytest.mark.django_db


def test_finance_sees_the_start_page_with_every_finance_task():
    finance = user_with(OrganisationFactory(), Role.FINANCE)

    response = web(finance).get("/finanse/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="/finanse/">Finanse</a>' in body  # the menu item
    for href, text in [
        ("/finanse/kolejka/", "Zlecenia płatności czekające na paczkę"),
        ("/finanse/paczki/", "Paczki przelewów"),
        ("/finanse/budzet/plan/", "Plan budżetu"),
        ("/finanse/budzet/podsumowanie/", "Podsumowanie roku"),
        ("/finanse/rozliczenia/", "Rejestr rozliczeń"),
        ("/finanse/eksporty/", "Dziennik eksportów"),
    ]:
        assert f'<a href="{href}">{text}</a>' in body


def test_an_official_has_no_finance_menu_and_no_finance_pages():
    official = user_with(OrganisationFactory(), Role.OFFICIAL)

    assert web(official).get("/finanse/").status_code == 403
    assert "/finanse/" not in web(official).get("/").content.decode()
