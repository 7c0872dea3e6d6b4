"""Formal check (ocena formalna) and evaluation by the committee (ocena merytoryczna):
checklist answers, assigning evaluators, scores, and closing the evaluation."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.permissions import role_require
from notifications.recipients import Recipient
from notifications.services import notify
from workflows.audit import audit_record, changes
from workflows.engine import transition_apply
from workflows.errors import GuardRefused, InvalidInput, NotPermitted

from ..models import (
    ZERO,
    Application,
    Call,
    FormalCheckAnswer,
    Review,
    Score,
)
from ..rules import evaluation_problem, required_reviews
from ..selectors import evaluators_of
from ..workflow import (
    ApplicationState,
    ReviewState,
)

EVALUATION_ASSIGNED = gettext_lazy("Application %(number)s to evaluate")


EVALUATION_ASSIGNED_BODY = gettext_lazy(
    "You are asked to evaluate application %(number)s. Sign the impartiality declaration "
    "first, or decline if you have a conflict of interest."
)


@transaction.atomic
def formal_check_record(*, application: Application, actor: User, answers: dict[int, bool]) -> None:
    """Record the official's answers to the call's checklist (item id -> passed)."""
    role_require(
        actor, application.call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message
    )
    items = {item.pk for item in application.call.checklist.all()}
    unknown = set(answers) - items
    if unknown:
        raise InvalidInput(field_errors={"answers": [_("Unknown checklist items.")]})
    recorded = dict(
        FormalCheckAnswer.objects.filter(application=application).values_list("item_id", "passed")
    )
    for item_id, passed in answers.items():
        FormalCheckAnswer.objects.update_or_create(
            application=application, item_id=item_id, defaults={"passed": bool(passed)}
        )
    before = {str(k): recorded.get(k) for k in sorted(answers)}
    after = {str(k): bool(answers[k]) for k in sorted(answers)}
    old, new = changes(before, after)
    if new:
        audit_record(
            obj=application, actor=actor, action="formal_check_record", before=old, after=new
        )


@transaction.atomic
def reviews_assign(
    *, application: Application, evaluators: Iterable[User], actor: User
) -> list[Review]:
    organisation_id = application.call.organisation_id
    role_require(actor, organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    if application.state != ApplicationState.FORMALLY_ACCEPTED:
        raise GuardRefused(_("Evaluators are assigned after the formal check."))
    allowed = set(evaluators_of(organisation_id).values_list("pk", flat=True))
    reviews = []
    for evaluator in evaluators:
        if evaluator.pk not in allowed:
            raise InvalidInput(
                field_errors={
                    "evaluators": [_("%(who)s is not an evaluator here.") % {"who": evaluator}]
                }
            )
        if evaluator.pk == application.applicant_id:
            raise InvalidInput(field_errors={"evaluators": [_("An applicant cannot evaluate.")]})
        review, created = Review.objects.get_or_create(application=application, evaluator=evaluator)
        if created:
            _tell_evaluator(review)
        reviews.append(review)
    return reviews


def _tell_evaluator(review: Review) -> None:
    notify(
        recipients=[Recipient(email=review.evaluator.email, user=review.evaluator)],
        kind="grants.review.assigned",
        subject=EVALUATION_ASSIGNED,
        body=EVALUATION_ASSIGNED_BODY,
        url=review.get_absolute_url(),
        essential=True,
        about=review,
        dedupe_key=f"review-assigned:{review.pk}",
        context={"number": review.application.number},
    )


@transaction.atomic
def reviews_assign_balanced(*, call: Call, actor: User) -> int:
    """Give each formally accepted application the evaluators it still needs, picking
    those with the fewest reviews in the call (ties by id)."""
    role_require(actor, call.organisation_id, Role.OFFICIAL, message=NotPermitted.default_message)
    load = dict.fromkeys(evaluators_of(call.organisation_id).values_list("pk", flat=True), 0)
    load.update(
        Review.objects.filter(application__call=call, evaluator_id__in=load)
        .exclude(state=ReviewState.DECLINED)
        .values("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    created = 0
    applications = call.applications.filter(
        state=ApplicationState.FORMALLY_ACCEPTED
    ).prefetch_related("reviews")
    for application in applications:
        taken = {r.evaluator_id for r in application.reviews.all()}
        active = [r for r in application.reviews.all() if r.state != ReviewState.DECLINED]
        needed = required_reviews(application) - len(active)
        candidates = sorted(
            (pk for pk in load if pk not in taken and pk != application.applicant_id),
            key=lambda pk: (load[pk], pk),
        )
        for pk in candidates[: max(needed, 0)]:
            _tell_evaluator(
                Review.objects.select_related("evaluator", "application").get(
                    pk=Review.objects.create(application=application, evaluator_id=pk).pk
                )
            )
            load[pk] += 1
            created += 1
    return created


@transaction.atomic
def review_score(*, review: Review, actor: User, scores: list[dict]) -> Review:
    """Save an evaluator's points and justifications (before the review is submitted)."""
    if review.evaluator_id != actor.pk:
        raise NotPermitted(_("Only the assigned evaluator may score."))
    if review.state != ReviewState.DECLARED:
        raise GuardRefused(
            _("Sign the impartiality declaration first; a submitted review is locked.")
        )
    criteria = {c.pk: c for c in review.application.call.criteria.all()}
    errors = {}
    rows = []
    for i, score in enumerate(scores):
        criterion = criteria.get(int(score.get("criterion", 0)))
        if criterion is None:
            errors[f"scores[{i}].criterion"] = [_("Unknown criterion.")]
            continue
        try:
            points = Decimal(str(score.get("points")))
        except ArithmeticError:
            errors[f"scores[{i}].points"] = [_("Enter a number.")]
            continue
        if not ZERO <= points <= criterion.max_points:
            errors[f"scores[{i}].points"] = [
                _("Give between 0 and %(max)d points.") % {"max": criterion.max_points}
            ]
        if not str(score.get("justification", "")).strip():
            errors[f"scores[{i}].justification"] = [_("Justify the score.")]
        rows.append((criterion, points, str(score.get("justification", "")).strip()))
    if errors:
        raise InvalidInput(field_errors=errors)
    for criterion, points, justification in rows:
        Score.objects.update_or_create(
            review=review,
            criterion=criterion,
            defaults={"points": points, "justification": justification},
        )
    return review


def review_finalise(review: Review) -> None:
    """Inside the review's submit transition: lock the total and flag a score gap."""
    review.total = sum((s.points for s in review.scores.all()), ZERO)
    review.submitted_at = timezone.now()
    application = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("call")
        .get(pk=review.application_id)
    )
    totals = [
        r.total
        for r in application.reviews.filter(state=ReviewState.SUBMITTED).exclude(pk=review.pk)
    ] + [review.total]
    gap = max(totals) - min(totals)
    if (
        len(totals) >= application.call.evaluators_per_application
        and gap > application.call.score_gap
        and not application.needs_third_evaluator
    ):
        application.needs_third_evaluator = True
        application.save(update_fields=["needs_third_evaluator"])


def evaluation_close_if_complete(*, review_id: int) -> None:
    """After a review is submitted: close the application's evaluation when it was the
    last one needed (the system acts)."""
    application = Application.objects.get(reviews__pk=review_id)
    if (
        application.state == ApplicationState.FORMALLY_ACCEPTED
        and evaluation_problem(application) is None
    ):
        transition_apply(obj=application, name="complete_evaluation", actor=None)
