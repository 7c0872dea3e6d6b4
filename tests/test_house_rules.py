"""The house rules that a reviewer would otherwise have to remember.

- Views, API, forms, tasks and admin do not write domain models themselves: every write
  goes through a service (``.save(``, ``.create(``, ``.update(``, ``.delete(`` and their
  bulk forms on a model or a queryset are refused there).
- No state is compared to a string literal, in Python or in templates: code asks the
  state enum or the object (``agreement.is_signable``), so renaming a state cannot leave
  a comparison that is silently always false.
- No module of the apps grows past the size at which it becomes a package.
- Finance does not import the processes; they plug in through the registry.

Each check reads the source (``ast`` for Python, a pattern for templates) and names the
file and line of every offence, so a failure says what to change.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "workflows",
    "grants",
    "purchases",
    "documents",
    "finance",
    "notifications",
    "attachments",
)
THIN_LAYERS = ("views", "api", "forms", "tasks", "admin")
WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}
QUERYSET_CALLS = {"filter", "exclude", "all", "select_for_update", "select_related", "order_by"}
# Receivers that are not models: Django's cache and session, a dict being filled.
NOT_MODELS = {"cache", "session"}
MAX_LINES = 500
MAX_WORKFLOW_LINES = 750


def _python_files(*, layers: tuple[str, ...] | None = None):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app)
            if relative.parts[0] in ("migrations", "management", "locale"):
                continue
            if layers is not None:
                head = relative.parts[0].removesuffix(".py")
                if head.split("_")[0] not in layers:
                    continue
            yield path


def _chain(node: ast.AST) -> list[ast.AST]:
    """The receivers of a call, outermost last: ``A.objects.filter(x).update`` ->
    [A.objects.filter(x), A.objects.filter, A.objects, A]."""
    chain = [node]
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.value if isinstance(node, ast.Attribute) else node.func
        chain.append(node)
    return chain


def _touches_models(receiver: ast.AST) -> bool:
    for node in _chain(receiver):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERYSET_CALLS
        ):
            return True
    return False


def _receiver_name(receiver: ast.AST) -> str:
    if isinstance(receiver, ast.Attribute):
        return receiver.attr
    if isinstance(receiver, ast.Name):
        return receiver.id
    return ""


def write_offences(source: str) -> list[int]:
    """Lines of ``source`` that write a model outside a service."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if method not in WRITES or _receiver_name(receiver) in NOT_MODELS:
            continue
        if method == "save":
            commit = [k for k in node.keywords if k.arg == "commit"]
            if commit and isinstance(commit[0].value, ast.Constant) and not commit[0].value.value:
                continue  # builds an unsaved object for a service to write
            lines.append(node.lineno)
        elif method == "delete" or _touches_models(receiver):
            lines.append(node.lineno)
    return lines


def _is_state(node: ast.AST) -> bool:
    name = _receiver_name(node)
    return name == "state" or name.endswith("_state")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_text(element) for element in node.elts)
    return False


def state_literal_offences(source: str) -> list[int]:
    """Lines of ``source`` that compare a state with a string literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if any(_is_state(side) for side in sides) and any(_is_text(side) for side in sides):
            lines.append(node.lineno)
    return lines


TEMPLATE_STATE_LITERAL = re.compile(r"""\bstate\s*(==|!=|(not\s+)?in)\s*["'(\[]""")


def template_offences(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if TEMPLATE_STATE_LITERAL.search(line)
    ]


def _report(found: dict[Path, list[int]]) -> str:
    return "\n".join(
        f"{path.relative_to(ROOT)}:{line}" for path, lines in found.items() for line in lines
    )


# The checks check themselves: each finds what it should and nothing else.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Purchase.objects.create(name='x')", [1]),
        ("Purchase.objects.filter(pk=1).update(state=s)", [1]),
        ("purchase.save(update_fields=['name'])", [1]),
        ("purchase.delete()", [1]),
        ("form.save(commit=False)", []),
        ("figures.update(other)", []),
        ("initial.update(name='x')", []),
        ("cache.delete('key')", []),
        ("request.session.update(a=1)", []),
        ("services.purchase_create(actor=user)", []),
    ],
)
def test_write_check_tells_writes_from_other_calls(source, expected):
    assert write_offences(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("agreement.state != 'draft'", [1]),
        ("x = obj.payment_state == 'paid'", [1]),
        ("state in ('draft', 'submitted')", [1]),
        ("agreement.state == AgreementState.DRAFT", []),
        ("agreement.name == 'draft'", []),
    ],
)
def test_state_check_tells_literals_from_enums(source, expected):
    assert state_literal_offences(source) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{% if agreement.state != "draft" %}', [1]),
        ("x\n{% if a.state == 'paid' %}", [2]),
        ('{% if a.state in "draft submitted" %}', [1]),
        ("{% if agreement.is_signable %}", []),
        ("{{ agreement.get_state_display }}", []),
    ],
)
def test_template_check_finds_state_literals(text, expected):
    assert template_offences(text) == expected


def test_thin_layers_do_not_write_models():
    found = {}
    for path in _python_files(layers=THIN_LAYERS):
        lines = write_offences(path.read_text(encoding="utf-8"))
        if lines:
            found[path] = lines
    assert not found, "Write through a service instead:\n" + _report(found)


def test_no_state_is_compared_to_a_string():
    found = {}
    for path in _python_files():
        lines = state_literal_offences(path.read_text(encoding="utf-8"))
        if lines:
            found[path] = lines
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts:
            continue
        lines = template_offences(path.read_text(encoding="utf-8"))
        if lines:
            found[path] = lines
    assert not found, "Compare with the state enum or ask the object:\n" + _report(found)


def _limit(path: Path) -> int:
    # A process reads top to bottom in its one workflow.py (the developers' guide), so
    # that file may be longer; its guards' checks live in rules.py to keep it short.
    return MAX_WORKFLOW_LINES if path.name == "workflow.py" else MAX_LINES


def test_no_module_outgrows_a_package():
    too_long = {
        path: [len(path.read_text(encoding="utf-8").splitlines())]
        for path in _python_files()
        if len(path.read_text(encoding="utf-8").splitlines()) > _limit(path)
    }
    assert not too_long, f"Over {MAX_LINES} lines; make it a package:\n" + _report(too_long)


def test_finance_imports_no_process():
    found = {}
    for path in sorted((ROOT / "finance").rglob("*.py")):
        lines = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] in ("grants", "purchases") for name in names):
                lines.append(node.lineno)
        if lines:
            found[path] = lines
    assert not found, "Finance asks the process registry instead:\n" + _report(found)
