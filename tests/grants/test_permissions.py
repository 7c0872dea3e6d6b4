"""For every transition of the grant processes: the permitted role succeeds through the
API; another role gets 403, or 404 where the object is not visible to it."""

import datetime
from decimal import Decimal

import pytest

from finance.models import PaymentOrder
from grants import services
from grants.models import Call
from tests.factories import UserFactory
from workflows.engine import transition_apply, transitions_of

from .conftest import api

pytestmark = pytest.mark.django_db


def run(world, obj, name, actor, **payload):
    return transition_apply(obj=obj, name=name, actor=actor, payload=payload)


# Builders: each returns (object, its API resource) in the transition's source state.


def call_in(world, state, frozen_now):
    call = Call.objects.create(
        organisation=world.organisation,
        procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
        code="P1",
        title="Nabór próbny",
        year=2026,
        pool=Decimal("1000"),
        max_grant=Decimal("500"),
        max_duration_days=30,
        opens_at=world.call.opens_at,
        closes_at=world.call.closes_at,
    )
    services.call_set_rules(call=call, criteria=[{"name": "K", "max_points": 5}])
    steps = {"draft": [], "published": ["publish"], "evaluating": ["publish", "start_evaluation"]}
    steps["decided"] = [*steps["evaluating"], "announce_results"]
    for name in steps[state]:
        if name == "start_evaluation":
            frozen_now.move_to(call.closes_at)
        call = run(world, call, name, world.official)
    if state == "published":
        frozen_now.move_to(call.closes_at)
    return call


def application_in(world, state, frozen_now=None):
    if state == "draft":
        return world.draft()
    if state == "submitted":
        return world.submitted()
    if state == "corrections_requested":
        return run(world, world.submitted(), "request_corrections", world.official, corrections="X")
    if state == "checked":  # submitted, with the formal checklist answered
        application = world.submitted()
        services.formal_check_record(
            application=application,
            actor=world.official,
            answers={item.pk: True for item in application.call.checklist.all()},
        )
        return application
    if state == "formally_accepted":
        return world.formally_accepted()
    if state == "reviews_done":  # formally accepted, every review in
        return world.evaluated(complete=False)
    if state == "evaluated":
        return world.evaluated()
    if state == "budget_revision":  # cut to 1000 zł, and the budget revised to match
        evaluated = application_in(world, "evaluated")
        cut = run(world, evaluated, "approve", world.official, amount="1000.00", justification="J")
        category = cut.call.cost_categories.first()
        return services.application_save_draft(
            application=cut,
            actor=world.resident,
            budget_lines=[
                {
                    "category_id": category.pk,
                    "description": "Sadzonki",
                    "unit": "zestaw",
                    "quantity": "4",
                    "unit_cost": "300.00",
                    "from_grant": "1000.00",
                    "own_money": "200.00",
                }
            ],
        )
    if state == "published_for_comment":
        call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)
        application = world.formally_accepted(call=call)
        return application
    if state == "comment_period_over":
        offer = run(
            world, application_in(world, "published_for_comment"), "deem_purposeful", world.official
        )
        frozen_now.shift(datetime.timedelta(days=7))
        return offer
    raise AssertionError(state)


def review_in(world, state):
    application = world.formally_accepted()
    [review, _other] = services.reviews_assign(
        application=application, evaluators=world.evaluators, actor=world.official
    )
    if state == "declared":
        review = run(world, review, "declare", review.evaluator)
        services.review_score(
            review=review,
            actor=review.evaluator,
            scores=[
                {"criterion": c.pk, "points": 1, "justification": "J"}
                for c in application.call.criteria.all()
            ],
        )
    return review


def agreement_in(world, state):
    application = run(
        world,
        application_in(world, "evaluated"),
        "approve",
        world.official,
        amount="3000.00",
        justification="J",
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal("3000.00"), datetime.date(2026, 11, 30))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    path = ["generate", "send_for_signature", "sign", "start_implementation"]
    payloads = {"sign": {"signed_on": "2026-11-24"}}
    stop = {
        "draft": 0,
        "generated": 1,
        "sent": 2,
        "signed": 3,
        "in_implementation": 4,
        "completed": 4,
        "settled": 4,
    }[state]
    for name in path[:stop]:
        agreement = run(world, agreement, name, world.official, **payloads.get(name, {}))
    if state in ("completed", "settled"):
        report = report_in_agreement(world, agreement)
        for name in ("submit", "start_review", "accept"):
            actor = world.resident if name == "submit" else world.official
            report = run(world, report, name, actor)
        agreement = run(world, agreement, "complete", world.official)
    if state == "settled":
        agreement = run(world, agreement, "settle", world.official, finding_date="2027-01-10")
    return agreement


def report_in_agreement(world, agreement):
    line = agreement.application.budget_lines.first()
    return services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Zrobione.",
        expenses=[
            {
                "document_number": "FV 1",
                "document_date": datetime.date(2026, 12, 2),
                "issuer": "Sklep",
                "purpose": "Materiały",
                "budget_line_id": line.pk,
                "amount": Decimal("3000.00"),
                "from_grant": Decimal("3000.00"),
            }
        ],
    )


def report_in(world, state):
    report = report_in_agreement(world, agreement_in(world, "in_implementation"))
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "under_review": ["submit", "start_review"],
    }[state]
    for name in steps:
        report = run(world, report, name, world.resident if name == "submit" else world.official)
    return report


def payment_order(world):
    agreement = agreement_in(world, "signed")
    return PaymentOrder.objects.get(tranche__agreement=agreement)


OFFICIAL, RESIDENT, EVALUATOR, FINANCE, STRANGER = (
    "official",
    "resident",
    "evaluator",
    "finance",
    "stranger",
)

# (resource, transition, build, payload, permitted, refused, refused status)
CASES = [
    ("grant-calls", "publish", ("call", "draft"), {}, OFFICIAL, EVALUATOR, 404),
    ("grant-calls", "start_evaluation", ("call", "published"), {}, OFFICIAL, RESIDENT, 403),
    ("grant-calls", "announce_results", ("call", "evaluating"), {}, OFFICIAL, RESIDENT, 403),
    ("grant-calls", "close", ("call", "decided"), {}, OFFICIAL, FINANCE, 403),
    # A draft is the applicant's own: an official does not even see it.
    ("grant-applications", "submit", ("application", "draft"), {}, RESIDENT, OFFICIAL, 404),
    ("grant-applications", "submit", ("application", "draft"), {}, RESIDENT, STRANGER, 404),
    (
        "grant-applications",
        "resubmit",
        ("application", "corrections_requested"),
        {},
        RESIDENT,
        OFFICIAL,
        403,
    ),
    ("grant-applications", "withdraw", ("application", "submitted"), {}, RESIDENT, OFFICIAL, 403),
    (
        "grant-applications",
        "request_corrections",
        ("application", "submitted"),
        {"corrections": "Uzupełnij harmonogram."},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "reject_formally",
        ("application", "submitted"),
        {"justification": "Brak podpisów."},
        OFFICIAL,
        FINANCE,
        403,
    ),
    (
        "grant-applications",
        "pass_formal_check",
        ("application", "checked"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "complete_evaluation",
        ("application", "reviews_done"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "deem_purposeful",
        ("application", "published_for_comment"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "end_comment_period",
        ("application", "comment_period_over"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "approve",
        ("application", "evaluated"),
        {"amount": "3000.00", "justification": "Dobry."},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "put_on_reserve",
        ("application", "evaluated"),
        {"justification": "Zabrakło środków."},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-applications",
        "reject",
        ("application", "evaluated"),
        {"justification": "Za mało punktów."},
        OFFICIAL,
        FINANCE,
        403,
    ),
    (
        "grant-applications",
        "submit_revised_budget",
        ("application", "budget_revision"),
        {},
        RESIDENT,
        OFFICIAL,
        403,
    ),
    ("grant-reviews", "declare", ("review", "assigned"), {}, EVALUATOR, OFFICIAL, 403),
    ("grant-reviews", "declare", ("review", "assigned"), {}, EVALUATOR, RESIDENT, 404),
    (
        "grant-reviews",
        "decline",
        ("review", "assigned"),
        {"reason": "Członek mojej rodziny."},
        EVALUATOR,
        OFFICIAL,
        403,
    ),
    ("grant-reviews", "submit", ("review", "declared"), {}, EVALUATOR, OFFICIAL, 403),
    ("grant-agreements", "generate", ("agreement", "draft"), {}, OFFICIAL, RESIDENT, 403),
    ("grant-agreements", "generate", ("agreement", "draft"), {}, OFFICIAL, STRANGER, 404),
    (
        "grant-agreements",
        "send_for_signature",
        ("agreement", "generated"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-agreements",
        "sign",
        ("agreement", "sent"),
        {"signed_on": "2026-11-24"},
        OFFICIAL,
        FINANCE,
        403,
    ),
    (
        "grant-agreements",
        "start_implementation",
        ("agreement", "signed"),
        {},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    (
        "grant-agreements",
        "terminate",
        ("agreement", "signed"),
        {"justification": "Rezygnacja grupy."},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    ("grant-agreements", "complete", ("agreement", "in_implementation"), {}, None, None, None),
    ("grant-agreements", "complete", ("agreement", "completed"), {}, None, None, None),
    (
        "grant-agreements",
        "settle",
        ("agreement", "completed"),
        {"finding_date": "2027-01-10"},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    ("grant-agreements", "close", ("agreement", "settled"), {}, OFFICIAL, RESIDENT, 403),
    ("grant-reports", "submit", ("report", "draft"), {}, RESIDENT, OFFICIAL, 403),
    ("grant-reports", "start_review", ("report", "submitted"), {}, OFFICIAL, RESIDENT, 403),
    (
        "grant-reports",
        "request_corrections",
        ("report", "under_review"),
        {"corrections": "Dołącz faktury."},
        OFFICIAL,
        RESIDENT,
        403,
    ),
    ("grant-reports", "accept", ("report", "under_review"), {}, OFFICIAL, RESIDENT, 403),
    (
        "payment-orders",
        "mark_paid",
        ("payment_order", None),
        {"paid_on": "2026-11-20"},
        FINANCE,
        OFFICIAL,
        403,
    ),
    (
        "payment-orders",
        "cancel",
        ("payment_order", None),
        {"reason": "Błędny rachunek."},
        FINANCE,
        OFFICIAL,
        403,
    ),
]
# ``complete`` of an agreement is reached through the settle/close cases' builders;
# its own check follows below, so the two placeholder rows are dropped here.
CASES = [case for case in CASES if case[4] is not None]


def build(world, frozen_now, kind, state):
    if kind == "call":
        return call_in(world, state, frozen_now)
    if kind == "application":
        return application_in(world, state, frozen_now)
    if kind == "review":
        return review_in(world, state)
    if kind == "agreement":
        return agreement_in(world, state)
    if kind == "report":
        return report_in(world, state)
    return payment_order(world)


def actor(world, role):
    return {
        OFFICIAL: world.official,
        RESIDENT: world.resident,
        EVALUATOR: world.evaluators[0],
        FINANCE: world.finance,
        STRANGER: UserFactory(),
    }[role]


@pytest.mark.parametrize(
    ("resource", "name", "source", "payload", "permitted", "refused", "status"),
    CASES,
    ids=[f"{c[1]}@{c[2][1] or c[0]}-{c[5]}" for c in CASES],
)
def test_permitted_role_succeeds_and_another_is_refused(
    world, frozen_now, resource, name, source, payload, permitted, refused, status
):
    obj = build(world, frozen_now, *source)
    if source == ("review", "assigned") or source == ("review", "declared"):
        permitted_user = obj.evaluator
    else:
        permitted_user = actor(world, permitted)
    refused_user = actor(world, refused)
    if refused == EVALUATOR and resource == "grant-reviews":
        refused_user = world.evaluators[1]
    url = f"/api/v1/{resource}/{obj.pk}/transitions/{name}/"

    refused_response = api(refused_user).post(url, payload, format="json")
    permitted_response = api(permitted_user).post(url, payload, format="json")

    assert refused_response.status_code == status, refused_response.json()
    assert permitted_response.status_code == 200, permitted_response.json()


def test_complete_needs_an_official_and_an_accepted_report(world, frozen_now):
    agreement = agreement_in(world, "in_implementation")
    url = f"/api/v1/grant-agreements/{agreement.pk}/transitions/complete/"

    assert api(world.official).post(url, {}, format="json").json() == {
        "detail": "Sprawozdanie końcowe nie zostało jeszcze przyjęte."
    }
    report = report_in_agreement(world, agreement)
    for name in ("submit", "start_review", "accept"):
        report = run(world, report, name, world.resident if name == "submit" else world.official)
    assert api(world.resident).post(url, {}, format="json").status_code == 403
    assert api(world.official).post(url, {}, format="json").status_code == 200


def test_every_transition_is_covered():
    from finance.models import PaymentOrder
    from grants.models import Agreement, Application, Report, Review

    covered = {(resource, name) for resource, name, *_ in CASES} | {
        ("grant-agreements", "complete"),
        ("grant-applications", "reject_missed_corrections"),
        # An order's batch transitions run only through its payment batch: refused
        # anywhere else in tests/finance/test_batches.py, used there by the batches.
        ("payment-orders", "include_in_batch"),
        ("payment-orders", "release"),
        ("payment-orders", "reject"),
        ("payment-orders", "confirm_paid"),
    }
    resources = {
        Call: "grant-calls",
        Application: "grant-applications",
        Review: "grant-reviews",
        Agreement: "grant-agreements",
        Report: "grant-reports",
        PaymentOrder: "payment-orders",
    }
    declared = {
        (resources[model], transition.name)
        for model in resources
        for transition in transitions_of(model)
    }
    assert declared == covered


def test_missed_corrections_are_rejected_by_the_system_only(world):
    application = application_in(world, "corrections_requested")
    url = f"/api/v1/grant-applications/{application.pk}/transitions/reject_missed_corrections/"

    assert api(world.official).post(url, {}, format="json").status_code == 403
    assert api(world.resident).post(url, {}, format="json").status_code == 403
    rejected = transition_apply(obj=application, name="reject_missed_corrections", actor=None)
    assert rejected.state == "formally_rejected"
