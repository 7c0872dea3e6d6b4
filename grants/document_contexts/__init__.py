"""Context builders for the grant documents: plain values read from the database when
the rendering task runs (see ``documents.tasks``)."""

from django.utils.translation import gettext as _

from documents.snapshots import OwnerAttribute

from ..models import Agreement, ApplicantKind, Application, ChangeRequest, OfferForm
from ..services.groups import grant_beneficiary, patron_party
from ..services.settlement import unused_return_deadline
from .offer import offer_statutory_context


def representative_label(full_name: str, function: str) -> str:
    """ "Maria Nowak, en dash, Prezydent Miasta"; when one of the two repeats the other (an
    organisation that typed its function as the name), the longer one alone, so an
    agreement never repeats "Prezydent Miasta" on both sides of the dash."""
    full_name, function = full_name.strip(), function.strip()
    if not full_name or not function:
        return full_name or function
    if full_name.casefold() in function.casefold():
        return function
    if function.casefold() in full_name.casefold():
        return full_name
    return f"{full_name} – {function}"


def _applicant(application: Application) -> dict:
    return {
        "kind": application.kind,
        "kind_label": str(application.get_kind_display()),
        "name": application.applicant_name,
        "address": application.address,
        "krs": application.krs,
        "nip": application.nip,
        "regon": application.regon,
        "representatives": application.representatives,
        "account_number": application.account_number,
        "members": [
            {"full_name": m.full_name, "is_leader": m.is_leader} for m in application.members.all()
        ]
        if application.kind == ApplicantKind.INFORMAL_GROUP
        else [],
    }


def budget_rows(application: Application, lines=None) -> list[dict]:
    """The budget lines as plain values (``lines``: already read, else read here)."""
    if lines is None:
        lines = application.budget_lines.select_related("category")
    return [
        {
            "category": line.category.name,
            "description": line.description,
            "unit": line.unit,
            "quantity": line.quantity,
            "unit_cost": line.unit_cost,
            "total": line.total,
            "from_grant": line.from_grant,
            "own_money": line.own_money,
            "own_in_kind": line.own_in_kind,
            "cost_type": line.cost_type,
            "cost_type_label": str(line.get_cost_type_display()),
        }
        for line in lines
    ]


def application_context(application: Application) -> dict:
    """The offer on the statutory form the call uses (general, poz. 2057, or simplified,
    poz. 2055): every section of the form, with the figures typed."""
    call = application.call
    simplified = call.statutory_form == OfferForm.SIMPLIFIED
    lines = _budget_lines(application)
    return {
        "document_title": _("Simplified offer") if simplified else _("Offer"),
        "statutory_form": call.statutory_form,
        **offer_statutory_context(application, lines),
        # At the submit the number is taken after this context is built, and the
        # rendering reads it from the application.
        "document_number": application.number or OwnerAttribute("number"),
        "document_subject": call.title,
        "call_title": call.title,
        "applicant": _applicant(application),
        "title": application.title,
        "place": application.place,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "summary": application.summary,
        "goals": application.goals,
        "beneficiaries": application.beneficiaries,
        "expected_results": application.expected_results,
        "activities": [
            {"name": a.name, "start_date": a.start_date, "end_date": a.end_date}
            for a in application.activities.all()
        ],
        "indicators": [
            {"name": i.name, "target": i.target, "unit": i.unit}
            for i in application.indicators.all()
        ],
        "budget": budget_rows(application, lines),
        "total_cost": application.total_cost,
        "requested_amount": application.requested_amount,
        "own_money": application.own_money,
        "own_in_kind": application.own_in_kind,
        "volunteer_hours": application.volunteer_hours,
        "volunteer_rate": application.volunteer_rate,
        "volunteer_value": application.volunteer_value,
        "submitted_at": application.submitted_at.date() if application.submitted_at else None,
    }


def agreement_context(agreement: Agreement) -> dict:
    application = agreement.application
    call = application.call
    organisation = agreement.organisation
    return {
        "document_title": _("Grant agreement"),
        "document_number": agreement.number,
        "document_subject": application.title,
        "version": agreement.version,
        "grantor": {
            "name": organisation.name,
            "address": organisation.address,
            "nip": organisation.nip,
            "representatives": [
                {
                    "full_name": r.full_name,
                    "function": r.function,
                    "label": representative_label(r.full_name, r.function),
                }
                for r in organisation.representatives.all()
            ],
        },
        "grantee": patron_party(application) or _applicant(application),
        "procedure": call.procedure,
        "call_title": call.title,
        "application_number": application.number,
        "title": application.title,
        "goals": application.goals,
        "place": application.place,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "amount": agreement.amount,
        "spending_deadline": agreement.spending_deadline,
        "unused_return_deadline": unused_return_deadline(agreement.spending_deadline),
        "report_deadline": agreement.report_deadline,
        "tranches": [
            {"amount": t.amount, "due_date": t.due_date} for t in agreement.tranches.all()
        ],
        "account_number": grant_beneficiary(application)[2],
        "classification": call.classification.code if call.classification else "",
        "budget": budget_rows(application),
        "own_contribution": application.own_contribution,
        "offer_annex": {
            "number": application.number,
            "submitted_at": application.submitted_at.date() if application.submitted_at else None,
            "form": call.statutory_form,
        },
    }


def annex_context(agreement: Agreement) -> dict:
    """The latest annex of ``agreement``: its own title and number, what changed, and
    the budget as the annex sets it."""
    change = (
        ChangeRequest.objects.filter(agreement=agreement, annex_number__isnull=False)
        .order_by("-annex_number")
        .first()
    )
    base = agreement_context(agreement)
    n = change.annex_number
    annex = getattr(change, "annex", None)
    return {
        "made_on": annex.made_on if annex is not None else None,
        "document_title": _("Annex no. %(n)d to agreement no. %(number)s")
        % {"n": n, "number": agreement.number},
        "document_number": f"{agreement.number}/A/{n}",
        "document_subject": agreement.application.title,
        "annex_number": n,
        "agreement_number": agreement.number,
        "approved_on": change.approved_at,
        "description": change.description,
        "grantor": base["grantor"],
        "grantee": base["grantee"],
        "title": base["title"],
        "amount": base["amount"],
        "budget": base["budget"],
        "own_contribution": base["own_contribution"],
    }


def _budget_lines(application) -> list:
    """The lines with their categories: those the submit already read onto the instance
    (``application_prepare_submission``), or read now."""
    if "budget_lines" in getattr(application, "_prefetched_objects_cache", {}):
        return list(application.budget_lines.all())
    return list(application.budget_lines.select_related("category"))
