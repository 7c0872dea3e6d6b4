"""What the grant process tells people: each message says what happened, what the
reader must do and by when, with the figures (amounts, deadlines, the text of a
correction request, the account to return money to).

The texts are msgids; the values are taken from the object when the transition
happens and kept with the message, which is rendered in the reader's language when
read (``notifications.messages``). ``grants.workflow`` names them in ``notify(...)``.
"""

from django.utils.translation import gettext_lazy as _

from notifications.messages import Later, Line, Message, Money


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
    from .workflow import ApplicationState

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


def _agreement(agreement) -> dict:
    return {
        "title": agreement.application.title,
        "amount": Money(agreement.amount),
        "spending_deadline": agreement.spending_deadline,
        "report_deadline": agreement.report_deadline,
    }


def _signed(agreement) -> dict:
    tranches = [
        Line(_("- %(amount)s, paid by %(due)s"), {"amount": Money(t.amount), "due": t.due_date})
        for t in agreement.tranches.order_by("due_date", "pk")
    ]
    return {**_agreement(agreement), "signed_on": agreement.signed_on, "tranches": tranches}


def _return_account(agreement) -> str:
    account = agreement.organisation.bank_accounts.filter(active=True).order_by("pk").first()
    return account.number if account is not None else ""


def _settlement(agreement) -> dict:
    returns = list(agreement.returns.order_by("deadline", "pk"))
    lines = [
        Line(
            _("- %(amount)s (%(kind)s) by %(deadline)s; interest runs from %(interest_from)s"),
            {
                "amount": Money(r.amount),
                "kind": r.Kind(r.kind).label,
                "deadline": r.deadline,
                "interest_from": r.interest_from,
            },
        )
        for r in returns
    ]
    total = sum((r.amount for r in returns), Money(0).value)
    if not returns:
        what = Line(_("Nothing is to be returned. You need do nothing more."), {})
    else:
        what = Line(
            _(
                "To return, %(total)s in all:\n%(lines)s\n\nTransfer each amount by its "
                "due date to the account %(account)s, with the agreement's number "
                "%(number)s in the title. After the due date interest as for tax arrears "
                "is added."
            ),
            {
                "total": Money(total),
                "lines": lines,
                "account": _return_account(agreement),
                "number": agreement.number,
            },
        )
    return {**_agreement(agreement), "to_return": Money(total), "what": what}


def _report_corrections(report) -> dict:
    agreement = report.agreement
    return {
        "agreement": agreement.number,
        "corrections": report.corrections,
        "deadline": agreement.report_deadline,
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

AGREEMENT_GENERATED = Message(
    key="grants.agreement.generated",
    subject=_("Agreement %(object)s prepared: %(amount)s"),
    body=_(
        'The agreement %(object)s for "%(title)s" was prepared: %(amount)s, to be used by '
        "%(spending_deadline)s. Read it on the agreement's page; we will send it to you "
        "for signature."
    ),
    values=_agreement,
)

AGREEMENT_SENT = Message(
    key="grants.agreement.sent",
    subject=_("Agreement %(object)s: please sign"),
    body=_(
        'The agreement %(object)s for "%(title)s" (%(amount)s) is ready for your '
        "signature. Download it from the agreement's page, sign it and return it to the "
        "office. The money is paid after the signature."
    ),
    values=_agreement,
)

AGREEMENT_SIGNED = Message(
    key="grants.agreement.signed",
    subject=_("Agreement %(object)s signed: %(amount)s"),
    body=_(
        'The agreement %(object)s for "%(title)s" was signed on %(signed_on)s. '
        "Payments:\n%(tranches)s\n\nUse the grant by %(spending_deadline)s and submit "
        "the final report by %(report_deadline)s."
    ),
    values=_signed,
)

AGREEMENT_SETTLED = Message(
    key="grants.agreement.settled",
    subject=_("Agreement %(object)s settled: %(to_return)s to return"),
    body=_('The agreement %(object)s for "%(title)s" was settled.\n\n%(what)s'),
    values=_settlement,
)

REPORT_CORRECTIONS = Message(
    key="grants.report.corrections_requested",
    subject=_("Report on agreement %(agreement)s: correct it by %(deadline)s"),
    body=_(
        "The final report on the agreement %(agreement)s needs corrections.\n\nWhat to "
        "correct:\n%(corrections)s\n\nCorrect the report and submit it again by "
        "%(deadline)s."
    ),
    values=_report_corrections,
)

REPORT_ACCEPTED = Message(
    key="grants.report.accepted",
    subject=_("Report on agreement %(agreement)s accepted"),
    body=_(
        "The final report on the agreement %(agreement)s was accepted. Next the "
        "agreement is settled: you will get a message saying whether anything is to be "
        "returned, how much and by when."
    ),
    values=lambda report: {"agreement": report.agreement.number},
)
