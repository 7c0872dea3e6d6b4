"""Demo data of finance: bank accounts, a budget plan, and payment batches in each state.

Runs after the grants and purchases loaders, whose payment orders the batches pay."""

from . import batches, budget


def demo_load() -> None:
    budget.load()
    batches.load()
