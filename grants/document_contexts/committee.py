"""Context builders of a call's committee and decision documents: the call notice
(ogłoszenie) from the call's rules, the committee protocol (protokół: composition,
impartiality declarations, scores per application and criterion with the averages,
third-evaluator cases, the ranking and the proposed amounts), the decision list for
the mayor's order (zarządzenie) and the letter to each applicant. Personal data: the
evaluators and officials by name (they act in office), applicants by the name they
gave; no PESEL, no addresses of natural persons."""

from decimal import Decimal

from django.utils.translation import gettext as _

from documents.formatting import share_percent

from ..models import ZERO, Application, Call, Review
from ..selectors import award_proposals, ranking
from ..workflow import ApplicationState, ReviewState

DECIDED = {
    ApplicationState.APPROVED: "granted",
    ApplicationState.BUDGET_REVISION: "granted",
    ApplicationState.RESERVE: "reserve",
    ApplicationState.REJECTED: "refused",
    ApplicationState.FORMALLY_REJECTED: "refused",
}


def _person(user) -> str:
    return user.get_full_name() or user.email


def call_notice_context(call: Call) -> dict:
    return {
        "document_title": _("Call notice"),
        "document_number": f"{call.code}/{call.year}",
        "document_subject": call.title,
        "title": call.title,
        "description": call.description,
        "procedure": call.procedure,
        "procedure_label": str(call.get_procedure_display()),
        "statutory_form": call.statutory_form,
        "organisation_name": call.organisation.name,
        "year": call.year,
        "pool": call.pool,
        "min_grant": call.min_grant,
        "max_grant": call.max_grant,
        "min_own_share_percent": share_percent(call.min_own_share),
        "kinds": [str(kind.label) for kind in _allowed_kinds(call)],
        "min_group_size": call.min_group_size,
        "max_duration_days": call.max_duration_days,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "criteria": [{"name": c.name, "max_points": c.max_points} for c in call.criteria.all()],
        "cost_categories": [
            {"name": c.name, "cap_percent": share_percent(c.cap_share)}
            for c in call.cost_categories.all()
        ],
        "checklist": [item.text for item in call.checklist.all()],
        "evaluators_per_application": call.evaluators_per_application,
        "score_gap": call.score_gap,
        "min_average_score": call.min_average_score,
        "report_deadline_days": call.report_deadline_days,
        "correction_days": call.correction_days,
        "comment_period_days": call.comment_period_days,
    }


def _allowed_kinds(call: Call):
    from ..models import ApplicantKind

    return [ApplicantKind(kind) for kind in call.allowed_kinds()]


def _scores(application: Application, criteria, reviews: list[Review]) -> dict:
    submitted = [r for r in reviews if r.state == ReviewState.SUBMITTED]
    rows = []
    for criterion in criteria:
        points = [
            next((s.points for s in r.scores.all() if s.criterion_id == criterion.pk), None)
            for r in submitted
        ]
        given = [p for p in points if p is not None]
        rows.append(
            {
                "criterion": criterion.name,
                "max_points": criterion.max_points,
                "points": points,
                "average": (sum(given, ZERO) / len(given)).quantize(Decimal("0.01"))
                if given
                else None,
            }
        )
    return {
        "number": application.number,
        "title": application.title,
        "applicant": application.applicant_name,
        "evaluators": [_person(r.evaluator) for r in submitted],
        "rows": rows,
        "totals": [r.total for r in submitted],
        "average": application.average_score,
        "third_evaluator": application.needs_third_evaluator or len(submitted) > 2,
    }


def protocol_context(call: Call) -> dict:
    criteria = list(call.criteria.all())
    reviews = list(
        Review.objects.filter(application__call=call)
        .select_related("evaluator", "application")
        .prefetch_related("scores")
        .order_by("application__sequence", "pk")
    )
    by_application: dict[int, list[Review]] = {}
    for review in reviews:
        by_application.setdefault(review.application_id, []).append(review)
    applications = [
        a for a in call.applications.order_by("sequence", "pk") if a.pk in by_application
    ]
    proposals = {a.pk: amount for a, amount in award_proposals(call)}
    ranked = ranking(call)
    return {
        "document_title": _("Committee protocol"),
        "document_number": f"{call.code}/{call.year}/P",
        "document_subject": call.title,
        "call_title": call.title,
        "organisation_name": call.organisation.name,
        "pool": call.pool,
        "score_gap": call.score_gap,
        "min_average_score": call.min_average_score,
        "members": sorted({_person(r.evaluator) for r in reviews}),
        "declarations": [
            {
                "evaluator": _person(r.evaluator),
                "application": r.application.number,
                "declared_at": r.declared_at,
                "declined": r.state == ReviewState.DECLINED,
                "reason": r.conflict_reason,
            }
            for r in reviews
        ],
        "criteria": [{"name": c.name, "max_points": c.max_points} for c in criteria],
        "applications": [_scores(a, criteria, by_application[a.pk]) for a in applications],
        "ranking": [
            {
                "place": place,
                "number": a.number,
                "title": a.title,
                "applicant": a.applicant_name,
                "average": a.average_score,
                "requested": a.requested_amount,
                "proposed": proposals.get(a.pk, a.approved_amount),
                "state_label": a.state_label,
            }
            for place, a in enumerate(ranked, start=1)
        ],
        "proposed_total": sum(proposals.values(), ZERO),
    }


def decision_list_context(call: Call) -> dict:
    rows = {"granted": [], "reserve": [], "refused": []}
    for application in call.applications.order_by("sequence", "pk"):
        group = DECIDED.get(application.state)
        if group is None:
            continue
        rows[group].append(
            {
                "number": application.number,
                "title": application.title,
                "applicant": application.applicant_name,
                "amount": application.approved_amount,
                "average": application.average_score,
            }
        )
    return {
        "document_title": _("Decision list"),
        "document_number": f"{call.code}/{call.year}/D",
        "document_subject": call.title,
        "call_title": call.title,
        "organisation_name": call.organisation.name,
        "granted": rows["granted"],
        "reserve": rows["reserve"],
        "refused": rows["refused"],
        "granted_total": sum((r["amount"] or ZERO for r in rows["granted"]), ZERO),
    }


def decision_letter_context(application: Application) -> dict:
    call = application.call
    return {
        "document_title": _("Decision on the application"),
        "document_number": f"{application.number}/R",
        "document_subject": application.title,
        "outcome": DECIDED.get(application.state, ""),
        "call_title": call.title,
        "organisation_name": call.organisation.name,
        "applicant": application.applicant_name,
        "number": application.number,
        "title": application.title,
        "amount": application.approved_amount,
        "requested": application.requested_amount,
        "average": application.average_score,
        "justification": application.decision_justification,
        "budget_revision": application.state == ApplicationState.BUDGET_REVISION,
    }
