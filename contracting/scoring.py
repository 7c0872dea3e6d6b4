"""The efficiency analysis's arithmetic: pure functions of Decimals, no database.

For each option *i* of a task (all amounts in złoty, per year unless said):

- total cost            T_i = yearly cost x years
- cost per unit         U_i = yearly cost / units a year            (to the grosz)
- cost per beneficiary  B_i = yearly cost / beneficiaries a year    (to the grosz)
- social value in money S_i = volunteer hours x hourly rate + own contribution (to the grosz)

Scores from 0 to 100, each rounded to 0.01 (half up), so that the decision note shows
what the sum is made of and a hand computation gives the same figures:

- cost score    C_i = 100 x min(U) / U_i               (the cheapest unit scores 100)
- social score  P_i = mean of four parts, each 100 x x_i / max(x) (0 when max(x) = 0):
  volunteer hours, own contribution, local partners, and the share of beneficiaries
  who take part in shaping the service (participation, 0 to 100 per cent, used as is)
- risk score    R_i = 100 x (5 - risk level) / 4        (risk level 1 = low ... 5 = high)
- weighted score W_i = (w_c x C_i + w_s x P_i + w_r x R_i) / (w_c + w_s + w_r), to 0.01

The weights are the municipality's (the analysis keeps them). The highest W is the
recommended option; the official may choose another, with a justification.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
RISK_LEVELS = (1, 5)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OptionInput:
    yearly_cost: Decimal
    years: int
    units_per_year: Decimal
    beneficiaries_per_year: int
    volunteer_hours: Decimal
    own_contribution: Decimal
    local_partners: int
    participation: Decimal  # per cent of beneficiaries taking part
    risk_level: int


@dataclass(frozen=True)
class OptionFigures:
    total_cost: Decimal
    cost_per_unit: Decimal
    cost_per_beneficiary: Decimal
    social_value: Decimal
    cost_score: Decimal
    social_score: Decimal
    risk_score: Decimal
    weighted_score: Decimal


def _share(value: Decimal, best: Decimal) -> Decimal:
    return ZERO if best == ZERO else HUNDRED * Decimal(value) / Decimal(best)


def figures_compute(
    options: list[OptionInput],
    *,
    volunteer_rate: Decimal,
    weight_cost: Decimal,
    weight_social: Decimal,
    weight_risk: Decimal,
) -> list[OptionFigures]:
    """The figures of every option, in the order given (see the module's formula)."""
    weights = weight_cost + weight_social + weight_risk
    if weights <= ZERO:
        raise ValueError("The weights must add up to more than zero.")
    per_unit = [cents(o.yearly_cost / o.units_per_year) for o in options]
    cheapest = min(per_unit)
    best_hours = max(o.volunteer_hours for o in options)
    best_own = max(o.own_contribution for o in options)
    best_partners = max(o.local_partners for o in options)
    result = []
    for option, unit_cost in zip(options, per_unit, strict=True):
        parts = (
            _share(option.volunteer_hours, best_hours),
            _share(option.own_contribution, best_own),
            _share(option.local_partners, best_partners),
            Decimal(option.participation),
        )
        cost_score = cents(HUNDRED * cheapest / unit_cost) if unit_cost else HUNDRED
        social_score = cents(sum(parts, ZERO) / 4)
        risk_score = cents(HUNDRED * (5 - option.risk_level) / 4)
        weighted = cents(
            (weight_cost * cost_score + weight_social * social_score + weight_risk * risk_score)
            / weights
        )
        result.append(
            OptionFigures(
                total_cost=cents(option.yearly_cost * option.years),
                cost_per_unit=unit_cost,
                cost_per_beneficiary=cents(option.yearly_cost / option.beneficiaries_per_year),
                social_value=cents(
                    option.volunteer_hours * volunteer_rate + option.own_contribution
                ),
                cost_score=cost_score,
                social_score=social_score,
                risk_score=risk_score,
                weighted_score=weighted,
            )
        )
    return result
