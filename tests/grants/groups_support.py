"""Helpers of the informal-group tests: an application of a given call carried through
the real services and engine to a running agreement, a payment batch paid, a report
accepted and the agreement settled."""

import datetime
from decimal import Decimal

from accounts.models import Role
from accounts.services import organisation_create
from finance.models import PaymentBatch
from finance.services import batches
from finance.services.batches import ItemResult
from grants import services
from grants.models import Agreement
from tests.purchases.factories import nrb
from workflows.engine import transition_apply

DEBIT = nrb(990001)
PATRON_ACCOUNT = nrb(424242)


def ngo(world, name="Stowarzyszenie Dobry Patron", nip="1132853869"):
    """An NGO in the product with one member of staff (an official of it)."""
    organisation = organisation_create(
        kind="other",
        name=name,
        short_name="SDP",
        street="ul. Lipowa 3",
        postal_code="00-951",
        city="Próbne",
        nip=nip,
        representatives=[("Anna Prezes", "Prezeska zarządu")],
    )
    staff = world.member(Role.OFFICIAL)
    staff.memberships.all().delete()  # only of the NGO, not of the municipality
    from accounts.services import membership_grant

    membership_grant(user=staff, organisation=organisation, role=Role.OFFICIAL)
    staff.__dict__.pop("_roles_by_organisation", None)
    return organisation, staff


def approved_agreement(world, application, amount="3000.00"):
    """A submitted application checked, reviewed, approved at ``amount`` and its
    agreement signed and in implementation."""
    services.formal_check_record(
        application=application,
        actor=world.official,
        answers={item.pk: True for item in application.call.checklist.all()},
    )
    application = transition_apply(obj=application, name="pass_formal_check", actor=world.official)
    reviews = services.reviews_assign(
        application=application, evaluators=world.evaluators, actor=world.official
    )
    criteria = list(application.call.criteria.all())
    for review, points in zip(reviews, ((8, 15), (9, 16)), strict=True):
        review = transition_apply(obj=review, name="declare", actor=review.evaluator)
        services.review_score(
            review=review,
            actor=review.evaluator,
            scores=[
                {"criterion": c.pk, "points": p, "justification": "Uzasadnienie."}
                for c, p in zip(criteria, points, strict=True)
            ],
        )
        transition_apply(obj=review, name="submit", actor=review.evaluator)
    application.refresh_from_db()
    application = transition_apply(obj=application, name="complete_evaluation", actor=None)
    application = transition_apply(
        obj=application,
        name="approve",
        actor=world.official,
        payload={"amount": amount, "justification": "J"},
    )
    agreement = services.agreement_create(
        application=application,
        actor=world.official,
        tranches=[(Decimal(amount), datetime.date(2026, 11, 30))],
        spending_deadline=datetime.date(2026, 12, 31),
    )
    for name, payload in [
        ("generate", {}),
        ("send_for_signature", {}),
        ("sign", {"signed_on": "2026-11-24"}),
        ("start_implementation", {}),
    ]:
        agreement = transition_apply(
            obj=agreement, name=name, actor=world.official, payload=payload
        )
    return agreement


def paid_batch(world, orders, clock, paid_on=datetime.date(2026, 11, 26)) -> PaymentBatch:
    """The orders gathered into a batch by finance, approved by a second finance user,
    exported as an Elixir-O file and confirmed paid by the bank on ``paid_on``."""
    second = world.member(Role.FINANCE)
    account = batches.bank_account_create(
        organisation=world.organisation, name="Rachunek wydatków", number=DEBIT
    )
    batch = batches.batch_create(
        organisation=world.organisation,
        actor=world.finance,
        account=account,
        execution_date=datetime.date(2026, 11, 25),
        orders=orders,
    )
    batch = transition_apply(obj=batch, name="approve", actor=second)
    batch = transition_apply(obj=batch, name="export", actor=world.finance)
    clock.move_to(datetime.datetime.combine(paid_on, datetime.time(12), world.now.tzinfo))
    batches.batch_results_record(
        batch=batch,
        actor=second,
        results=[ItemResult(item.pk, "paid", paid_on=paid_on) for item in batch.items.all()],
    )
    return PaymentBatch.objects.get(pk=batch.pk)


def settled(world, agreement, report, clock) -> Agreement:
    """The report submitted, accepted; the agreement completed and settled."""
    clock.move_to(datetime.datetime(2027, 1, 5, 12, 0, tzinfo=world.now.tzinfo))
    report = transition_apply(obj=report, name="submit", actor=agreement.application.applicant)
    report = transition_apply(obj=report, name="start_review", actor=world.official)
    transition_apply(obj=report, name="accept", actor=world.official)
    agreement = transition_apply(
        obj=Agreement.objects.get(pk=agreement.pk), name="complete", actor=world.official
    )
    return transition_apply(
        obj=agreement,
        name="settle",
        actor=world.official,
        payload={"finding_date": "2027-01-10"},
    )
