"""Grants as the 360Giving Data Standard: one grant per awarded application of an
organisation's calls of a budget year.

Identifiers follow the 360Giving convention ``360G-<publisher prefix>-<grant id>``: the
prefix is the organisation's identifier (``PL-NIP-<NIP>``) until 360Giving assigns one,
the grant id the application's number. A grant to a group of residents or a resident
names no one: ``recipientIndividual`` with an id made from the grant's and the name
"Individual Recipient", as 360Giving's guidance on grants to individuals asks; an NGO
is a ``recipientOrganization`` (its KRS or NIP and its name). The location is the
municipality. Title and description lose the names, e-mail addresses and numbers of
the people the application names (``metropolis.redaction``).
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django_fsm_log.models import StateLog

from finance.workflow import PaymentState
from grants.models import ApplicantKind, Application, Tranche
from grants.workflow import ApplicationState

from ..redaction import application_names, redact
from . import as_datetime, number, organisation_identifier, site_url

INDIVIDUAL_NAME = "Individual Recipient"


def awarded_applications(organisation, year: int):
    """The awarded applications of the organisation's calls of ``year``, with what the
    grant needs in three queries."""
    approvals = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=OuterRef("pk"),
        transition="approve",
    ).order_by("-timestamp")
    return (
        Application.objects.filter(
            call__organisation=organisation,
            call__year=year,
            state=ApplicationState.APPROVED,
            approved_amount__isnull=False,
        )
        .select_related("call__organisation__parent", "agreement", "applicant", "municipality")
        .prefetch_related(
            "members",
            Prefetch(
                "agreement__tranches",
                queryset=Tranche.objects.select_related("payment_order"),
            ),
        )
        .annotate(approved_at=Subquery(approvals.values("timestamp")[:1]))
        .order_by("pk")
    )


def grant_id(application) -> str:
    local = (application.number or str(application.pk)).replace("/", "-").replace(" ", "")
    return f"360G-{organisation_identifier(application.call.organisation)}-{local}"


def disbursed(application) -> Decimal:
    """What the grantor has paid of the grant: its tranches paid by the bank."""
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        return Decimal("0.00")
    return sum(
        (
            t.amount
            for t in agreement.tranches.all()
            if t.payment_order is not None and t.payment_order.state == PaymentState.PAID
        ),
        Decimal("0.00"),
    )


def municipality_of(organisation):
    """The municipality a grantor serves: itself, or an operator's parent."""
    return organisation.parent or organisation


def _recipient(application, identifier: str) -> dict:
    if application.kind == ApplicantKind.NGO:
        org_id = f"PL-KRS-{application.krs}" if application.krs else f"PL-NIP-{application.nip}"
        return {"recipientOrganization": [{"id": org_id, "name": application.applicant_name}]}
    return {"recipientIndividual": {"id": f"{identifier}-IND", "name": INDIVIDUAL_NAME}}


def grant(application) -> dict:
    call = application.call
    funder = call.organisation
    identifier = grant_id(application)
    awarded_on = application.approved_at or getattr(
        getattr(application, "agreement", None), "created_at", None
    )
    names = application_names(application)
    data = {
        "id": identifier,
        "title": redact(application.title, names),
        "description": redact(application.summary or application.title, names),
        "currency": "PLN",
        "amountAppliedFor": number(application.requested_amount),
        "amountAwarded": number(application.approved_amount),
        "amountDisbursed": number(disbursed(application)),
        "awardDate": as_datetime(awarded_on or call.closes_at),
        "fundingOrganization": [{"id": organisation_identifier(funder), "name": funder.name}],
        "beneficiaryLocation": [
            {
                # A metropolis-wide call's initiative: the member municipality it names.
                "name": (application.municipality or municipality_of(funder)).name,
                "countryCode": "PL",
            }
        ],
        "grantProgramme": [{"code": call.code, "title": call.title}],
        "fromOpenCall": "No" if call.is_19a else "Yes",
        "url": site_url(reverse("grants:results", args=[call.pk])),
    }
    if application.start_date:
        planned = {"startDate": application.start_date.isoformat()}
        if application.end_date:
            planned["endDate"] = application.end_date.isoformat()
        data["plannedDates"] = [planned]
    data.update(_recipient(application, identifier))
    return data


def grants_package(organisation, year: int) -> dict:
    """The 360Giving JSON of the organisation's year: ``{"grants": [...]}``."""
    return {"grants": [grant(a) for a in awarded_applications(organisation, year)]}
