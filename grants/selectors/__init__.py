"""Reads of the micro-grant process, with their joins made and scoped to the user
(``ranking``: a call's ranking, its pool and the award proposals)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, Role, User
from accounts.permissions import (
    organisation_ids_readable,
    organisation_ids_with,
    users_with_role,
)
from finance.models import PaymentOrder
from finance.workflow import PaymentState
from notifications.messages import Line
from workflows.calendar import add_working_days
from workflows.errors import GuardRefused

from ..models import (
    ZERO,
    Agreement,
    Application,
    Call,
    Consultation,
    InterestRate,
    Patronage,
    RegrantingFund,
    Report,
    Review,
)
from ..rules import money
from ..workflow import (
    AgreementState,
    ApplicationState,
    CallState,
    ReportState,
    ReviewState,
)
from .ranking import (
    ShareLeft,
    award_proposals,
    member_municipalities_of,
    pool_committed,
    pool_committed_by_municipality,
    pool_share_left,
    pool_shares,
    ranking,
)

OFFICE_ROLES = (Role.OFFICIAL, Role.ORG_ADMIN, Role.FINANCE)


@dataclass(frozen=True)
class PendingAction:
    label: str
    url: str
    due: object = None


def calls_visible_to(user: User) -> QuerySet[Call]:
    """Published calls for everyone; drafts only for the organisation's officials (and,
    read-only, its parent municipality's: ``organisation_ids_readable``)."""
    mine = organisation_ids_readable(user, *OFFICE_ROLES)
    return (
        Call.objects.filter(~Q(state=CallState.DRAFT) | Q(organisation_id__in=mine))
        .select_related("organisation", "classification", "area")
        .order_by("-opens_at", "pk")
    )


def applications_owned_by(user: User) -> QuerySet[Application]:
    """The user's own applications, drafts included: a part of what
    ``applications_visible_to`` gives, found without the user's memberships (#18)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(applicant=user)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """The applicant sees their own; officials, finance and admins those of their
    organisations once submitted (a draft is the applicant's own); an evaluator those
    they are assigned to and declared impartial on."""
    if not user.is_authenticated:
        return Application.objects.none()
    office = organisation_ids_readable(user, *OFFICE_ROLES)
    # The evaluator's reviews as EXISTS, not a join: a join needs DISTINCT over every
    # column, whose sort PostgreSQL plans for longer than it takes to run (#18).
    reviewing = Review.objects.filter(
        application=OuterRef("pk"),
        evaluator=user,
        state__in=[ReviewState.DECLARED, ReviewState.SUBMITTED],
    )
    return Application.objects.filter(
        Q(applicant=user)
        | (Q(call__organisation_id__in=office) & ~Q(state=ApplicationState.DRAFT))
        | Exists(reviewing)
    ).select_related("call", "call__organisation", "applicant", "municipality")


def application_queue(
    user: User, *, call_id=None, state=None, search=None
) -> QuerySet[Application]:
    """The officials' queue: applications of their organisations, filterable."""
    office = organisation_ids_readable(user, *OFFICE_ROLES)
    queue = (
        Application.objects.filter(call__organisation_id__in=office)
        .exclude(state=ApplicationState.DRAFT)
        .select_related("call", "call__organisation", "applicant")
        .order_by("call_id", "sequence", "pk")
    )
    if call_id:
        queue = queue.filter(call_id=call_id)
    if state:
        queue = queue.filter(state=state)
    if search:
        queue = queue.filter(Q(number__icontains=search) | Q(title__icontains=search))
    return queue


def reviews_visible_to(user: User) -> QuerySet[Review]:
    if not user.is_authenticated:
        return Review.objects.none()
    office = organisation_ids_with(user, Role.OFFICIAL)
    return (
        Review.objects.filter(Q(evaluator=user) | Q(application__call__organisation_id__in=office))
        .select_related("application", "application__call", "evaluator")
        .order_by("pk")
    )


def _of_agreements_visible_to(user: User, queryset: QuerySet, *, agreement: str = "") -> QuerySet:
    """The rows of ``queryset`` whose agreement (at the path ``agreement``, empty for
    agreements) ``user`` holds as applicant or handles as its organisation's office."""
    if not user.is_authenticated:
        return queryset.none()
    office = organisation_ids_readable(user, *OFFICE_ROLES)
    return queryset.filter(
        Q(**{f"{agreement}application__applicant": user})
        | Q(**{f"{agreement}organisation_id__in": office})
    ).order_by("pk")


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    return _of_agreements_visible_to(
        user,
        Agreement.objects.select_related(
            "application", "application__call", "application__applicant", "organisation"
        ),
    )


def reports_visible_to(user: User) -> QuerySet[Report]:
    return _of_agreements_visible_to(
        user,
        Report.objects.select_related(
            "agreement", "agreement__application", "agreement__application__applicant"
        ),
        agreement="agreement__",
    )


# A call's results are public once announced (the call's state says so, see
# grants/workflow.py: announce_results moves it to DECIDED, then it may be CLOSED).
RESULTS_ANNOUNCED = (CallState.DECIDED, CallState.CLOSED)


def calls_with_public_results() -> QuerySet[Call]:
    return Call.objects.filter(state__in=RESULTS_ANNOUNCED)


def funded_publicly(call: Call) -> QuerySet[Application]:
    """The public results, once announced (nothing before): title, the organisation's
    name and the amount. Residents and informal groups are shown by their kind only (no
    personal data of natural persons on public pages)."""
    if call.state not in RESULTS_ANNOUNCED:
        return Application.objects.none()
    return call.applications.filter(
        state__in=[ApplicationState.APPROVED, ApplicationState.BUDGET_REVISION]
    ).only("pk", "number", "title", "kind", "applicant_name", "approved_amount", "call_id")


def pending_actions(user: User) -> list[PendingAction]:
    if not user.is_authenticated:
        return []
    actions: list[PendingAction] = []
    for application in Application.objects.filter(
        applicant=user,
        state__in=[ApplicationState.CORRECTIONS_REQUESTED, ApplicationState.BUDGET_REVISION],
    ).select_related("call"):
        actions.append(
            PendingAction(
                Line(
                    gettext_lazy("Correct application %(number)s"),
                    {"number": application.number},
                ),
                reverse("grants:application", args=[application.pk]),
                application.correction_deadline,
            )
        )
    for review in Review.objects.filter(
        evaluator=user, state__in=[ReviewState.ASSIGNED, ReviewState.DECLARED]
    ).select_related("application"):
        actions.append(
            PendingAction(
                Line(
                    gettext_lazy("Evaluate application %(number)s"),
                    {"number": review.application.number},
                ),
                reverse("grants:review", args=[review.pk]),
            )
        )
    office = organisation_ids_with(user, Role.OFFICIAL)
    if office:
        waiting = Application.objects.filter(
            call__organisation_id__in=office, state=ApplicationState.SUBMITTED
        ).count()
        if waiting:
            actions.append(
                PendingAction(
                    Line(gettext_lazy("Formal check: %(n)d application(s)"), {"n": waiting}),
                    reverse("grants:queue") + "?state=submitted",
                )
            )
        reports = Report.objects.filter(
            agreement__organisation_id__in=office, state=ReportState.SUBMITTED
        ).count()
        if reports:
            actions.append(
                PendingAction(
                    Line(gettext_lazy("Reports to review: %(n)d"), {"n": reports}),
                    reverse("grants:agreements"),
                )
            )
    return actions


def call_has_submissions(call: Call) -> bool:
    return call.applications.exclude(state=ApplicationState.DRAFT).exists()


def evaluators_of(organisation_id: int) -> QuerySet[User]:
    """The organisation's active evaluators, by id."""
    return users_with_role(organisation_id, Role.EVALUATOR)


def review_average(application: Application) -> Decimal:
    totals = [r.total for r in application.reviews.filter(state=ReviewState.SUBMITTED)]
    return money(sum(totals, ZERO) / len(totals)) if totals else ZERO


def publication_is_late(application: Application) -> bool:
    """Art. 19a ust. 3: the offer is published within 7 working days of receipt."""
    if not (application.published_at and application.submitted_at):
        return False
    received = timezone.localdate(application.submitted_at)
    return timezone.localdate(application.published_at) > add_working_days(received, 7)


def amount_paid(agreement: Agreement) -> tuple[Decimal, datetime.date | None]:
    """What was transferred to the grantee, and the date of the first transfer."""
    orders = PaymentOrder.objects.filter(tranche__agreement=agreement, state=PaymentState.PAID)
    paid = orders.aggregate(total=Sum("amount"))["total"] or ZERO
    first = orders.order_by("paid_on").values_list("paid_on", flat=True).first()
    return paid, first


def interest_compute(amount: Decimal, start: datetime.date, end: datetime.date) -> Decimal:
    """Interest on ``amount`` for each day from ``start`` to ``end`` inclusive at the
    rate in force that day (annual rate / 365 days), rounded to the grosz."""
    if end < start:
        return ZERO
    rates = list(InterestRate.objects.filter(valid_from__lte=end).order_by("valid_from"))
    if not rates or rates[0].valid_from > start:
        raise GuardRefused(_("No interest rate is recorded for %(day)s.") % {"day": start})
    total = Decimal(0)
    for i, rate in enumerate(rates):
        period_start = max(start, rate.valid_from)
        period_end = (
            end
            if i + 1 == len(rates)
            else min(end, rates[i + 1].valid_from - datetime.timedelta(days=1))
        )
        if period_end < period_start:
            continue
        days = (period_end - period_start).days + 1
        total += amount * rate.annual_rate * days / Decimal(36500)
    return money(total)


def report_opens(agreement: Agreement, user: User) -> bool:
    """Whether the report page opens for ``user`` (see ``report``): the grantee may start
    it once the agreement is signed; others read it once it exists."""
    if agreement.state in (AgreementState.DRAFT, AgreementState.GENERATED, AgreementState.SENT):
        return False
    if agreement.application.applicant_id == user.pk:
        return True
    return Report.objects.filter(agreement=agreement).exists()


def patron_candidates(call) -> QuerySet:
    """The organisations a group may name as its patron: non-governmental ones in the
    product (neither the grantor nor a municipality)."""
    return (
        Organisation.objects.filter(kind__in=[Organisation.Kind.OTHER, Organisation.Kind.OPERATOR])
        .exclude(pk=call.organisation_id)
        .order_by("name", "pk")
    )


def patronages_for(user: User) -> QuerySet:
    """The patronage requests addressed to the user's organisations."""
    return (
        Patronage.objects.filter(
            patron_id__in=organisation_ids_with(user, Role.OFFICIAL, Role.ORG_ADMIN)
        )
        .select_related("patron", "application__call__organisation")
        .order_by("-created_at", "-pk")
    )


def regranting_overview(user: User) -> QuerySet:
    """The regranting funds a user oversees (as staff of the municipality that gave the
    grant) or runs (as the operator's staff), each with its call's figures: applications
    submitted, grants awarded, money paid to groups, agreements settled."""
    mine = organisation_ids_with(user, *OFFICE_ROLES)

    def total(queryset, field, function):
        subquery = queryset.order_by().values("call_ref").annotate(v=function(field))
        empty = Value(ZERO) if function is Sum else Value(0)
        return Coalesce(Subquery(subquery.values("v")[:1]), empty)

    applications = Application.objects.filter(call=OuterRef("call")).annotate(call_ref=F("call"))
    agreements = Agreement.objects.filter(application__call=OuterRef("call")).annotate(
        call_ref=F("application__call")
    )
    paid = PaymentOrder.objects.filter(
        tranche__agreement__application__call=OuterRef("call"), state=PaymentState.PAID
    ).annotate(call_ref=F("tranche__agreement__application__call"))
    return (
        RegrantingFund.objects.filter(
            Q(agreement__organisation_id__in=mine) | Q(call__organisation_id__in=mine)
        )
        .select_related("call__organisation", "agreement__application", "agreement__report")
        .annotate(
            submitted=total(applications.exclude(state=ApplicationState.DRAFT), "pk", Count),
            awarded=total(agreements, "amount", Sum),
            settled=total(
                agreements.filter(state__in=[AgreementState.SETTLED, AgreementState.CLOSED]),
                "pk",
                Count,
            ),
            paid=total(paid, "amount", Sum),
        )
        .order_by("call__organisation__name", "call__title", "pk")
    )


def consultations_for_advisers(user: User) -> QuerySet:
    """The incubator's consultations on drafts to calls of the user's organisations
    (as an official there), first-time groups first."""
    return (
        Consultation.objects.filter(
            application__call__organisation_id__in=organisation_ids_with(user, Role.OFFICIAL)
        )
        .select_related("application__call__organisation")
        .annotate(comment_count=Count("comments"))
        .order_by("-first_time", "-requested_at", "-pk")
    )


def agreement_annex_documents(agreement: Agreement) -> list:
    """The documents attached to an agreement, in their order: the offer it was made
    from (annex no. 1, its latest rendering), then every annex (aneks) by number."""
    from documents.selectors import document_latest, documents_of

    offer = document_latest(agreement.application, kind="application")
    return ([offer] if offer is not None else []) + list(documents_of(agreement, kind="annex"))


def agreement_history(agreement: Agreement) -> list[dict]:
    """The agreement's versions: the agreement as made (version 1, with its document),
    then each annex (number, date, what changes, the version it makes, its document)."""
    from documents.selectors import documents_of

    annex_documents = {d.number: d for d in documents_of(agreement, kind="annex")}
    history = [
        {
            "version": 1,
            "annex": None,
            "document": documents_of(agreement, kind="agreement").first(),
        }
    ]
    for annex in agreement.annexes.order_by("number"):
        history.append(
            {
                "version": annex.agreement_version,
                "annex": annex,
                "document": annex_documents.get(f"{agreement.number}/A/{annex.number}"),
            }
        )
    return history


__all__ = [
    "OFFICE_ROLES",
    "RESULTS_ANNOUNCED",
    "PendingAction",
    "ShareLeft",
    "agreement_annex_documents",
    "agreement_history",
    "agreements_visible_to",
    "amount_paid",
    "application_queue",
    "applications_owned_by",
    "applications_visible_to",
    "award_proposals",
    "call_has_submissions",
    "calls_visible_to",
    "calls_with_public_results",
    "consultations_for_advisers",
    "evaluators_of",
    "funded_publicly",
    "interest_compute",
    "member_municipalities_of",
    "patron_candidates",
    "patronages_for",
    "pending_actions",
    "pool_committed",
    "pool_committed_by_municipality",
    "pool_share_left",
    "pool_shares",
    "publication_is_late",
    "ranking",
    "regranting_overview",
    "report_opens",
    "reports_visible_to",
    "review_average",
    "reviews_visible_to",
]
