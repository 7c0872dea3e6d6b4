"""Context builders of the purchase's documents: ``(purchase) -> dict`` of plain values
for ``documents/purchases/<kind>.html``, read when the document is rendered.

- ``estimate_note``: value estimate note with the threshold guard's computation;
- ``request_for_quotation``: zapytanie ofertowe / prośba o wycenę;
- ``selection_note``: notatka z rozeznania rynku (direct order, price survey) or
  protokół z postępowania (public inquiry), every offer with its score;
- ``order``: zlecenie or umowa, amounts in figures and in words;
- ``acceptance_protocol``: protokół odbioru, delivered against ordered.
"""

from django.utils import timezone

from .models import Purchase, ValueBand

PROCEDURE_TITLES = {
    ValueBand.Procedure.DIRECT: "zamówienie bezpośrednie",
    ValueBand.Procedure.PRICE_SURVEY: "rozeznanie cenowe",
    ValueBand.Procedure.PUBLIC_INQUIRY: "zapytanie ofertowe",
}


def _base(purchase: Purchase) -> dict:
    band = purchase.band
    return {
        "purchase_number": purchase.number,
        "purchase_title": purchase.title,
        "expected_result": purchase.expected_result,
        "requesting_unit": purchase.requesting_unit,
        "cpv_code": purchase.cpv_code,
        "group": purchase.group.name,
        "year": purchase.year,
        "legal_basis": str(purchase.get_legal_basis_display()),
        "procedure": PROCEDURE_TITLES.get(band.procedure, "") if band else "",
        "regulation": band.regulation if band else "",
        "planned_start": purchase.planned_start,
        "planned_end": purchase.planned_end,
        "classification": purchase.classification.code if purchase.classification else "",
        "criteria": [
            {
                "name": c.name,
                "weight": c.weight,
                "is_price": c.is_price,
                "description": c.description,
            }
            for c in purchase.criteria.all()
        ],
    }


def _load(purchase: Purchase) -> Purchase:
    return Purchase.objects.select_related(
        "group", "band", "classification", "organisation", "awarded_offer__supplier"
    ).get(pk=purchase.pk)


def estimate_note_context(purchase: Purchase) -> dict:
    purchase = _load(purchase)
    aggregation = purchase.aggregation or {}
    return {
        **_base(purchase),
        "document_title": "Notatka z szacowania wartości zamówienia",
        "document_number": f"{purchase.number}/SZ",
        "document_subject": purchase.title,
        "estimated_net": purchase.estimated_net,
        "estimated_gross": purchase.estimated_gross,
        "vat_rate": str(purchase.get_vat_rate_display()),
        "estimation_method": purchase.estimation_method,
        "estimated_on": purchase.estimated_on,
        "estimated_by": purchase.estimated_by,
        "counted": aggregation.get("counted", []),
        "aggregated_net": purchase.aggregated_net,
        "threshold": aggregation.get("threshold"),
        "override": purchase.threshold_override,
    }


def request_for_quotation_context(purchase: Purchase) -> dict:
    purchase = _load(purchase)
    return {
        **_base(purchase),
        "document_title": "Zapytanie ofertowe"
        if purchase.band and purchase.band.procedure == ValueBand.Procedure.PUBLIC_INQUIRY
        else "Prośba o przedstawienie oferty cenowej",
        "document_number": f"{purchase.number}/ZO",
        "document_subject": purchase.title,
        "deadline": timezone.localtime(purchase.quote_deadline).strftime("%H:%M"),
        "deadline_date": timezone.localdate(purchase.quote_deadline),
        "suppliers": [i.supplier.name for i in purchase.invitations.select_related("supplier")],
    }


def _offers(purchase: Purchase) -> list[dict]:
    rows = []
    for offer in purchase.offers.select_related("supplier").order_by("-score", "pk"):
        rows.append(
            {
                "supplier": offer.supplier.name,
                "nip": offer.supplier.nip,
                "submitted_on": timezone.localdate(offer.submitted_at),
                "channel": str(offer.get_channel_display()),
                "price_net": offer.price_net,
                "price_gross": offer.price_gross,
                "score": offer.score,
                "rejected": offer.rejected,
                "rejection_reason": offer.rejection_reason,
                "chosen": offer.pk == purchase.awarded_offer_id,
            }
        )
    return rows


def selection_note_context(purchase: Purchase) -> dict:
    purchase = _load(purchase)
    public = purchase.band and purchase.band.procedure == ValueBand.Procedure.PUBLIC_INQUIRY
    supplier = purchase.awarded_offer.supplier if purchase.awarded_offer_id else None
    return {
        **_base(purchase),
        "document_title": "Protokół z postępowania" if public else "Notatka z rozeznania rynku",
        "document_number": f"{purchase.number}/NR",
        "document_subject": purchase.title,
        "estimated_net": purchase.estimated_net,
        "deadline_date": timezone.localdate(purchase.quote_deadline)
        if purchase.quote_deadline
        else None,
        "offers": _offers(purchase),
        "chosen": supplier.name if supplier else "",
        "awarded_net": purchase.awarded_net,
        "awarded_gross": purchase.awarded_gross,
        "awarded_on": timezone.localdate(purchase.awarded_at) if purchase.awarded_at else None,
    }


def order_context(purchase: Purchase) -> dict:
    purchase = _load(purchase)
    supplier = purchase.awarded_offer.supplier
    contract = purchase.contract_form == Purchase.ContractForm.CONTRACT
    return {
        **_base(purchase),
        "document_title": "Umowa" if contract else "Zlecenie",
        "document_number": f"{purchase.number}/{'U' if contract else 'Z'}",
        "document_subject": purchase.title,
        "contract": contract,
        "supplier": supplier.name,
        "supplier_address": supplier.address,
        "supplier_nip": supplier.nip,
        "supplier_account": supplier.bank_account,
        "awarded_net": purchase.awarded_net,
        "awarded_gross": purchase.awarded_gross,
        "vat": purchase.awarded_gross - purchase.awarded_net,
        "awarded_on": timezone.localdate(purchase.awarded_at),
    }


def acceptance_protocol_context(purchase: Purchase) -> dict:
    purchase = _load(purchase)
    supplier = purchase.awarded_offer.supplier
    return {
        **_base(purchase),
        "document_title": "Protokół odbioru",
        "document_number": f"{purchase.number}/PO",
        "document_subject": purchase.title,
        "supplier": supplier.name,
        "ordered_net": purchase.contract_net,
        "ordered_gross": purchase.contract_gross,
        "accepted_net": purchase.accepted_net,
        "accepted_on": purchase.accepted_on,
        "delivered_on": purchase.delivered_on,
        "delivered": purchase.accepted_scope,
        "partial": purchase.acceptance_partial,
        "defects": purchase.acceptance_defects,
    }
