"""What the micro-purchase process offers the shared parts of the product, in one place
(``workflows.processes``): finance, the home page and ``load_demo`` ask for it."""

from django.utils.translation import pgettext_lazy

from workflows.processes import DemoBudget, Process, SettlementSource

from . import commitments, demo, selectors, services
from .models import Purchase, SameKindGroup
from .settlements import purchase_settlement_rows
from .workflow import PurchaseState

# Purchases are in the settlement register from the award on.
REGISTER_STATES = [*commitments.COMMITTED_STATES, PurchaseState.CANCELLED]


def _groups(*, organisation_ids):
    return SameKindGroup.objects.filter(organisation_id__in=organisation_ids).order_by("name", "pk")


def _group_names(ids) -> dict[int, str]:
    return dict(SameKindGroup.objects.filter(pk__in=ids).values_list("pk", "name"))


def _lines_used(*, organisation_id, year) -> set[int]:
    purchases = Purchase.objects.filter(organisation_id=organisation_id, classification__year=year)
    return set(purchases.values_list("classification_id", flat=True))


PROCESS = Process(
    name="purchase",
    pending_actions=selectors.pending_actions,
    commitments=commitments,
    settlement=SettlementSource(
        rows=purchase_settlement_rows,
        label=pgettext_lazy("settlement type", "purchase"),
        heading=pgettext_lazy("settlement type", "Purchases"),
        states=lambda: PurchaseState.choices,
        listed_states=lambda: [(state.value, state.label) for state in REGISTER_STATES],
        unit="group",
        unit_ref="group_ref",
        units=_groups,
        unit_names=_group_names,
    ),
    order_paid=services.invoice_order_paid,
    demo_load=demo.demo_load,
    demo_budget=DemoBudget(lines_used=_lines_used),
)
