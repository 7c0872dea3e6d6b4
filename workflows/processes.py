"""The one way a process plugs into the shared parts of the product.

Vocabulary:
- *Process*: a part of the domain with its own workflows (``grants``: micro-grants,
  ``purchases``: micro-purchases). Finance, the home page, the notifications and
  ``load_demo`` serve every process without importing any: they ask this registry.
- *Hooks*: what a process offers them, declared in ONE place, the module
  ``<app>/hooks.py`` with ``PROCESS = Process(...)``. The registry imports each
  installed app's ``hooks`` module the first time it is asked (after the apps are
  ready), in the order of ``INSTALLED_APPS``. A hook left ``None`` is not offered.

Hooks:
- ``pending_actions(user) -> list[PendingAction]``: what waits for the user (home page).
- ``commitments``: what the process commits of the budget plan (``finance.services.budget``
  describes the interface: ``committed``, ``returned``, ``source_find``,
  ``source_budget``, optionally ``summary_rows``).
- ``settlement``: its rows in finance's settlement register (``SettlementSource``).
- ``forecast(*, organisation_id, from_year) -> {year: amount}``: what the process has
  already committed to each budget year from ``from_year`` on (multi-year agreements),
  for the multi-year financial forecast on finance's yearly summary.
- ``order_paid(order, actor)``: a payment batch confirmed one of the process's payment
  orders paid; the process moves on (a purchase whose invoice was paid becomes paid).
- ``demo_load()``: loads its demo data for ``make run``; ``demo_budget`` tells the demo
  budget plan which lines the demo uses and what may exceed the plan.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class SettlementSource:
    """A process's rows in the settlement register (``finance.settlements``)."""

    rows: Callable[..., Any]  # (*, organisation_ids) -> QuerySet with the columns
    label: Any  # the register's "type" column
    heading: Any  # the group of its states in the status filter
    states: Callable[[], Iterable[tuple[str, Any]]]  # every state, for labels
    listed_states: Callable[[], Iterable[tuple[str, Any]]]  # those the filter offers
    unit: str  # the filter that picks units of this process ("call", "group")
    unit_ref: str  # the rows' column that filter compares ("call_ref")
    units: Callable[..., Any]  # (*, organisation_ids) -> QuerySet of units, ordered
    unit_names: Callable[[Iterable[int]], dict[int, str]]  # unit id -> its name


@dataclass(frozen=True)
class DemoBudget:
    """What finance's demo budget plan needs of a process's demo data."""

    lines_used: Callable[..., set[int]]  # (*, organisation_id, year) -> classification ids
    over_plan: Callable[..., Any] | None = None  # (*, organisation_id, year) -> a source


@dataclass(frozen=True)
class Process:
    name: str  # "grant", "purchase": the register's process key
    pending_actions: Callable[[Any], list] | None = None
    commitments: Any = None
    settlement: SettlementSource | None = None
    forecast: Callable[..., dict] | None = None
    order_paid: Callable[[Any, Any], None] | None = None
    demo_load: Callable[[], None] | None = None
    demo_budget: DemoBudget | None = None


_registry: list[Process] = []


def processes() -> list[Process]:
    """Every declared process, in the order of ``INSTALLED_APPS``."""
    if not _registry:
        found = []
        for module in _hook_modules():
            process = getattr(module, "PROCESS", None)
            if isinstance(process, Process):
                found.append(process)
        _registry.extend(found)
    return list(_registry)


def _hook_modules():
    import sys

    from django.apps import apps

    autodiscover_modules("hooks")
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.hooks")
        if module is not None:
            yield module


def offering(hook: str) -> list:
    """The processes' values of ``hook`` where they declare one, in order."""
    return [getattr(p, hook) for p in processes() if getattr(p, hook) is not None]


def settlement_sources() -> dict[str, SettlementSource]:
    """process name -> its settlement register rows."""
    return {p.name: p.settlement for p in processes() if p.settlement is not None}
