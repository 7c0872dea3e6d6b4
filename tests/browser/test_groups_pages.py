"""Browser: a group member confirms by the personal link on a 320 px screen without an
account, withdraws, and a broken link shows a clear page; the leader's group page and
the patron's page pass axe too."""

import pytest
from django.utils import timezone

from grants import services
from grants.models import GroupModel
from notifications.models import Notification
from tests.browser.test_grants_journey import sign_in
from tests.grants.conftest import GrantWorld, small_grant_limits_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    small_grant_limits_ensure()
    return GrantWorld(now=timezone.now(), members_confirm_by_link=True)


def test_a_member_confirms_and_withdraws_by_the_link_on_a_small_screen(page, accessible, world):
    application = world.draft()
    services.group_consents_request(application=application, actor=world.resident)
    link = Notification.objects.get(email="czlonek2@example.org").url
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Członkostwo w grupie nieformalnej"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    accessible(page)
    page.get_by_role("button", name="Potwierdzam członkostwo i wyrażam zgodę").click()
    page.wait_for_selector("text=Dziękujemy: Twoja zgoda została zapisana.")
    assert "Zgodę wyrażono" in page.locator("#consent-status").inner_text()
    accessible(page)
    page.get_by_role("button", name="Wycofuję zgodę").click()
    page.wait_for_selector("text=Twoja zgoda została wycofana.")
    accessible(page)

    page.goto("/granty/grupa/zgoda/zepsuty-link/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tego linku nie można użyć"
    accessible(page)


def test_the_leaders_and_the_patrons_pages_pass_axe(browser, live_server, accessible, world):
    call = world.make_call(code="FP9", group_model=GroupModel.PATRON)
    application = world.draft(call=call)
    leader = sign_in(browser, live_server, world.resident)
    leader.goto(f"/granty/wnioski/{application.pk}/grupa/")
    accessible(leader)
    leader.get_by_role("button", name="Wyślij linki do potwierdzenia").click()
    leader.wait_for_selector("text=Wysłano linki: 3.")
    accessible(leader)
