"""A grant world: a municipality with an official, two evaluators, finance, a
neighbourhood-fund call open for submissions, and helpers that move an application
through the process with the real services and engine."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.services import membership_grant, organisation_create
from grants import services
from grants.models import Call, InterestRate, SmallGrantLimits
from tests.conftest import NOW
from tests.factories import UserFactory, _nip
from workflows.engine import transition_apply

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


@pytest.fixture
def frozen_now(clock):
    """The suite's frozen clock (``tests/conftest.py``), under the name grant tests use."""
    return clock


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.force_login(user)  # for the document download view, a plain Django view
    return client


class GrantWorld:
    def __init__(self, now=NOW, **call_fields):
        self.now = now
        self.organisation = organisation_create(
            kind="municipality",
            name="Gmina Miasto Próbne",
            short_name="GMP",
            street="ul. Ratuszowa 1",
            postal_code="00-950",
            city="Próbne",
            nip="5260250274",
            representatives=[("Maria Prezydent", "Prezydent Miasta")],
        )
        self.official = self.member(Role.OFFICIAL)
        self.evaluators = [self.member(Role.EVALUATOR), self.member(Role.EVALUATOR)]
        self.finance = self.member(Role.FINANCE)
        self.resident = UserFactory(email="mieszkaniec@example.org")
        self.call = self.make_call(**call_fields)

    def member(self, role):
        user = UserFactory()
        membership_grant(user=user, organisation=self.organisation, role=role)
        return user

    def make_call(self, **overrides) -> Call:
        fields = {
            "procedure": Call.Procedure.NEIGHBOURHOOD_FUND,
            "code": "FS1",
            "title": "Fundusz sąsiedzki 2026",
            "year": 2026,
            "pool": Decimal("10000.00"),
            "min_grant": Decimal("500.00"),
            "max_grant": Decimal("5000.00"),
            "min_own_share": Decimal("0.10"),
            "min_own_money_share": Decimal("0"),
            "max_duration_days": 60,
            "opens_at": self.now - datetime.timedelta(days=1),
            "closes_at": self.now + datetime.timedelta(days=10),
            "score_gap": Decimal("10"),
            "min_average_score": Decimal("10"),
        }
        if overrides.get("procedure") == Call.Procedure.SMALL_GRANT_19A:
            # Art. 19a: NGOs only (the statutory limits refuse a call open to groups).
            fields.update(allows_informal_group=False, allows_ngo=True)
        fields.update(overrides)
        call = services.call_create(
            organisation=self.organisation,
            actor=self.official,
            criteria=[
                {"name": "Wartość dla sąsiedztwa", "max_points": 10},
                {"name": "Jakość planu", "max_points": 20},
            ],
            cost_categories=[
                {"name": "Materiały"},
                {"name": "Koszty administracyjne", "cap_share": Decimal("0.10")},
            ],
            checklist=["Wniosek kompletny", "Grupa liczy co najmniej 3 osoby"],
            **fields,
        )
        return transition_apply(obj=call, name="publish", actor=self.official)

    def draft_payload(self, call=None) -> dict:
        call = call or self.call
        materials, admin = list(call.cost_categories.all())
        return {
            "applicant_name": "Sąsiedzi z Zielonej",
            "address": "ul. Zielona 5, 00-950 Próbne",
            "account_number": "61109010140000071219812874",
            "title": "Ogród społeczny na Zielonej",
            "place": "Podwórko przy ul. Zielonej 5",
            "start_date": "2026-12-01",
            "end_date": "2026-12-20",
            "summary": "Zakładamy wspólny ogród.",
            "goals": "Integracja sąsiadów i zieleń na podwórku.",
            "beneficiaries": "Mieszkańcy kamienic przy ul. Zielonej.",
            "expected_results": "Ogród i 4 spotkania sąsiedzkie.",
            "volunteer_hours": "20",
            "volunteer_rate": "30.00",
            "members": [
                {
                    "full_name": f"Członek {i}",
                    "email": f"czlonek{i}@example.org",
                    "is_leader": i == 1,
                    "declares_adult_resident": True,
                    "consents_to_processing": True,
                }
                for i in (1, 2, 3)
            ],
            "activities": [
                {"name": "Sadzenie", "start_date": "2026-12-01", "end_date": "2026-12-05"}
            ],
            "indicators": [{"name": "Spotkania sąsiedzkie", "target": "4", "unit": "spotkania"}],
            "budget_lines": [
                {
                    "category": materials.pk,
                    "description": "Sadzonki i ziemia",
                    "unit": "zestaw",
                    "quantity": "10",
                    "unit_cost": "300.00",
                    "from_grant": "2700.00",
                    "own_money": "300.00",
                    "own_in_kind": "0",
                },
                {
                    "category": admin.pk,
                    "description": "Obsługa księgowa",
                    "unit": "usługa",
                    "quantity": "1",
                    "unit_cost": "300.00",
                    "from_grant": "300.00",
                    "own_money": "0",
                    "own_in_kind": "0",
                },
            ],
        }

    def draft(self, applicant=None, call=None):
        applicant = applicant or self.resident
        call = call or self.call
        kind = "ngo" if call.is_19a else "informal_group"
        application = services.application_create(call=call, applicant=applicant, kind=kind)
        payload = self.draft_payload(call)
        if call.is_19a:  # an art. 19a offer comes from an NGO
            payload.update(
                applicant_name="Stowarzyszenie Sąsiedzi z Zielonej",
                krs="0000123456",
                nip=_nip(19),
                representatives="Anna Zielona – prezeska zarządu",
                members=[],
            )
        lists = {k: payload.pop(k) for k in ("members", "activities", "indicators", "budget_lines")}
        for row in lists["budget_lines"]:
            row["category_id"] = row.pop("category")
        return services.application_save_draft(
            application=application, actor=applicant, fields=payload, **lists
        )

    def submitted(self, **kwargs):
        application = self.draft(**kwargs)
        return transition_apply(obj=application, name="submit", actor=application.applicant)

    def formally_accepted(self, **kwargs):
        application = self.submitted(**kwargs)
        services.formal_check_record(
            application=application,
            actor=self.official,
            answers={item.pk: True for item in application.call.checklist.all()},
        )
        return transition_apply(obj=application, name="pass_formal_check", actor=self.official)

    def evaluated(self, points=((8, 15), (9, 16)), complete=True, **kwargs):
        """Reviewed by both evaluators; with ``complete`` the evaluation is closed too
        (after commit the system does it; inside a test transaction nothing commits)."""
        application = self.formally_accepted(**kwargs)
        reviews = services.reviews_assign(
            application=application, evaluators=self.evaluators, actor=self.official
        )
        criteria = list(application.call.criteria.all())
        for review, review_points in zip(reviews, points, strict=True):
            review = transition_apply(obj=review, name="declare", actor=review.evaluator)
            services.review_score(
                review=review,
                actor=review.evaluator,
                scores=[
                    {"criterion": c.pk, "points": p, "justification": "Uzasadnienie."}
                    for c, p in zip(criteria, review_points, strict=True)
                ],
            )
            transition_apply(obj=review, name="submit", actor=review.evaluator)
        application.refresh_from_db()
        if complete and application.state == "formally_accepted":
            application = transition_apply(obj=application, name="complete_evaluation", actor=None)
        return application

    def agreement_in_implementation(self):
        """An application approved at 3000 zł and its agreement, signed and running."""
        application = transition_apply(
            obj=self.evaluated(),
            name="approve",
            actor=self.official,
            payload={"amount": "3000.00", "justification": "J"},
        )
        agreement = services.agreement_create(
            application=application,
            actor=self.official,
            tranches=[(Decimal("3000.00"), datetime.date(2026, 11, 30))],
            spending_deadline=datetime.date(2026, 12, 31),
        )
        for name, payload in [
            ("generate", {}),
            ("send_for_signature", {}),
            ("sign", {"signed_on": "2026-11-24"}),
            ("start_implementation", {}),
        ]:
            agreement = transition_apply(
                obj=agreement, name=name, actor=self.official, payload=payload
            )
        return agreement


def small_grant_limits_ensure() -> SmallGrantLimits:
    """The art. 19a limits of migration 0004: transactional tests flush the database,
    and pytest-django runs them after the others, so later ones need the row back."""
    limits, _created = SmallGrantLimits.objects.get_or_create(
        valid_from=datetime.date(2019, 1, 1),
        defaults={
            "max_grant": Decimal("10000.00"),
            "max_duration_days": 90,
            "yearly_cap": Decimal("20000.00"),
            "comment_period_days": 7,
            "ngo_only": True,
            "legal_basis": "art. 19a ustawy o działalności pożytku publicznego i o wolontariacie",
        },
    )
    return limits


@pytest.fixture
def world(db, frozen_now):
    small_grant_limits_ensure()
    InterestRate.objects.create(valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00"))
    InterestRate.objects.create(valid_from=datetime.date(2027, 1, 1), annual_rate=Decimal("12.00"))
    return GrantWorld()
