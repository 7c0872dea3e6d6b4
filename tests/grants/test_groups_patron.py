"""Acceptance #15.2, the patron model: the group names an NGO as its patron, the patron
confirms in the product, the agreement's party is the patron and the grant is paid to
the patron's account, through a payment batch, up to the settlement."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finance.models import PaymentOrder
from grants import services
from grants.document_contexts import agreement_context
from grants.models import GroupModel, Patronage
from notifications.models import Notification
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import GuardRefused, NotPermitted

from .groups_support import PATRON_ACCOUNT, approved_agreement, ngo, paid_batch, settled


@pytest.fixture
def patron_call(world):
    return world.make_call(code="FP1", group_model=GroupModel.PATRON)


def test_the_patron_confirms_signs_and_receives_the_grant(world, patron_call, clock):
    patron, staff = ngo(world)
    application = world.draft(call=patron_call)
    with pytest.raises(GuardRefused) as refused:
        transition_apply(obj=application, name="submit", actor=world.resident)
    assert str(refused.value.message) == (
        "Wskaż organizację patronacką, która podpisze umowę za grupę."
    )

    leader = Client()
    leader.force_login(world.resident)
    named = leader.post(
        f"/granty/wnioski/{application.pk}/grupa/", {"action": "patron", "patron": patron.pk}
    )
    assert named.status_code == 302
    asked = Notification.objects.get(kind="grants.patronage")
    assert (asked.email, asked.url) == (staff.email, "/granty/patronaty/")
    with pytest.raises(GuardRefused) as refused:
        transition_apply(obj=application, name="submit", actor=world.resident)
    assert str(refused.value.message) == (
        "Organizacja patronacka Stowarzyszenie Dobry Patron nie potwierdziła jeszcze patronatu."
    )

    patron_page = Client()
    patron_page.force_login(staff)
    patronage = Patronage.objects.get(application=application)
    wrong = patron_page.post(
        "/granty/patronaty/",
        {"patronage": patronage.pk, "action": "confirm", f"p{patronage.pk}-account_number": "123"},
    )
    assert wrong.status_code == 400
    assert 'value="123"' in wrong.content.decode()
    confirmed = patron_page.post(
        "/granty/patronaty/",
        {
            "patronage": patronage.pk,
            "action": "confirm",
            f"p{patronage.pk}-account_number": PATRON_ACCOUNT,
        },
    )
    assert confirmed.status_code == 302
    patronage.refresh_from_db()
    assert (patronage.confirmed_by, patronage.account_number) == (staff, PATRON_ACCOUNT)
    assert [e.action for e in audit_entries_for(patronage)] == [
        "patron_named",
        "patronage_confirmed",
    ]

    application = transition_apply(obj=application, name="submit", actor=world.resident)
    agreement = approved_agreement(world, application)
    context = agreement_context(agreement)
    assert context["grantee"]["kind"] == "patron"
    assert context["grantee"]["name"] == "Stowarzyszenie Dobry Patron"
    assert context["grantee"]["group_name"] == "Sąsiedzi z Zielonej"
    assert context["account_number"] == PATRON_ACCOUNT

    [order] = PaymentOrder.objects.filter(tranche__agreement=agreement)
    assert (order.beneficiary_name, order.beneficiary_address, order.account_number) == (
        "Stowarzyszenie Dobry Patron",
        "ul. Lipowa 3, 00-951 Próbne",
        PATRON_ACCOUNT,
    )
    batch = paid_batch(world, [order], clock)
    assert PATRON_ACCOUNT.encode() in bytes(batch.file_content)
    order.refresh_from_db()
    assert (order.state, order.paid_on, order.amount) == (
        "paid",
        datetime.date(2026, 11, 26),
        Decimal("3000.00"),
    )

    materials, admin = agreement.application.budget_lines.order_by("pk")
    report = services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Ogród założony.",
        expenses=[
            {
                "document_number": "FV 1/12/2026",
                "document_date": datetime.date(2026, 12, 3),
                "issuer": "Szkółka Roślin",
                "purpose": "Sadzonki",
                "budget_line_id": materials.pk,
                "amount": Decimal("3000.00"),
                "from_grant": Decimal("2700.00"),
            },
            {
                "document_number": "R 7/2026",
                "document_date": datetime.date(2026, 12, 18),
                "issuer": "Biuro Rachunkowe",
                "purpose": "Księgowość",
                "budget_line_id": admin.pk,
                "amount": Decimal("300.00"),
                "from_grant": Decimal("300.00"),
            },
        ],
    )
    agreement = settled(world, agreement, report, clock)
    assert agreement.state == "settled"
    assert list(agreement.returns.all()) == []


def test_only_the_patrons_staff_confirm_and_only_listed_organisations_are_named(world, patron_call):
    patron, staff = ngo(world)
    application = world.draft(call=patron_call)
    patronage = services.patronage_set(application=application, actor=world.resident, patron=patron)
    with pytest.raises(NotPermitted):
        services.patronage_confirm(
            patronage=patronage, actor=world.official, account_number=PATRON_ACCOUNT
        )
    leader = Client()
    leader.force_login(world.resident)
    refused = leader.post(
        f"/granty/wnioski/{application.pk}/grupa/",
        {"action": "patron", "patron": world.organisation.pk},
    )
    assert refused.status_code == 400
    assert "Wybierz poprawną wartość" in refused.content.decode()
    declined = Client()
    declined.force_login(staff)
    assert (
        declined.post("/granty/patronaty/", {"patronage": patronage.pk, "action": "decline"})
    ).status_code == 302
    patronage.refresh_from_db()
    assert patronage.declined_at is not None
    told = Notification.objects.filter(kind="grants.patronage", email=world.resident.email).get()
    assert told.body == f"Stowarzyszenie Dobry Patron odmawia patronatu nad {application}."


def test_the_patronage_list_costs_the_same_queries_for_one_or_three(
    world, patron_call, django_assert_num_queries
):
    patron, staff = ngo(world)
    services.patronage_set(
        application=world.draft(call=patron_call), actor=world.resident, patron=patron
    )
    client = Client()
    client.force_login(staff)
    client.get("/granty/patronaty/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get("/granty/patronaty/").status_code == 200
    for _ in range(2):
        services.patronage_set(
            application=world.draft(call=patron_call), actor=world.resident, patron=patron
        )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/granty/patronaty/")
    assert page.content.decode().count("Potwierdź patronat") == 3
