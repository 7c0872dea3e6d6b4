"""Demo data of the micro-grant process for ``make run``: calls in different phases and
applications in every state, made through the real services and engine so that each
carries its history. Running it again changes nothing."""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, User
from accounts.services import user_create
from finance.services import classification_load_sample
from workflows.engine import transition_apply

from . import services
from .models import Call, InterestRate

# Pozostałe zadania w zakresie kultury, dotacja celowa dla organizacji pożytku publicznego.
CLASSIFICATION = "921-92105-2360"
APPLICANTS = [
    ("grupa.zielona@example.org", "Sąsiedzi z Zielonej"),
    ("grupa.parkowa@example.org", "Przyjaciele Parku"),
    ("grupa.szkolna@example.org", "Rodzice ze Szkolnej"),
    ("grupa.rzeczna@example.org", "Nad Rzeką"),
    ("grupa.lesna@example.org", "Leśne Ludki"),
    ("grupa.polna@example.org", "Polna Razem"),
    ("grupa.mlynska@example.org", "Młyńska Inicjatywa"),
    ("grupa.ogrodowa@example.org", "Ogrodowa Pomaga"),
    ("grupa.kwiatowa@example.org", "Kwiatowe Podwórko"),
    ("grupa.sloneczna@example.org", "Słoneczna Ekipa"),
    ("fundacja@example.org", "Fundacja Wspólna Sprawa"),
]


def _user(email: str, first_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=DEMO_PASSWORD, first_name=first_name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _call(organisation, official, code, title, opens, closes, **extra) -> Call:
    existing = Call.objects.filter(organisation=organisation, code=code).first()
    if existing:
        return existing
    year = timezone.localdate().year
    fields = {
        "procedure": Call.Procedure.NEIGHBOURHOOD_FUND,
        "year": year,
        "classification": classification_load_sample(year=year)[CLASSIFICATION],
        "pool": Decimal("20000.00"),
        "min_grant": Decimal("500.00"),
        "max_grant": Decimal("5000.00"),
        "min_own_share": Decimal("0.10"),
        "max_duration_days": 90,
        "opens_at": opens,
        "closes_at": closes,
        "evaluators_per_application": 1,
        "min_average_score": Decimal("10"),
    }
    fields.update(extra)
    call = services.call_create(
        organisation=organisation,
        actor=official,
        code=code,
        title=title,
        description="Mikrogranty na inicjatywy mieszkańców: podwórka, zieleń, spotkania.",
        criteria=[
            {"name": "Wartość dla sąsiedztwa", "max_points": 10},
            {"name": "Jakość planu i budżetu", "max_points": 20},
        ],
        cost_categories=[
            {"name": "Materiały i usługi"},
            {"name": "Koszty administracyjne", "cap_share": Decimal("0.10")},
        ],
        checklist=["Wniosek kompletny", "Grupa liczy co najmniej 3 pełnoletnie osoby"],
        **fields,
    )
    return transition_apply(obj=call, name="publish", actor=official)


def _draft(call, applicant, name, title):
    application = services.application_create(call=call, applicant=applicant, kind="informal_group")
    category = call.cost_categories.first()
    year = call.year
    return services.application_save_draft(
        application=application,
        actor=applicant,
        fields={
            "applicant_name": name,
            "address": "ul. Przykładowa 1, 00-950 Przykładowo",
            "account_number": "61109010140000071219812874",
            "title": title,
            "place": "Przykładowo",
            "start_date": datetime.date(year, 12, 1),
            "end_date": datetime.date(year, 12, 20),
            "summary": "Wspólne działanie mieszkańców.",
            "goals": "Integracja sąsiadów.",
            "beneficiaries": "Mieszkańcy osiedla.",
            "expected_results": "Trzy spotkania sąsiedzkie.",
            "volunteer_hours": Decimal("20"),
            "volunteer_rate": Decimal("30.00"),
        },
        members=[
            {
                "full_name": f"Członek {i} grupy {name}",
                "email": f"czlonek{i}@example.org",
                "is_leader": i == 1,
                "declares_adult_resident": True,
                "consents_to_processing": True,
            }
            for i in (1, 2, 3)
        ],
        activities=[
            {
                "name": "Spotkanie sąsiedzkie",
                "start_date": datetime.date(year, 12, 1),
                "end_date": datetime.date(year, 12, 20),
            }
        ],
        indicators=[{"name": "Spotkania", "target": Decimal("3"), "unit": "spotkania"}],
        budget_lines=[
            {
                "category_id": category.pk,
                "description": "Materiały na spotkania",
                "unit": "zestaw",
                "quantity": Decimal("10"),
                "unit_cost": Decimal("300.00"),
                "from_grant": Decimal("2700.00"),
                "own_money": Decimal("300.00"),
                "own_in_kind": Decimal("0"),
            }
        ],
    )


@transaction.atomic
def demo_load() -> None:
    municipality = Organisation.objects.get(nip="5260250274")
    official = User.objects.get(email="urzednik@example.org")
    evaluator = User.objects.get(email="oceniajacy@example.org")
    finance = User.objects.get(email="ksiegowosc@example.org")
    if Call.objects.filter(organisation=municipality).exists():
        return
    InterestRate.objects.get_or_create(
        valid_from=datetime.date(2025, 1, 1), defaults={"annual_rate": Decimal("14.50")}
    )
    now = timezone.now()
    open_call = _call(
        municipality,
        official,
        "FS1",
        "Fundusz sąsiedzki – nabór jesienny",
        now - datetime.timedelta(days=20),
        now + datetime.timedelta(days=30),
    )
    _call(
        municipality,
        official,
        "FS0",
        "Fundusz sąsiedzki – nabór wiosenny (zamknięty)",
        now - datetime.timedelta(days=200),
        now - datetime.timedelta(days=150),
    )
    applicants = [_user(email, name.split()[0]) for email, name in APPLICANTS]
    resident = User.objects.get(email="mieszkaniec@example.org")

    # One application in each state of the process.
    _draft(open_call, resident, "Mieszkańcy Przykładowej", "Szkic: ławki na skwerze")
    apps = {}
    for (email, name), user in zip(APPLICANTS[:10], applicants[:10], strict=True):
        draft = _draft(open_call, user, name, f"{name}: wspólne działania")
        apps[email] = transition_apply(obj=draft, name="submit", actor=user)

    def accept(application):
        services.formal_check_record(
            application=application,
            actor=official,
            answers={item.pk: True for item in open_call.checklist.all()},
        )
        return transition_apply(obj=application, name="pass_formal_check", actor=official)

    def evaluate(application, points=(8, 16)):
        application = accept(application)
        [review] = services.reviews_assign(
            application=application, evaluators=[evaluator], actor=official
        )
        review = transition_apply(obj=review, name="declare", actor=evaluator)
        services.review_score(
            review=review,
            actor=evaluator,
            scores=[
                {"criterion": c.pk, "points": p, "justification": "Dobrze przygotowany wniosek."}
                for c, p in zip(open_call.criteria.all(), points, strict=True)
            ],
        )
        transition_apply(obj=review, name="submit", actor=evaluator)
        return transition_apply(obj=application, name="complete_evaluation", actor=official)

    emails = [email for email, _name in APPLICANTS]
    transition_apply(
        obj=apps[emails[1]],
        name="request_corrections",
        actor=official,
        payload={"corrections": "Uzupełnij harmonogram działań."},
    )
    transition_apply(
        obj=apps[emails[2]],
        name="reject_formally",
        actor=official,
        payload={"justification": "Grupa liczy mniej niż 3 osoby."},
    )
    accept(apps[emails[3]])
    evaluate(apps[emails[4]])
    reserve = evaluate(apps[emails[5]], points=(5, 10))
    transition_apply(
        obj=reserve, name="put_on_reserve", actor=official, payload={"justification": "Rezerwa."}
    )
    rejected = evaluate(apps[emails[6]], points=(2, 3))
    transition_apply(
        obj=rejected, name="reject", actor=official, payload={"justification": "Niska ocena."}
    )
    transition_apply(obj=apps[emails[7]], name="withdraw", actor=applicants[7])
    cut = evaluate(apps[emails[8]])
    transition_apply(
        obj=cut,
        name="approve",
        actor=official,
        payload={"amount": "2000.00", "justification": "Obniżona kwota."},
    )
    granted = evaluate(apps[emails[9]], points=(10, 19))
    granted = transition_apply(
        obj=granted,
        name="approve",
        actor=official,
        payload={"amount": "2700.00", "justification": "Najlepszy wniosek."},
    )
    year = open_call.year
    agreement = services.agreement_create(
        application=granted,
        actor=official,
        tranches=[(Decimal("2700.00"), datetime.date(year, 12, 1))],
        spending_deadline=datetime.date(year, 12, 31),
    )
    for name, payload in [
        ("generate", {}),
        ("send_for_signature", {}),
        ("sign", {"signed_on": timezone.localdate().isoformat()}),
    ]:
        agreement = transition_apply(obj=agreement, name=name, actor=official, payload=payload)
    order = agreement.tranches.get().payment_order
    transition_apply(
        obj=order,
        name="mark_paid",
        actor=finance,
        payload={"paid_on": timezone.localdate().isoformat()},
    )
    transition_apply(obj=agreement, name="start_implementation", actor=official)
