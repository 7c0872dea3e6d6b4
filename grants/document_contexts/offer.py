"""The statutory offer's parts that the application's own context does not hold:
the register, the contact person, capacity, how results are measured, the cost table
by type of cost and the sources of funding (regulation of 24 October 2018, Dz.U. 2018
poz. 2055 and 2057)."""

from decimal import Decimal

from ..models import ZERO, Application, CostType


def share(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, two places (0 when there is no whole)."""
    if not whole:
        return Decimal("0.00")
    return (part * 100 / whole).quantize(Decimal("0.01"))


def offer_sources(application: Application) -> dict:
    """Section V.B of the offer: every source of funding, adding up to the total. The
    fees from the beneficiaries and other public funds are parts of the own money."""
    volunteer = application.volunteer_value
    total = application.total_cost + volunteer
    own_funds = (
        application.own_money - application.fees_from_beneficiaries - application.other_public_funds
    )
    financial = application.own_money
    non_financial = application.own_in_kind + volunteer
    return {
        "total": total,
        "grant": application.requested_amount,
        "own_total": financial + non_financial,
        "financial": financial,
        "own_funds": own_funds,
        "fees": application.fees_from_beneficiaries,
        "other_public": application.other_public_funds,
        "other_public_source": application.other_public_funds_source,
        "non_financial": non_financial,
        "personal": volunteer,
        "in_kind": application.own_in_kind,
        "grant_share": share(application.requested_amount, total),
        "own_share": share(financial + non_financial, total),
    }


def _cost_groups(lines: list) -> list[dict]:
    """Section V.A: the lines grouped by type of cost, each group with its sum."""
    groups = []
    for cost_type in CostType:
        rows = [line for line in lines if line.cost_type == cost_type]
        groups.append(
            {
                "label": str(cost_type.label),
                "lines": [
                    {
                        "description": line.description,
                        "category": line.category.name,
                        "unit": line.unit,
                        "unit_cost": line.unit_cost,
                        "quantity": line.quantity,
                        "total": line.total,
                        "from_grant": line.from_grant,
                    }
                    for line in rows
                ],
                "total": sum((line.total for line in rows), ZERO),
            }
        )
    return groups


def offer_statutory_context(application: Application, lines: list | None = None) -> dict:
    """``lines``: the application's budget lines with their categories, when already read."""
    if lines is None:
        lines = list(application.budget_lines.select_related("category"))
    return {
        "register": {
            "krs": application.krs,
            "name": application.register_name,
            "number": application.register_number,
        },
        "contact": {
            "person": application.contact_person,
            "phone": application.phone,
            "email": application.contact_email,
        },
        "capacity": application.capacity,
        "results_measurement": application.results_measurement,
        "other_information": application.other_information,
        "declarations_confirmed": application.declarations_confirmed,
        "cost_groups": _cost_groups(lines),
        "sources": offer_sources(application),
    }
