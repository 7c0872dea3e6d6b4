"""Change requests during implementation on the pages (#12): the grantee moves grant
money between budget lines with the tolerance explained; the office approves."""

import pytest
from django.test import Client

from grants.models import ChangeRequest

pytestmark = pytest.mark.django_db


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(world, agreement, first, second, description="Więcej sadzonek.", client=None):
    materials, admin = agreement.application.budget_lines.order_by("pk")
    return (client or web(world.resident)).post(
        f"/granty/umowy/{agreement.pk}/zmiana/",
        {"description": description, f"line_{materials.pk}": first, f"line_{admin.pk}": second},
    )


def test_the_agreement_page_explains_the_tolerance_and_links_the_form(world):
    agreement = world.agreement_in_implementation()
    html = web(world.resident).get(f"/granty/umowy/{agreement.pk}/").content.decode()

    assert "Pozycja może zmienić się o najwyżej 10% swojej dotacji bez aneksu" in html
    assert f'href="/granty/umowy/{agreement.pk}/zmiana/"' in html
    form = web(world.resident).get(f"/granty/umowy/{agreement.pk}/zmiana/").content.decode()
    assert "Sadzonki i ziemia: z dotacji (teraz 2700.00)" in form


def test_a_shift_within_the_tolerance_needs_no_annex(world):
    agreement = world.agreement_in_implementation()

    client = web(world.resident)
    response = ask(world, agreement, "2730.00", "270.00", client=client)

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.needs_annex, change.description) == (False, "Więcej sadzonek.")
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Zmianę wysłano do urzędu; mieści się w tolerancji, bez aneksu."
    ]


def test_a_larger_shift_needs_an_annex_and_the_office_approves_it(world):
    agreement = world.agreement_in_implementation()
    ask(world, agreement, "2800.00", "200.00")
    change = ChangeRequest.objects.get()
    assert change.needs_annex is True

    office = web(world.official)
    assert "wymaga aneksu" in office.get(f"/granty/umowy/{agreement.pk}/").content.decode()
    response = office.post(f"/granty/umowy/{agreement.pk}/zmiany/{change.pk}/zatwierdz/")

    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.approved_by, change.annex_number) == (world.official, 1)
    assert list(
        agreement.application.budget_lines.order_by("pk").values_list("from_grant", flat=True)
    ) == [2800, 200]


def test_a_shift_that_changes_the_total_is_refused_with_what_was_typed_kept(world):
    agreement = world.agreement_in_implementation()

    response = ask(world, agreement, "2800.00", "300.00", description="Droższe sadzonki.")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Przesunięcie środków między pozycjami nie może zmienić łącznej kwoty dotacji." in html
    assert 'value="2800.00"' in html and "Droższe sadzonki." in html
    assert ChangeRequest.objects.count() == 0
    empty = ask(world, agreement, "2700.00", "300.00", description="")
    assert empty.status_code == 200
    assert empty.context["form"].errors["description"] == ["To pole jest wymagane."]


def test_only_the_grantee_asks_and_only_the_office_approves(world):
    agreement = world.agreement_in_implementation()
    assert web(world.official).get(f"/granty/umowy/{agreement.pk}/zmiana/").status_code == 404
    ask(world, agreement, "2730.00", "270.00")
    change = ChangeRequest.objects.get()
    web(world.resident).post(f"/granty/umowy/{agreement.pk}/zmiany/{change.pk}/zatwierdz/")
    change.refresh_from_db()
    assert change.approved_at is None
