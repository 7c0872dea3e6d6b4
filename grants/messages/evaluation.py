"""What the reviews tell the official handling the application (``grants.messages``):
who declared, declined or scored, how many reviews are in of those needed, and what
the official must do (assign another evaluator, or nothing while the evaluation closes
by itself)."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import Line, Message, Number


def _counts(review) -> dict:
    """The application's reviews as they stand after this one's transition, read again:
    submitting a review may have flagged a score gap on the application."""
    from ..models import Application
    from ..rules.process import required_reviews
    from ..workflow import ReviewState

    application = Application.objects.select_related("call").get(pk=review.application_id)
    states = list(application.reviews.values_list("state", flat=True))
    submitted = states.count(ReviewState.SUBMITTED)
    pending = states.count(ReviewState.ASSIGNED) + states.count(ReviewState.DECLARED)
    return {
        "evaluator": str(review.evaluator),
        "application": str(application),
        "title": application.title,
        "submitted": submitted,
        "active": submitted + pending,
        "required": required_reviews(application),
        "pending": pending,
        "needs_third": application.needs_third_evaluator,
        "gap": Number(application.call.score_gap),
    }


def _next(counts: dict, *, closing: bool) -> Line:
    """What the handler does once a review is in or declined; ``closing``: this
    transition closes the evaluation by itself when it was the last review needed."""
    if counts["active"] < counts["required"]:
        if counts["needs_third"]:
            return Line(
                _(
                    "The scores differ by more than the call allows (%(gap)s points): "
                    "assign a third evaluator."
                ),
                {"gap": counts["gap"]},
            )
        return Line(
            _(
                "Assign another evaluator: the application has %(active)d of the "
                "%(required)d it needs."
            ),
            {"active": counts["active"], "required": counts["required"]},
        )
    if counts["pending"]:
        return Line(
            _(
                "You need do nothing now: the evaluation closes by itself when the other "
                "reviews are in."
            ),
            {},
        )
    if not closing:
        return Line(_("The reviews needed are all in: close the evaluation."), {})
    return Line(
        _(
            "That was the last review needed: the evaluation closes by itself, and you will "
            "get a message with the average score. You need do nothing now."
        ),
        {},
    )


def _shown(counts: dict) -> dict:
    """The values the texts name (not the flags ``_next`` decides by)."""
    return {k: v for k, v in counts.items() if k not in ("pending", "needs_third", "gap")}


def _declared(review) -> dict:
    counts = _counts(review)
    return {**_shown(counts), "declared_at": review.declared_at}


def _declined(review) -> dict:
    counts = _counts(review)
    return {
        **_shown(counts),
        "reason": review.conflict_reason,
        "next": _next(counts, closing=False),
    }


def _submitted(review) -> dict:
    counts = _counts(review)
    return {**_shown(counts), "total": Number(review.total), "next": _next(counts, closing=True)}


REVIEW_DECLARED = Message(
    key="grants.review.declared",
    subject=_("Application %(application)s: impartiality declared by %(evaluator)s"),
    body=_(
        "%(evaluator)s signed the impartiality declaration for the application "
        '%(application)s ("%(title)s") on %(declared_at)s and may now score it. You need '
        "do nothing now; you will get a message when the review is submitted."
    ),
    values=_declared,
)

REVIEW_DECLINED = Message(
    key="grants.review.declined",
    subject=_("Application %(application)s: %(evaluator)s declined to review it"),
    body=_(
        "%(evaluator)s declined to review the application %(application)s "
        '("%(title)s") because of a conflict of interest.\n\nReason:\n%(reason)s\n\n%(next)s'
    ),
    values=_declined,
)

REVIEW_SUBMITTED = Message(
    key="grants.review.submitted",
    subject=_("Application %(application)s: review %(submitted)d of %(required)d submitted"),
    body=_(
        "%(evaluator)s submitted the review of the application %(application)s "
        '("%(title)s"): %(total)s points. Reviews in: %(submitted)d of the %(required)d '
        "needed.\n\n%(next)s"
    ),
    values=_submitted,
)
