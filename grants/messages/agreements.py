"""What the agreement, its final report and a group's invoices tell people
(``grants.messages``): the amounts paid and to return, the deadlines, the reason typed
when terminating or rejecting, and what each reader must do."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from documents.retention import retain_until
from notifications.messages import Line, Message, Money

ZERO = Decimal("0.00")


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
    total = sum((r.amount for r in returns), ZERO)
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


def _orders(agreement) -> dict:
    """The agreement's payment orders (its tranches, or a group's approved invoices):
    what was paid out and what is ordered but not paid yet."""
    from finance.models import PaymentOrder
    from finance.workflow import PaymentState

    unpaid = [PaymentState.ORDERED, PaymentState.BATCHED]
    return PaymentOrder.objects.filter(
        Q(tranche__agreement=agreement) | Q(group_invoice__agreement=agreement)
    ).aggregate(
        paid=Sum("amount", filter=Q(state=PaymentState.PAID)),
        pending=Sum("amount", filter=Q(state__in=unpaid)),
        pending_count=Count("pk", filter=Q(state__in=unpaid)),
    )


def _completed(agreement) -> dict:
    return {**_agreement(agreement), "paid": Money(_orders(agreement)["paid"] or ZERO)}


def _closed(agreement) -> dict:
    figures = agreement.returns.aggregate(returned=Sum("amount"), interest=Sum("interest"))
    if figures["returned"] and figures["interest"]:
        returns = Line(
            _("The %(returned)s to be returned came back, with %(interest)s interest."),
            {"returned": Money(figures["returned"]), "interest": Money(figures["interest"])},
        )
    elif figures["returned"]:
        returns = Line(
            _("The %(returned)s to be returned came back in time."),
            {"returned": Money(figures["returned"])},
        )
    else:
        returns = Line(_("Nothing was to be returned."), {})
    return {
        **_agreement(agreement),
        "returns": returns,
        "keep_until": retain_until(kind="agreement", stored_on=agreement.spending_deadline),
    }


def _terminated(agreement) -> dict:
    """No settlement follows a termination: the grantee is told what was paid out and
    that the office sets in writing what is returned; finance, which orders are left."""
    figures = _orders(agreement)
    paid, pending = figures["paid"] or ZERO, figures["pending"] or ZERO
    if paid:
        grantee = Line(
            _(
                "Grantee: %(paid)s of the grant has been paid out. Spend nothing more from "
                "it. The office will tell you in writing how much of it is to be returned, by "
                "when and to which account; keep the documents of what you spent until then."
            ),
            {"paid": Money(paid)},
        )
    else:
        grantee = Line(
            _(
                "Grantee: nothing of the grant has been paid out, so nothing is to be "
                "returned; spend nothing from it."
            ),
            {},
        )
    if pending:
        finance = Line(
            _(
                "Finance: the payment orders not yet paid (%(count)d, %(pending)s in all) are "
                "no longer due: cancel them and do not pay them."
            ),
            {"count": figures["pending_count"], "pending": Money(pending)},
        )
    else:
        finance = Line(_("Finance: no payment under the agreement is left to pay."), {})
    return {**_agreement(agreement), "grantee": grantee, "finance": finance}


def _report_submitted(report) -> dict:
    agreement = report.agreement
    expenses = report.expenses.aggregate(count=Count("pk"), spent=Sum("from_grant"))
    return {
        "agreement": agreement.number,
        "title": agreement.application.title,
        "submitted_at": report.submitted_at,
        "deadline": agreement.report_deadline,
        "expenses": expenses["count"],
        "spent": Money(expenses["spent"] or ZERO),
        "paid": Money(_orders(agreement)["paid"] or ZERO),
    }


def _group_invoice(invoice) -> dict:
    agreement = invoice.agreement
    return {
        "number": invoice.number,
        "seller": invoice.seller_name,
        "description": invoice.description,
        "amount": Money(invoice.amount),
        "due": invoice.due_date,
        "account": invoice.seller_account,
        "agreement": agreement.number,
    }


def _group_invoice_rejected(invoice) -> dict:
    return {
        **_group_invoice(invoice),
        "spending_deadline": invoice.agreement.spending_deadline,
        "reason": invoice.rejection_reason,
    }


def _report_corrections(report) -> dict:
    agreement = report.agreement
    return {
        "agreement": agreement.number,
        "corrections": report.corrections,
        "deadline": agreement.report_deadline,
    }


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

AGREEMENT_COMPLETED = Message(
    key="grants.agreement.completed",
    subject=_("Agreement %(object)s completed"),
    body=_(
        'The agreement %(object)s for "%(title)s" is completed: its final report was '
        "accepted. Next it is settled: you will get a message saying whether any of the "
        "%(paid)s paid out is to be returned, how much and by when. You need do nothing "
        "now."
    ),
    values=_completed,
)

AGREEMENT_CLOSED = Message(
    key="grants.agreement.closed",
    subject=_("Agreement %(object)s closed"),
    body=_(
        'The agreement %(object)s for "%(title)s" is closed: the grant is settled. '
        "%(returns)s\n\nYou need do nothing more. Keep the documents of the task "
        "(invoices, lists, photos) until %(keep_until)s."
    ),
    values=_closed,
)

TERMINATED = Message(
    key="grants.agreement.terminated",
    subject=_("Agreement %(object)s terminated"),
    body=_(
        'The agreement %(object)s for "%(title)s" (%(amount)s) was terminated.\n\n'
        "Justification:\n%(justification)s\n\n%(grantee)s\n\n%(finance)s"
    ),
    values=_terminated,
    payload=("justification",),
)

REPORT_SUBMITTED = Message(
    key="grants.report.submitted",
    subject=_("Report on agreement %(agreement)s submitted: %(spent)s spent"),
    body=_(
        'The final report on the agreement %(agreement)s ("%(title)s") was submitted on '
        "%(submitted_at)s; it was due by %(deadline)s. Expenses listed: %(expenses)d, "
        "%(spent)s from the grant, of %(paid)s paid out. Review it: start the review, then "
        "accept it or ask for corrections."
    ),
    values=_report_submitted,
)

GROUP_INVOICE_APPROVED = Message(
    key="grants.groupinvoice.approved",
    subject=_("Invoice %(number)s approved: %(amount)s to %(seller)s"),
    body=_(
        "The invoice %(number)s of %(seller)s (%(description)s), %(amount)s, charged to "
        "the grant of the agreement %(agreement)s, was approved, and its payment to the "
        "seller (account %(account)s) was ordered, due by %(due)s.\n\nGroup: you need do "
        "nothing; the operator pays the seller.\nFinance: include the payment order in a "
        "payment batch so that it is paid by %(due)s."
    ),
    values=_group_invoice,
)

GROUP_INVOICE_REJECTED = Message(
    key="grants.groupinvoice.rejected",
    subject=_("Invoice %(number)s rejected"),
    body=_(
        "The invoice %(number)s of %(seller)s (%(description)s), %(amount)s, was "
        "rejected: it will not be paid from the grant of the agreement %(agreement)s."
        "\n\nReason:\n%(reason)s\n\nIf the reason can be remedied, submit a corrected "
        "invoice on the agreement's page; the grant is to be used by %(spending_deadline)s."
    ),
    values=_group_invoice_rejected,
)
