"""What the call and application process tells people (``grants.messages``): what
happened, what the reader must do and by when, with the figures."""

from django.utils.translation import gettext_lazy as _

from notifications.messages import Later, Message, Money, Number


def _application(application) -> dict:
    return {"title": application.title, "call": application.call.title}


def _submitted(application) -> dict:
    # The number is taken after this message is written (``grants.workflow``
    # ``TAKE_NUMBER``): it is read when the message is read.
    return {
        **_application(application),
        "object": Later.of(application, "number"),
        "submitted_at": application.submitted_at,
    }


def _corrections(application) -> dict:
    return {
        **_application(application),
        "corrections": application.correction_request,
        "deadline": application.correction_deadline,
    }


def _justification(application) -> dict:
    return {**_application(application), "justification": application.decision_justification}


def _approval(application) -> dict:
    from ..workflow import ApplicationState

    if application.state == ApplicationState.BUDGET_REVISION:
        next_step = _(
            "The amount is lower than requested: revise the budget lines to the amount "
            "granted and submit the revised budget on the application's page. The "
            "agreement is prepared after that."
        )
    else:
        next_step = _(
            "Next comes the agreement: we will send it to you for signature. You need do "
            "nothing until then."
        )
    return {
        **_justification(application),
        "amount": Money(application.approved_amount),
        "requested": Money(application.requested_amount),
        "next_step": next_step,
    }


def _call_closed(call) -> dict:
    from ..workflow import ApplicationState

    applications = call.applications.exclude(
        state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN]
    )
    return {
        "closes_at": call.closes_at,
        "count": applications.count(),
        "to_check": applications.filter(state=ApplicationState.SUBMITTED).count(),
    }


def _withdrawn(application) -> dict:
    return {**_application(application), "requested": Money(application.requested_amount)}


def _evaluated(application) -> dict:
    from ..workflow import ReviewState

    return {
        **_application(application),
        "reviews": application.reviews.filter(state=ReviewState.SUBMITTED).count(),
        "score": Number(application.average_score),
        "minimum": Number(application.call.min_average_score),
        "requested": Money(application.requested_amount),
    }


def _comment_period(application) -> dict:
    return {
        **_application(application),
        "ends": application.comment_period_ends,
        "comments": application.public_comments.count(),
        "requested": Money(application.requested_amount),
    }


def _budget_revised(application) -> dict:
    return {
        **_application(application),
        "amount": Money(application.approved_amount),
        "total": Money(application.total_cost),
    }


SUBMITTED = Message(
    key="grants.application.received",
    subject=_("Application %(object)s received"),
    body=_(
        'We have received the application %(object)s ("%(title)s") in the call '
        '"%(call)s" on %(submitted_at)s. Received does not yet mean accepted: the '
        "application is now checked formally. You need do nothing now; if anything must "
        "be corrected, you will get a message saying what and by when."
    ),
    values=_submitted,
)

RESUBMITTED = Message(
    key="grants.application.resubmitted",
    subject=_("Application %(object)s corrected"),
    body=_(
        'The applicant submitted the corrected application %(object)s ("%(title)s"). '
        "Check it formally again: pass the check, reject it or ask for more corrections."
    ),
    values=_application,
)

CORRECTIONS_REQUESTED = Message(
    key="grants.application.corrections_requested",
    subject=_("Application %(object)s: correct it by %(deadline)s"),
    body=_(
        'The application %(object)s ("%(title)s") needs corrections before it can pass '
        "the formal check.\n\nWhat to correct:\n%(corrections)s\n\nCorrect the "
        "application and submit it again by %(deadline)s. If it is not corrected by then, "
        "it is rejected formally."
    ),
    values=_corrections,
)

CORRECTIONS_MISSED = Message(
    key="grants.application.corrections_missed",
    subject=_("Application %(object)s rejected: not corrected in time"),
    body=_(
        'The application %(object)s ("%(title)s") was not corrected by the deadline, '
        "%(deadline)s, and is rejected formally. Nothing more can be done with it in "
        "this call."
    ),
    values=_corrections,
)

REJECTED_FORMALLY = Message(
    key="grants.application.rejected_formally",
    subject=_("Application %(object)s rejected formally"),
    body=_(
        'The application %(object)s ("%(title)s") was rejected at the formal check.'
        "\n\nJustification:\n%(justification)s\n\nYou need do nothing more about this "
        "application."
    ),
    values=_justification,
)

PASSED_FORMAL_CHECK = Message(
    key="grants.application.formally_accepted",
    subject=_("Application %(object)s passed the formal check"),
    body=_(
        'The application %(object)s ("%(title)s") passed the formal check and goes to '
        "the evaluation. You need do nothing now; you will get a message with the "
        "decision."
    ),
    values=_application,
)

APPROVED = Message(
    key="grants.application.approved",
    subject=_("Application %(object)s: %(amount)s granted"),
    body=_(
        'A grant of %(amount)s was approved for the application %(object)s ("%(title)s"); '
        "%(requested)s was requested.\n\nJustification:\n%(justification)s\n\n"
        "%(next_step)s"
    ),
    values=_approval,
)

RESERVED = Message(
    key="grants.application.reserve",
    subject=_("Application %(object)s is on the reserve list"),
    body=_(
        'The application %(object)s ("%(title)s") was put on the reserve list.\n\n'
        "Justification:\n%(justification)s\n\nYou need do nothing now: if money in the "
        "call's pool becomes free, it may still be approved, and you will get a message."
    ),
    values=_justification,
)

REJECTED = Message(
    key="grants.application.rejected",
    subject=_("Application %(object)s: no grant"),
    body=_(
        'The application %(object)s ("%(title)s") was not granted.\n\nJustification:\n'
        "%(justification)s\n\nYou need do nothing more about this application."
    ),
    values=_justification,
)

# The call's submissions closed (``start_evaluation``), told to its handlers.
SUBMISSIONS_CLOSED = Message(
    key="grants.call.submissions_closed",
    subject=_('Call "%(object)s" closed, applications submitted: %(count)d'),
    body=_(
        'Submissions to the call "%(object)s" closed on %(closes_at)s. Applications '
        "submitted: %(count)d, of which %(to_check)d await the formal check. Check them "
        "formally (pass the check, ask for corrections or reject); those that pass go to "
        "the evaluation. Drafts not submitted in time can no longer be submitted."
    ),
    values=_call_closed,
)

WITHDRAWN = Message(
    key="grants.application.withdrawn",
    subject=_("Application %(object)s withdrawn"),
    body=_(
        'The applicant withdrew the application %(object)s ("%(title)s") in the call '
        '"%(call)s", which asked for %(requested)s. It is no longer checked or evaluated, '
        "and nobody needs to do anything more about it."
    ),
    values=_withdrawn,
)

EVALUATED = Message(
    key="grants.application.evaluated",
    subject=_("Application %(object)s evaluated: average score %(score)s"),
    body=_(
        'The evaluation of the application %(object)s ("%(title)s") is closed: '
        "average score %(score)s from reviews: %(reviews)d (the call's minimum for a grant "
        "is %(minimum)s); %(requested)s was requested. Decide on it: approve it with the "
        "amount granted, put it on the reserve list or reject it, each with a "
        "justification."
    ),
    values=_evaluated,
)

COMMENT_PERIOD_ENDED = Message(
    key="grants.application.comment_period_ended",
    subject=_("Offer %(object)s: comment period over, comments: %(comments)d"),
    body=_(
        'The public comment period of the offer %(object)s ("%(title)s") ended on '
        "%(ends)s; comments made: %(comments)d. Read them on the offer's page and "
        "decide: approve the grant (%(requested)s was requested) or reject the offer, with "
        "a justification. If it is approved, the agreement is to be signed without delay "
        "(art. 19a)."
    ),
    values=_comment_period,
)

PUBLISHED_FOR_COMMENT = Message(
    key="grants.application.published_for_comment",
    subject=_("Offer %(object)s published for comments until %(ends)s"),
    body=_(
        'The offer %(object)s ("%(title)s") was deemed purposeful and published: anyone '
        "may comment on it until %(ends)s (art. 19a). You need do nothing now: after that "
        "the office decides on the grant, and you will get a message with the decision."
    ),
    values=_comment_period,
)

BUDGET_REVISED = Message(
    key="grants.application.budget_revised",
    subject=_("Application %(object)s: budget revised to %(amount)s"),
    body=_(
        'The applicant revised the budget of the application %(object)s ("%(title)s") to '
        "the %(amount)s granted (total cost now %(total)s); the application is approved. "
        "Prepare the agreement."
    ),
    values=_budget_revised,
)
