"""A metropolis with three member municipalities (Alfa, Beta, Gamma), an outsider
municipality, and a fixed set of calls, applications, agreements, payments and
purchases whose figures the tests know exactly. Rows are made directly in their
states (the processes have their own tests); the figures are what is checked here.

Expected, whole metropolis: 3 calls, 4 applications submitted, 3 grants awarded for
6 500,00 zł, 4 500,00 zł paid, 3 initiatives with 7 participants; purchases: one
direct order (10 000,00 net), one price survey (30 000,00 net estimated), one public
inquiry (60 000,00 + 5 000,00 annex net)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Role
from accounts.services import membership_grant, organisation_create
from areas.models import Area
from finance.models import PaymentOrder
from finance.workflow import PaymentState
from grants.models import Agreement, Application, Call, GroupMember, Indicator, Tranche
from grants.workflow import AgreementState, ApplicationState, CallState
from purchases.models import Invoice, Offer, Purchase, SameKindGroup, Supplier, ValueBand
from purchases.workflow import PurchaseState
from tests.factories import UserFactory, _nip
from tests.purchases.factories import nrb

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
ACCOUNT = "61109010140000071219812874"


def at(y, m, d):
    return datetime.datetime(y, m, d, 12, tzinfo=WARSAW)


class MetroWorld:
    def __init__(self):
        self.metropolis = self.org("metropolis", "Metropolia Testowa", "MT", 900)
        self.alfa = self.org("municipality", "Gmina Alfa", "GA", 901, metropolis=self.metropolis)
        self.beta = self.org("municipality", "Gmina Beta", "GB", 902, metropolis=self.metropolis)
        self.gamma = self.org("municipality", "Gmina Gamma", "GG", 903, metropolis=self.metropolis)
        self.outsider = self.org("municipality", "Gmina Obca", "GO", 904)
        self.metro_staff = self.user(self.metropolis, Role.OFFICIAL)
        self.official = {o.pk: self.user(o, Role.OFFICIAL) for o in self.municipalities}
        self.resident = UserFactory(first_name="Zofia", last_name="Mieszkańska")
        # Transactional tests flush the areas the migration seeds: two are enough here.
        for position, code in enumerate(("social", "culture")):
            if Area.objects.count() < 2:
                Area.objects.get_or_create(
                    code=code, defaults={"name_pl": code, "name_en": code, "position": position}
                )
        areas = list(Area.objects.order_by("position", "code"))
        self.area_a, self.area_b = areas[0], areas[1]
        self.build_grants()
        self.build_purchases()

    @property
    def municipalities(self):
        return [self.alfa, self.beta, self.gamma, self.outsider]

    def org(self, kind, name, short, n, **extra):
        return organisation_create(
            kind=kind,
            name=name,
            short_name=short,
            street="ul. Rynek 1",
            postal_code="40-001",
            city=name.split()[-1],
            nip=_nip(n),
            **extra,
        )

    def user(self, organisation, role):
        user = UserFactory()
        membership_grant(user=user, organisation=organisation, role=role)
        return user

    # Grants -----------------------------------------------------------------------

    def call(self, organisation, code, year, area=None, state=CallState.PUBLISHED):
        return Call.objects.create(
            organisation=organisation,
            procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
            code=code,
            title=f"Fundusz sąsiedzki {organisation.short_name} {year}",
            year=year,
            pool=Decimal("20000.00"),
            min_grant=Decimal("500.00"),
            max_grant=Decimal("5000.00"),
            max_duration_days=60,
            opens_at=at(year, 3, 1),
            closes_at=at(year, 3, 31),
            area=area,
            state=state,
        )

    def application(self, call, n, state, amount=None, kind="informal_group", **extra):
        return Application.objects.create(
            call=call,
            applicant=self.resident,
            number=f"{call.organisation.short_name}/{call.year}/{call.code}/{n}",
            sequence=n,
            kind=kind,
            applicant_name=extra.pop("applicant_name", "Sąsiedzi z Zielonej"),
            title=extra.pop("title", f"Inicjatywa {n}"),
            summary=extra.pop("summary", "Warsztaty dla seniorów na podwórku."),
            state=state,
            submitted_at=at(call.year, 3, 10),
            approved_amount=amount,
            requested_amount=amount or Decimal("1000.00"),
            total_cost=(amount or Decimal("1000.00")) + Decimal("300.00"),
            start_date=datetime.date(call.year, 5, 1),
            end_date=datetime.date(call.year, 6, 30),
            **extra,
        )

    def agreement(self, application, state, paid: bool):
        agreement = Agreement.objects.create(
            application=application,
            organisation=application.call.organisation,
            number=f"UM/{application.number}",
            amount=application.approved_amount,
            spending_deadline=datetime.date(application.call.year, 7, 31),
            report_deadline=datetime.date(application.call.year, 8, 30),
            state=state,
        )
        order = PaymentOrder.objects.create(
            organisation=agreement.organisation,
            kind=PaymentOrder.Kind.GRANT_TRANCHE,
            source_type=ContentType.objects.get_for_model(Agreement),
            source_id=agreement.pk,
            beneficiary_name=application.applicant_name,
            beneficiary_address="ul. Zielona 5",
            account_number=ACCOUNT,
            title=f"Dotacja {agreement.number}",
            amount=agreement.amount,
            due_date=datetime.date(application.call.year, 4, 30),
            state=PaymentState.PAID if paid else PaymentState.ORDERED,
            paid_on=datetime.date(application.call.year, 4, 30) if paid else None,
        )
        Tranche.objects.create(
            agreement=agreement,
            amount=agreement.amount,
            due_date=order.due_date,
            payment_order=order,
        )
        return agreement

    def members(self, application, names):
        for i, name in enumerate(names):
            GroupMember.objects.create(
                application=application,
                full_name=name,
                email=f"czlonek{application.pk}-{i}@example.org",
                is_leader=i == 0,
                declares_adult_resident=True,
                consents_to_processing=True,
                declared_at=at(application.call.year, 3, 5),
            )

    def build_grants(self):
        self.call_a = self.call(self.alfa, "FS1", 2026, self.area_a)
        self.call(self.alfa, "FS2", 2026, self.area_a, state=CallState.DRAFT)
        self.app_group = self.application(
            self.call_a,
            1,
            ApplicationState.APPROVED,
            Decimal("3000.00"),
            title="Warsztaty dla seniorów",
            summary="Cykl warsztatów dla seniorów prowadzony przez Annę Kowalską "
            "(anna.kowalska@example.org, tel. 600 700 800).",
            beneficiaries="Seniorzy z osiedla Zielonego.",
        )
        self.members(self.app_group, ["Anna Kowalska", "Piotr Nowicki", "Ewa Lis"])
        Indicator.objects.create(
            application=self.app_group,
            name="Warsztaty",
            target=Decimal("6"),
            unit="spotkania",
            achieved=Decimal("7"),
        )
        self.agreement_settled = self.agreement(self.app_group, AgreementState.SETTLED, True)
        self.app_ngo = self.application(
            self.call_a,
            2,
            ApplicationState.APPROVED,
            Decimal("2000.00"),
            kind="ngo",
            applicant_name="Stowarzyszenie Zielone Podwórko",
            krs="0000123456",
            representatives="Marek Zieliński – prezes",
        )
        self.agreement_running = self.agreement(
            self.app_ngo, AgreementState.IN_IMPLEMENTATION, False
        )
        self.application(self.call_a, 3, ApplicationState.REJECTED)
        call_b = self.call(self.beta, "FS1", 2025, self.area_b)
        self.app_beta = self.application(call_b, 1, ApplicationState.APPROVED, Decimal("1500.00"))
        self.members(self.app_beta, ["Jan Wiśniewski", "Maria Wójcik", "Adam Mazur", "Ola Kot"])
        self.agreement(self.app_beta, AgreementState.CLOSED, True)
        self.call(self.gamma, "FS1", 2026)
        call_o = self.call(self.outsider, "FS1", 2026, self.area_a)
        self.app_outsider = self.application(
            call_o, 1, ApplicationState.APPROVED, Decimal("9999.00")
        )
        self.members(self.app_outsider, ["Tajny Członek"])
        self.agreement(self.app_outsider, AgreementState.SETTLED, True)

    # Purchases --------------------------------------------------------------------

    def band(self, organisation, procedure, lower, upper):
        return ValueBand.objects.create(
            organisation=organisation,
            valid_from=datetime.date(2021, 1, 1),
            lower_net=Decimal(lower),
            upper_net=Decimal(upper),
            procedure=procedure,
            regulation="Zarządzenie nr 1/2026",
        )

    def purchase(self, organisation, band, state, n, year, **extra):
        group = SameKindGroup.objects.get_or_create(
            organisation=organisation,
            name="Usługi społeczne",
            defaults={"cpv_codes": ["85300000-2"]},
        )[0]
        return Purchase.objects.create(
            organisation=organisation,
            number=f"ZP/{organisation.short_name}/{n}",
            requesting_unit="Wydział Spraw Społecznych",
            area=self.area_a,
            requested_by=self.official[organisation.pk],
            title=f"Zajęcia dla seniorów {n}",
            expected_result="10 zajęć dla 15 seniorów",
            group=group,
            cpv_code="85300000-2",
            estimated_net=extra.pop("estimated_net", Decimal("10000.00")),
            vat_rate="23",
            estimated_gross=extra.pop("estimated_gross", Decimal("12300.00")),
            estimation_method="Rozeznanie",
            estimated_on=datetime.date(year, 2, 1),
            estimated_by="Anna Nowak",
            legal_basis=Purchase.LegalBasis.SOCIAL_SERVICE,
            planned_start=datetime.date(year, 4, 1),
            planned_end=datetime.date(year, 6, 30),
            year=year,
            band=band,
            state=state,
            **extra,
        )

    def build_purchases(self):
        direct = self.band(self.alfa, ValueBand.Procedure.DIRECT, "0", "20000")
        survey = self.band(self.alfa, ValueBand.Procedure.PRICE_SURVEY, "20000", "50000")
        inquiry = self.band(self.beta, ValueBand.Procedure.PUBLIC_INQUIRY, "50000", "130000")
        self.person = Supplier.objects.create(
            organisation=self.alfa,
            kind=Supplier.Kind.INDIVIDUAL,
            name="Jan Nowak",
            bank_account=nrb(1),
            email="jan.nowak@example.org",
        )
        self.paid = self.purchase(
            self.alfa,
            direct,
            PurchaseState.PAID,
            1,
            2026,
            awarded_net=Decimal("10000.00"),
            awarded_gross=Decimal("12300.00"),
            awarded_at=at(2026, 3, 20),
            signed_on=datetime.date(2026, 3, 25),
            accepted_on=datetime.date(2026, 6, 30),
            paid_on=datetime.date(2026, 7, 10),
            quote_deadline=at(2026, 3, 15),
            published_at=at(2026, 3, 8),
        )
        offer = Offer.objects.create(
            purchase=self.paid,
            supplier=self.person,
            channel=Offer.Channel.EMAIL,
            price_net=Decimal("10000.00"),
            price_gross=Decimal("12300.00"),
            submitted_at=at(2026, 3, 12),
        )
        Purchase.objects.filter(pk=self.paid.pk).update(awarded_offer=offer)
        Invoice.objects.create(
            purchase=self.paid,
            number="R 1/2026",
            issued_on=datetime.date(2026, 7, 1),
            sale_on=datetime.date(2026, 6, 30),
            received_on=datetime.date(2026, 7, 2),
            net=Decimal("10000.00"),
            vat=Decimal("2300.00"),
            gross=Decimal("12300.00"),
            due_on=datetime.date(2026, 7, 16),
            recorded_by=self.official[self.alfa.pk],
        )
        self.purchase(
            self.alfa,
            survey,
            PurchaseState.SUBMITTED,
            2,
            2026,
            estimated_net=Decimal("30000.00"),
            estimated_gross=Decimal("36900.00"),
        )
        company = Supplier.objects.create(
            organisation=self.beta,
            kind=Supplier.Kind.NGO,
            name="Fundacja Pomocna Dłoń",
            nip=_nip(950),
            bank_account=nrb(2),
            email="biuro@example.org",
        )
        self.running = self.purchase(
            self.beta,
            inquiry,
            PurchaseState.IN_EXECUTION,
            1,
            2025,
            estimated_net=Decimal("60000.00"),
            estimated_gross=Decimal("73800.00"),
            awarded_net=Decimal("60000.00"),
            awarded_gross=Decimal("73800.00"),
            annexes_net=Decimal("5000.00"),
            annexes_gross=Decimal("6150.00"),
            awarded_at=at(2025, 4, 20),
            signed_on=datetime.date(2025, 4, 25),
            quote_deadline=at(2025, 4, 15),
            published_at=at(2025, 4, 1),
        )
        offer = Offer.objects.create(
            purchase=self.running,
            supplier=company,
            channel=Offer.Channel.PUBLIC,
            price_net=Decimal("60000.00"),
            price_gross=Decimal("73800.00"),
            submitted_at=at(2025, 4, 10),
        )
        Purchase.objects.filter(pk=self.running.pk).update(awarded_offer=offer)
        self.purchase(self.outsider, None, PurchaseState.PAID, 1, 2026)


PERSONAL = [
    "Anna Kowalska",
    "Kowalsk",
    "anna.kowalska@example.org",
    "600 700 800",
    "Piotr Nowicki",
    "Jan Wiśniewski",
    "Marek Zieliński",
    "Jan Nowak",
    "jan.nowak@example.org",
    "Mieszkańska",
    "czlonek",
    "Tajny",
    ACCOUNT,
]


@pytest.fixture
def metro(db):
    return MetroWorld()
