"""Processes plug in through one registry; finance imports none of them."""

import ast
from pathlib import Path

from workflows.processes import offering, processes, settlement_sources

ROOT = Path(__file__).resolve().parents[2]
PROCESS_APPS = {"grants", "purchases", "contracting"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_finance_imports_no_process():
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in PROCESS_APPS
        )
        for path in (ROOT / "finance").rglob("*.py")
    }

    assert {path: names for path, names in offending.items() if names} == {}


def test_each_process_declares_its_hooks_in_one_place():
    from contracting import commitments as contracting_commitments
    from finance.hooks import pending_actions as finance_pending
    from grants import commitments as grant_commitments
    from grants.hooks import pending_actions as grant_pending
    from purchases import commitments as purchase_commitments
    from purchases.selectors import pending_actions as purchase_pending
    from purchases.services import invoice_order_paid

    assert [p.name for p in processes()] == ["grant", "purchase", "finance", "contracting"]
    assert offering("commitments") == [
        grant_commitments,
        purchase_commitments,
        contracting_commitments,
    ]
    assert offering("pending_actions") == [grant_pending, purchase_pending, finance_pending]
    assert offering("order_paid") == [invoice_order_paid]
    assert [(name, s.unit, s.unit_ref) for name, s in settlement_sources().items()] == [
        ("grant", "call", "call_ref"),
        ("purchase", "group", "group_ref"),
    ]
