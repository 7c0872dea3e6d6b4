"""Data for the settlement register's tests: one grant and one purchase driven through
their whole lifecycles with the real services, and cheap rows made directly for the
query-count tests."""

import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Role
from finance.models import BudgetClassification, PaymentOrder
from grants import services as grant_services
from grants.models import Agreement, Application, Call, Return, Tranche
from purchases.models import Invoice, Offer, Purchase, SameKindGroup
from tests.factories import UserFactory
from tests.grants.conftest import GrantWorld
from tests.purchases.factories import (
    SupplierFactory,
    Team,
    bands_create,
    drive,
    nrb,
    purchase_draft,
)
from workflows.engine import transition_apply

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
SUPPLIER = {
    "name": "Fundacja Aktywny Senior",
    "nip": "5252248481",
    "regon": "123456785",
    "krs": "0000654321",
    "bank_account": nrb(41),
}


def classifications() -> tuple[BudgetClassification, BudgetClassification]:
    return (
        BudgetClassification.objects.create(
            year=2026,
            section="921",
            chapter="92105",
            paragraph="2360",
            name="Dotacje dla organizacji pożytku publicznego",
        ),
        BudgetClassification.objects.create(
            year=2026,
            section="750",
            chapter="75095",
            paragraph="4300",
            name="Zakup usług pozostałych",
        ),
    )


def settled_agreement(world: GrantWorld, traveller) -> Agreement:
    """The grant of ``test_lifecycle_api``: 3000 zł paid on 26 November 2026, 2400 zł
    spent of which 300 zł against the purpose; settled with 600 zł unused and 300 zł
    misused returned on 20 January 2027, the unused money before its 31 January deadline
    (art. 251 ust. 1) so only the misused bears interest, 4.93 zł; closed."""
    official = world.official
    agreement = world.agreement_in_implementation()
    [tranche] = agreement.tranches.select_related("payment_order")
    traveller.move_to(datetime.datetime(2026, 11, 26, 12, 0, tzinfo=WARSAW))  # the payday
    transition_apply(
        obj=tranche.payment_order,
        name="mark_paid",
        actor=world.finance,
        payload={"paid_on": "2026-11-26"},
    )
    materials, admin = agreement.application.budget_lines.order_by("pk")
    report = grant_services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Ogród założony, odbyły się 4 spotkania.",
        volunteer_hours=Decimal("24"),
        expenses=[
            {
                "document_number": "FV 1/12/2026",
                "document_date": datetime.date(2026, 12, 3),
                "issuer": "Szkółka Roślin",
                "purpose": "Sadzonki",
                "budget_line_id": materials.pk,
                "amount": Decimal("2400.00"),
                "from_grant": Decimal("2100.00"),
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
    traveller.move_to(datetime.datetime(2027, 1, 5, 12, 0, tzinfo=WARSAW))
    report = transition_apply(obj=report, name="submit", actor=world.resident)
    report = transition_apply(obj=report, name="start_review", actor=official)
    grant_services.expense_mark_ineligible(
        expense=report.expenses.get(document_number="R 7/2026"),
        actor=official,
        reason="Wydatek poza kosztorysem zadania.",
    )
    # Half past midnight in Warsaw is still 8 January in UTC: the register says the 9th.
    traveller.move_to(datetime.datetime(2027, 1, 9, 0, 30, tzinfo=WARSAW))
    transition_apply(obj=report, name="accept", actor=official)
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement = transition_apply(obj=agreement, name="complete", actor=official)
    agreement = transition_apply(
        obj=agreement, name="settle", actor=official, payload={"finding_date": "2027-01-10"}
    )
    traveller.move_to(datetime.datetime(2027, 1, 20, 12, 0, tzinfo=WARSAW))
    for ret in agreement.returns.all():
        grant_services.return_record(
            ret=ret, actor=official, returned_on=datetime.date(2027, 1, 20)
        )
    return transition_apply(
        obj=Agreement.objects.get(pk=agreement.pk), name="close", actor=official
    )


def closed_purchase(organisation, classification) -> tuple[Purchase, Team]:
    """The purchase of ``tests.purchases.factories.PATH``: awarded at 28 000 zł net
    (34 440 zł gross) to the supplier above, ordered on 20 March 2026, accepted on
    1 July, invoiced (FV 7/2026), paid on 10 July 2026 and closed."""
    bands_create(organisation)
    suppliers = [
        SupplierFactory(organisation=organisation, **SUPPLIER),
        *SupplierFactory.create_batch(2, organisation=organisation),
    ]
    team = Team(organisation, suppliers=suppliers)
    group = SameKindGroup.objects.create(
        organisation=organisation,
        name="Warsztaty edukacyjne",
        cpv_codes=["80500000-9", "92300000-4"],
    )
    purchase = purchase_draft(
        organisation=organisation,
        official=team[Role.OFFICIAL],
        group=group,
        classification=classification,
    )
    return drive(purchase, team, "close"), team


# Cheap rows for query counts ------------------------------------------------------------


def cheap_rows(organisation, count: int, start: int = 0) -> None:
    """``count`` rows of the register: alternately a paid, settled agreement with a
    return and a paid purchase with its invoice, made directly (not through the
    processes), with every relation a row reads."""
    now = timezone.now()
    applicant = UserFactory()
    requester = UserFactory()
    call, _created = Call.objects.get_or_create(
        organisation=organisation,
        code=f"C{organisation.pk}",
        year=2026,
        defaults={
            "procedure": Call.Procedure.SMALL_GRANT_19A,
            "title": "Małe granty",
            "pool": Decimal("100000"),
            "max_grant": Decimal("10000"),
            "max_duration_days": 90,
            "opens_at": now - datetime.timedelta(days=60),
            "closes_at": now - datetime.timedelta(days=30),
            "state": "closed",
        },
    )
    group, _created = SameKindGroup.objects.get_or_create(
        organisation=organisation, name=f"Grupa {organisation.pk}"
    )
    supplier = SupplierFactory(organisation=organisation)
    tranche_type = ContentType.objects.get_for_model(Tranche)
    purchase_type = ContentType.objects.get_for_model(Purchase)
    for i in range(start, start + count):
        amount = Decimal("1000.00") + i
        order = PaymentOrder.objects.create(
            organisation=organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE if i % 2 == 0 else PaymentOrder.Kind.INVOICE,
            source_type=tranche_type if i % 2 == 0 else purchase_type,
            source_id=0,
            beneficiary_name="Beneficjent",
            beneficiary_address="ul. Polna 1, 00-001 Testowo",
            account_number=nrb(i + 1),
            title=f"Płatność {i}",
            amount=amount,
            due_date=datetime.date(2026, 5, 1),
            paid_on=datetime.date(2026, 5, 2),
            state="paid",
        )
        if i % 2 == 0:
            application = Application.objects.create(
                call=call,
                applicant=applicant,
                number=f"R/{organisation.pk}/{i}",
                kind="ngo",
                applicant_name=f"Stowarzyszenie {i}",
                account_number=nrb(i + 1),
                title=f"Zadanie {i}",
                state="approved",
                approved_amount=amount,
            )
            agreement = Agreement.objects.create(
                application=application,
                organisation=organisation,
                number=f"U/R/{organisation.pk}/{i}",
                amount=amount,
                spending_deadline=datetime.date(2026, 12, 31),
                report_deadline=datetime.date(2027, 1, 30),
                signed_on=datetime.date(2026, 4, 1),
                state="settled",
            )
            Tranche.objects.create(
                agreement=agreement, amount=amount, due_date=order.due_date, payment_order=order
            )
            Return.objects.create(
                agreement=agreement,
                kind=Return.Kind.UNUSED,
                amount=Decimal("10.00"),
                deadline=datetime.date(2027, 1, 15),
                interest_from=datetime.date(2027, 1, 16),
            )
        else:
            purchase = Purchase.objects.create(
                organisation=organisation,
                number=f"Z/{organisation.pk}/{i}",
                requesting_unit="Wydział",
                requested_by=requester,
                title=f"Zamówienie {i}",
                expected_result="Wynik",
                group=group,
                cpv_code="80500000-9",
                estimated_net=amount,
                vat_rate="zw",
                estimated_gross=amount,
                estimation_method="Rozeznanie",
                estimated_on=datetime.date(2026, 3, 1),
                estimated_by="Anna Nowak",
                legal_basis="regulation",
                planned_start=datetime.date(2026, 4, 1),
                planned_end=datetime.date(2026, 6, 30),
                year=2026,
                awarded_net=amount,
                awarded_gross=amount,
                awarded_at=now,
                signed_on=datetime.date(2026, 4, 1),
                accepted_on=datetime.date(2026, 4, 20),
                state="paid",
            )
            offer = Offer.objects.create(
                purchase=purchase,
                supplier=supplier,
                channel=Offer.Channel.EMAIL,
                price_net=amount,
                price_gross=amount,
                submitted_at=now,
            )
            Purchase.objects.filter(pk=purchase.pk).update(awarded_offer=offer)
            Invoice.objects.create(
                purchase=purchase,
                number=f"FV {i}/2026",
                issued_on=datetime.date(2026, 4, 21),
                sale_on=datetime.date(2026, 4, 20),
                received_on=datetime.date(2026, 4, 22),
                net=amount,
                vat=Decimal("0.00"),
                gross=amount,
                due_on=datetime.date(2026, 5, 1),
                payment_order=order,
                recorded_by=requester,
            )
