"""Demo data of finance: the budget plan of the demo municipality for this year.

Runs after the grants and purchases loaders: it plans every classification line their
calls and purchases use, with amounts well above what the demo commits (so that no
approval or award in the demo is refused), and records one override as an example.
Running it again changes nothing."""

from decimal import ROUND_CEILING, Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from workflows.processes import offering

from ..models import BudgetOverride, BudgetPlanLine
from ..services.budget import budget_override_create, figures_by_line, plan_line_set
from ..services.classification import classification_load_sample

# Planned amounts of the lines the demo uses; a line missing here gets 50 000 zł.
PLANNED = {
    "921-92105-2360": Decimal("60000.00"),  # the neighbourhood fund calls (2 x 20 000 pool)
    "921-92105-4300": Decimal("120000.00"),  # the workshops bought as micro-purchases
    "926-92605-2360": Decimal("30000.00"),  # sport: planned, not used yet
}
DEFAULT_PLANNED = Decimal("50000.00")
THOUSAND = Decimal("1000")
OVERRIDE_REASON = (
    "Rada Miejska zwiększy plan dotacji na kulturę w czerwcu; do tego czasu zgoda na "
    "dotację z listy rezerwowej ponad plan."
)


def _round_up(amount: Decimal) -> Decimal:
    return (amount / THOUSAND).to_integral_value(rounding=ROUND_CEILING) * THOUSAND


def load() -> None:
    municipality = Organisation.objects.get(nip="5260250274")
    finance = User.objects.get(email="ksiegowosc@example.org")
    year = timezone.localdate().year
    lines = classification_load_sample(year=year)
    used = set()
    for budget in offering("demo_budget"):
        used |= budget.lines_used(organisation_id=municipality.pk, year=year)
    used |= {lines[code].pk for code in PLANNED}
    figures = figures_by_line(organisation_ids=[municipality.pk], year=year)
    planned_already = set(
        BudgetPlanLine.objects.filter(organisation=municipality).values_list(
            "classification_id", flat=True
        )
    )
    by_pk = {line.pk: line for line in lines.values()}
    for classification_id in sorted(used - planned_already):
        classification = by_pk[classification_id]
        figure = figures.get((municipality.pk, classification_id))
        committed = figure.committed if figure else Decimal(0)
        planned = PLANNED.get(classification.code, DEFAULT_PLANNED)
        plan_line_set(
            organisation=municipality,
            classification=classification,
            planned=max(planned, _round_up(2 * committed)),
            actor=finance,
        )
    if BudgetOverride.objects.filter(plan_line__organisation=municipality).exists():
        return
    reserve = None  # a source the demo lets exceed the plan (an application on reserve)
    for budget in offering("demo_budget"):
        if reserve is None and budget.over_plan is not None:
            reserve = budget.over_plan(organisation_id=municipality.pk, year=year)
    if reserve is not None:
        budget_override_create(
            source=reserve, amount=Decimal("1000.00"), reason=OVERRIDE_REASON, actor=finance
        )
