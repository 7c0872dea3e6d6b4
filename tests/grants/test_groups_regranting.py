"""Acceptance #15.2, regranting (art. 16a): an operator organisation runs a call for
groups with the money of a grant from its municipality; the municipality reads the
operator's calls, decisions, payments and settlements, and the operator's settlement
of the grant, and can change none of it."""

import datetime
import functools
import re
import types
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.services import membership_grant, organisation_create
from finance.models import PaymentOrder
from grants import services
from grants.models import Agreement, GroupModel, RegrantingFund, Return
from tests.factories import UserFactory, _nip
from tests.grants.conftest import GrantWorld
from workflows.audit import audit_entries_for
from workflows.engine import transition_apply
from workflows.errors import NotPermitted

from .groups_support import approved_agreement, settled


def cells(page, fund) -> list[str]:
    row = re.search(rf'<tr id="fund-{fund.pk}">(.*?)</tr>', page.content.decode(), re.S)
    texts = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]
    return [re.sub(r"[ \t\n]+", " ", text).strip() for text in texts]


@pytest.fixture
def regranting(world):
    """The municipality's grant of 3000 zł to its operator, and the operator (a second
    grant world sharing the municipality's time) with a regranting call for groups."""
    operator = organisation_create(
        kind="operator",
        name="Fundacja Operator",
        short_name="FOP",
        street="ul. Społeczna 2",
        postal_code="00-952",
        city="Próbne",
        nip=_nip(77),
        parent=world.organisation,
    )
    op = types.SimpleNamespace(now=world.now, organisation=operator, resident=UserFactory())

    def member(role):
        user = UserFactory()
        membership_grant(user=user, organisation=operator, role=role)
        return user

    op.official = member(Role.OFFICIAL)
    op.evaluators = [member(Role.EVALUATOR), member(Role.EVALUATOR)]
    op.finance = member(Role.FINANCE)
    op.draft_payload = functools.partial(GrantWorld.draft_payload, op)
    op.draft = functools.partial(GrantWorld.draft, op)
    op.make_call = functools.partial(GrantWorld.make_call, op)
    grant_application = world.draft(applicant=op.official)
    grant_application = transition_apply(obj=grant_application, name="submit", actor=op.official)
    op.grant = approved_agreement(world, grant_application)
    op.call = op.make_call(
        code="RG1",
        title="Mikrogranty operatora",
        pool=Decimal("3000.00"),
        group_model=GroupModel.REGRANTING,
    )
    return op


def test_the_regranting_operators_work_is_visible_to_the_municipality_and_not_writable(
    world, regranting, clock
):
    op = regranting
    operator_page = Client()
    operator_page.force_login(op.official)
    linked = operator_page.post(
        f"/granty/nabory/{op.call.pk}/regranting/", {"agreement": op.grant.pk}
    )
    assert linked.url == "/granty/regranting/"
    fund = RegrantingFund.objects.get(call=op.call)
    assert [e.action for e in audit_entries_for(fund)] == ["regranting_fund_linked"]

    application = transition_apply(obj=op.draft(call=op.call), name="submit", actor=op.resident)
    agreement = approved_agreement(op, application)
    [order] = PaymentOrder.objects.filter(tranche__agreement=agreement)
    assert order.organisation == op.organisation
    transition_apply(
        obj=order, name="mark_paid", actor=op.finance, payload={"paid_on": "2026-11-23"}
    )

    municipality = Client()
    municipality.force_login(world.official)
    page = municipality.get("/granty/regranting/")
    assert cells(page, fund) == [
        "Fundacja Operator",
        "Mikrogranty operatora (opublikowany)",
        "3 000,00 zł",
        "1",
        "3 000,00 zł",
        "3 000,00 zł",
        "0",
        f"{op.grant.number}, 3 000,00 zł",
        "w realizacji",
    ]
    # The operator's application and agreement are readable by the municipality...
    assert municipality.get(f"/granty/wnioski/{application.pk}/").status_code == 200
    assert municipality.get(f"/granty/umowy/{agreement.pk}/").status_code == 200
    # ...and not writable: no transition, no link, no payment.
    with pytest.raises(NotPermitted):
        transition_apply(
            obj=agreement, name="terminate", actor=world.official, payload={"justification": "x"}
        )
    refused = municipality.post(
        f"/granty/umowy/{agreement.pk}/czynnosc/terminate/", {"justification": "x"}
    )
    assert refused.status_code == 403
    assert (
        municipality.post(
            f"/granty/nabory/{op.call.pk}/regranting/", {"agreement": op.grant.pk}
        ).status_code
        == 404
    )
    agreement.refresh_from_db()
    assert agreement.state == "in_implementation"

    # The operator settles its own regranting grant with the municipality.
    materials, admin = op.grant.application.budget_lines.order_by("pk")
    report = services.report_save(
        agreement=op.grant,
        actor=op.official,
        narrative="Rozdysponowano mikrogranty.",
        expenses=[
            {
                "document_number": "U/FOP/1",
                "document_date": datetime.date(2026, 12, 3),
                "issuer": "Sąsiedzi z Zielonej",
                "purpose": "Mikrogrant",
                "budget_line_id": materials.pk,
                "amount": Decimal("3000.00"),
                "from_grant": Decimal("2700.00"),
            },
            {
                "document_number": "R 1",
                "document_date": datetime.date(2026, 12, 3),
                "issuer": "Biuro",
                "purpose": "Obsługa",
                "budget_line_id": admin.pk,
                "amount": Decimal("300.00"),
                "from_grant": Decimal("300.00"),
            },
        ],
    )
    settled(world, op.grant, report, clock)
    municipality.force_login(world.official)
    assert cells(municipality.get("/granty/regranting/"), fund)[-1] == "rozliczona"


def test_a_groups_micro_grant_is_settled_by_the_operator_and_read_by_the_municipality(
    world, regranting, clock
):
    """The group spends 2500 of its 3000 zł, the operator accepts its report and settles
    the micro-grant; the 500 zł unused is due back by 31 January (art. 251) and the
    operator records it. The municipality sees the settlement and can do none of it."""
    op = regranting
    fund = services.regranting_fund_link(call=op.call, agreement=op.grant, actor=op.official)
    application = transition_apply(obj=op.draft(call=op.call), name="submit", actor=op.resident)
    agreement = approved_agreement(op, application)
    [order] = PaymentOrder.objects.filter(tranche__agreement=agreement)
    transition_apply(
        obj=order, name="mark_paid", actor=op.finance, payload={"paid_on": "2026-11-23"}
    )
    materials, admin = application.budget_lines.order_by("pk")
    report = services.report_save(
        agreement=agreement,
        actor=op.resident,
        narrative="Ogród założony, cztery spotkania.",
        expenses=[
            {
                "document_number": "FV 7/2026",
                "document_date": datetime.date(2026, 12, 3),
                "issuer": "Szkółka Zielona",
                "purpose": "Sadzonki",
                "budget_line_id": materials.pk,
                "amount": Decimal("2500.00"),
                "from_grant": Decimal("2200.00"),
            },
            {
                "document_number": "R 2",
                "document_date": datetime.date(2026, 12, 4),
                "issuer": "Biuro rachunkowe",
                "purpose": "Obsługa księgowa",
                "budget_line_id": admin.pk,
                "amount": Decimal("300.00"),
                "from_grant": Decimal("300.00"),
            },
        ],
    )
    agreement = settled(op, agreement, report, clock)  # the operator's official acts

    assert agreement.state == "settled"
    [unused] = Return.objects.filter(agreement=agreement)
    assert (unused.kind, unused.amount, unused.deadline, unused.returned_on) == (
        Return.Kind.UNUSED,
        Decimal("500.00"),
        datetime.date(2027, 1, 31),
        None,
    )
    operator_page = Client()
    operator_page.force_login(op.official)
    recorded = operator_page.post(
        f"/granty/umowy/{agreement.pk}/zwroty/{unused.pk}/", {"returned_on": "2027-01-05"}
    )
    assert recorded.url == f"/granty/umowy/{agreement.pk}/"
    unused.refresh_from_db()
    assert (unused.returned_on, unused.interest) == (datetime.date(2027, 1, 5), Decimal("0.00"))

    municipality = Client()
    municipality.force_login(world.official)
    assert cells(municipality.get("/granty/regranting/"), fund)[3:7] == [
        "1",
        "3 000,00 zł",
        "3 000,00 zł",
        "1",
    ]
    page = municipality.get(f"/granty/umowy/{agreement.pk}/").content.decode()
    assert "dotacja niewykorzystana (art. 251): 500,00 zł, do 31 stycznia 2027; " in page
    assert "; data zwrotu 5 stycznia 2027, odsetki 0,00 zł" in page
    assert "/zwroty/" not in page  # no form to record a return
    refused = municipality.post(
        f"/granty/umowy/{agreement.pk}/zwroty/{unused.pk}/", {"returned_on": "2027-01-06"}
    )
    assert refused.url == f"/granty/umowy/{agreement.pk}/"
    unused.refresh_from_db()
    assert unused.returned_on == datetime.date(2027, 1, 5)
    with pytest.raises(NotPermitted):
        transition_apply(obj=agreement, name="close", actor=world.official)
    assert Agreement.objects.get(pk=agreement.pk).state == "settled"


def test_a_call_is_funded_only_by_a_grant_of_the_operators_municipality(world, regranting):
    op = regranting
    other_call = world.call  # the municipality's own call is no operator's grant
    page = Client()
    page.force_login(op.official)
    refused = page.post(f"/granty/nabory/{op.call.pk}/regranting/", {"agreement": 999999})
    assert refused.status_code == 400
    direct = op.make_call(code="RG2", title="Bez regrantingu")
    assert page.get(f"/granty/nabory/{direct.pk}/regranting/").status_code == 404
    assert other_call.group_model == GroupModel.DIRECT
    big = op.make_call(
        code="RG3", title="Za duży", pool=Decimal("5000.00"), group_model=GroupModel.REGRANTING
    )
    too_big = page.post(f"/granty/nabory/{big.pk}/regranting/", {"agreement": op.grant.pk})
    assert too_big.status_code == 400
    assert "Pula naboru (5 000,00 zł) przekracza grant (3 000,00 zł)." in too_big.content.decode()
    # A grant of the same municipality to somebody else funds no operator's call.
    residents = approved_agreement(
        world, transition_apply(obj=world.draft(), name="submit", actor=world.resident)
    )
    foreign = page.post(f"/granty/nabory/{op.call.pk}/regranting/", {"agreement": residents.pk})
    assert foreign.status_code == 400
    assert (
        "Grant musi należeć do operatora: wniosek złożony pod jego numerem NIP lub przez "
        "jednego z jego urzędników."
    ) in foreign.content.decode()
    assert not RegrantingFund.objects.filter(call=op.call).exists()


def test_the_overview_costs_the_same_queries_for_one_fund_or_three(world, regranting):
    op = regranting
    services.regranting_fund_link(call=op.call, agreement=op.grant, actor=op.official)
    client = Client()
    client.force_login(world.official)
    client.get("/granty/regranting/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/granty/regranting/").status_code == 200
    for code in ("RG4", "RG5"):
        call = op.make_call(
            code=code, title=code, pool=Decimal("100.00"), group_model=GroupModel.REGRANTING
        )
        services.regranting_fund_link(call=call, agreement=op.grant, actor=op.official)
    with CaptureQueriesContext(connection) as three:
        page = client.get("/granty/regranting/")
    assert page.content.decode().count('<tr id="fund-') == 3
    assert len(three.captured_queries) == len(one.captured_queries)
