"""Micro-purchases as an OCDS 1.1 release package: one release per purchase of an
organisation's financial year that has left the office (quoting or later; a cancelled
one once it was put to suppliers).

Each release carries what the purchase has reached: the tender (the value estimated,
the procedure of the organisation's band: a direct order is ``direct``, a price survey
among invited suppliers ``limited``, an inquiry published for anyone ``open``; the
local name in ``procurementMethodDetails``), the award, the contract (with its annexes)
and, once the invoice is paid, ``implementation.transactions``. Values give
``amount`` (gross, as 1.1 has it) and OCDS 1.2's ``amountNet`` and ``amountGross``,
which 1.1's schema allows beside it. A supplier who is a natural person (an
individual or an informal group) appears without a name or identifier.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from purchases.models import Purchase, Supplier, ValueBand
from purchases.workflow import PurchaseState as S

from . import as_datetime, number, organisation_identifier, site_url

PUBLISHED_STATES = [
    S.QUOTING,
    S.EVALUATING,
    S.AWARDED,
    S.IN_EXECUTION,
    S.DELIVERED,
    S.ACCEPTED,
    S.INVOICED,
    S.PAID,
    S.CLOSED,
]
AWARDED_STATES = PUBLISHED_STATES[2:]
CONTRACT_STATES = PUBLISHED_STATES[3:]
FINISHED_STATES = [S.PAID, S.CLOSED]
METHODS = {
    ValueBand.Procedure.DIRECT: "direct",
    ValueBand.Procedure.PRICE_SURVEY: "limited",
    ValueBand.Procedure.PUBLIC_INQUIRY: "open",
}
NATURAL_PERSONS = {Supplier.Kind.INDIVIDUAL, Supplier.Kind.INFORMAL_GROUP}
NATURAL_PERSON_NAME = "osoba fizyczna"


def ocid_prefix() -> str:
    return settings.OPEN_DATA_OCID_PREFIX


def published_purchases_filter() -> Q:
    """The purchases open data shows: past the office's own steps."""
    return Q(state__in=PUBLISHED_STATES) | Q(state=S.CANCELLED, quote_deadline__isnull=False)


def published_purchases(organisation, year: int):
    return (
        Purchase.objects.filter(organisation=organisation, year=year)
        .filter(published_purchases_filter())
        .select_related("organisation", "band", "awarded_offer__supplier", "invoice__payment_order")
        .order_by("pk")
    )


def category(cpv_code: str) -> str:
    """The CPV division: 45 works, 50 and above services, below goods."""
    division = int(cpv_code[:2])
    return "works" if division == 45 else "services" if division >= 50 else "goods"


def value(gross, net=None) -> dict:
    data = {"amount": number(gross), "currency": "PLN", "amountGross": number(gross)}
    if net is not None:
        data["amountNet"] = number(net)
    return data


def _supplier_party(purchase) -> dict:
    supplier = purchase.awarded_offer.supplier
    party_id = f"{ocid(purchase)}-supplier"
    if supplier.kind in NATURAL_PERSONS:
        return {"id": party_id, "name": NATURAL_PERSON_NAME, "roles": ["supplier", "payee"]}
    party = {"id": party_id, "name": supplier.name, "roles": ["supplier", "payee"]}
    if supplier.nip:
        party["identifier"] = {"scheme": "PL-NIP", "id": supplier.nip, "legalName": supplier.name}
    return party


def ocid(purchase) -> str:
    return f"{ocid_prefix()}-{organisation_identifier(purchase.organisation)}-{purchase.pk}"


def _tender(purchase) -> dict:
    band = purchase.band
    tender = {
        "id": purchase.number or str(purchase.pk),
        "title": purchase.title,
        "description": purchase.expected_result,
        "status": (
            "cancelled"
            if purchase.state == S.CANCELLED
            else "complete"
            if purchase.state in AWARDED_STATES
            else "active"
        ),
        "mainProcurementCategory": category(purchase.cpv_code),
        "items": [_item(purchase)],
        "value": value(purchase.estimated_gross, purchase.estimated_net),
        "procurementMethodRationale": purchase.get_legal_basis_display(),
    }
    if band is not None:
        tender["procurementMethod"] = METHODS[band.procedure]
        tender["procurementMethodDetails"] = str(band.get_procedure_display())
    if purchase.quote_deadline:
        tender["tenderPeriod"] = {
            "startDate": as_datetime(purchase.published_at),
            "endDate": as_datetime(purchase.quote_deadline),
        }
    return tender


def _item(purchase) -> dict:
    return {
        "id": "1",
        "description": purchase.title,
        "classification": {"scheme": "CPV", "id": purchase.cpv_code},
        "quantity": 1,
    }


def _contract(purchase, award_id: str, supplier_id: str, buyer: dict) -> dict:
    contract = {
        "id": f"{ocid(purchase)}-contract-1",
        "awardID": award_id,
        "title": purchase.title,
        "status": "terminated" if purchase.state in FINISHED_STATES else "active",
        "value": value(purchase.contract_gross, purchase.contract_net),
        "period": {
            "startDate": as_datetime(purchase.planned_start),
            "endDate": as_datetime(purchase.planned_end),
        },
    }
    if purchase.signed_on:
        contract["dateSigned"] = as_datetime(purchase.signed_on)
    invoice = getattr(purchase, "invoice", None)
    if invoice is not None and purchase.paid_on is not None:
        contract["implementation"] = {
            "transactions": [
                {
                    "id": f"{ocid(purchase)}-payment-1",
                    "date": as_datetime(purchase.paid_on),
                    "value": value(invoice.gross, invoice.net),
                    "payer": {"id": buyer["id"], "name": buyer["name"]},
                    "payee": {"id": supplier_id},
                }
            ]
        }
    return contract


def release(purchase) -> dict:
    organisation = purchase.organisation
    buyer = {
        "id": organisation_identifier(organisation),
        "name": organisation.name,
        "identifier": {"scheme": "PL-NIP", "id": organisation.nip, "legalName": organisation.name},
        "address": {
            "streetAddress": organisation.street,
            "locality": organisation.city,
            "postalCode": organisation.postal_code,
            "country": "PL",
        },
        "roles": ["buyer", "procuringEntity", "payer"],
    }
    tags = ["tender"]
    data = {
        "ocid": ocid(purchase),
        "date": as_datetime(
            purchase.accepted_on
            or purchase.awarded_at
            or purchase.published_at
            or purchase.created_at
        ),
        "initiationType": "tender",
        "language": "pl",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "parties": [buyer],
        "tender": _tender(purchase),
    }
    if purchase.state in AWARDED_STATES and purchase.awarded_offer_id:
        supplier = _supplier_party(purchase)
        data["parties"].append(supplier)
        award_id = f"{ocid(purchase)}-award-1"
        data["awards"] = [
            {
                "id": award_id,
                "status": "active",
                "date": as_datetime(purchase.awarded_at),
                "value": value(purchase.awarded_gross, purchase.awarded_net),
                "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
                "items": [_item(purchase)],
            }
        ]
        tags.append("award")
        if purchase.state in CONTRACT_STATES:
            data["contracts"] = [_contract(purchase, award_id, supplier["id"], buyer)]
            tags.append("contract")
            if "implementation" in data["contracts"][0]:
                tags.append("implementation")
    data["tag"] = tags
    data["id"] = f"{data['ocid']}-{purchase.state}"
    return data


def release_package(organisation, year: int, *, uri_path: str = "") -> dict:
    """The OCDS release package of the organisation's purchases of ``year``."""
    return {
        "uri": site_url(uri_path) if uri_path else site_url("/otwarte-dane/"),
        "version": "1.1",
        "publishedDate": as_datetime(timezone.now()),
        "publisher": {"name": organisation.name, "scheme": "PL-NIP", "uid": organisation.nip},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "releases": [release(p) for p in published_purchases(organisation, year)],
    }
