"""The import direction of the package: CLI → tools → API → model → engine (README, "How it is
built"). Read from the source with ``ast``, every import counted, those inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "pyreasoner"

#: bottom to top; a module imports only from its own layer or below
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"errors", "terms", "contract"})),
    ("engine", frozenset({"_engine"})),
    ("model", frozenset({"vocabulary", "provisions", "views", "expect", "case", "result", "rulebase",
                        "citations", "cache"})),
    ("api", frozenset({"reasoner", "query", "report"})),
    ("tools", frozenset({"explain", "lint", "verify", "check", "coverage", "testing", "batch", "diff", "generate",
                         "summary"})),
    ("cli", frozenset({"cli", "__main__"})),
)


def _unit(path: Path) -> str:
    """The top-level unit a file belongs to: a module, or a subpackage as a whole."""
    rel = path.relative_to(PKG)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """The package's own units a file imports (relative imports and ``pyreasoner.x``)."""
    return _imports_of(path.read_text(encoding="utf-8"), len(path.relative_to(PKG).parts) - 1)


def _imports_of(text: str, depth: int) -> set[str]:
    """``depth``: how many subpackages deep the file is (`..x` in a subpackage is the package's x)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "pyreasoner":
                    continue
                names = parts[1:2] or [a.name for a in node.names]
            elif node.level - 1 < depth:  # inside its own subpackage
                continue
            elif node.module:
                names = [node.module.split(".")[0]]
            else:
                names = [a.name for a in node.names]
            out.update(n for n in names if n != "__version__")
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("pyreasoner."))
    return out


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PKG.rglob("*.py"):
        unit = _unit(path)
        graph.setdefault(unit, set()).update(u for u in _imports(path) if u != unit)
    return graph


LAYER_OF = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods}


def test_every_module_has_a_layer():
    units = set(_graph()) - {"__init__"}
    assert sorted(units - set(LAYER_OF)) == [], "add the new module to LAYERS (and to the README's list)"


def test_no_module_imports_one_above_it():
    upward = sorted(f"{m} ({LAYERS[LAYER_OF[m]][0]}) imports {d} ({LAYERS[LAYER_OF[d]][0]})"
                    for m, deps in _graph().items() if m in LAYER_OF
                    for d in deps if d in LAYER_OF and LAYER_OF[d] > LAYER_OF[m])
    assert upward == []


def test_the_import_graph_has_no_cycle():
    graph = {m: {d for d in deps if d in LAYER_OF} for m, deps in _graph().items() if m in LAYER_OF}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                cycles.append(" -> ".join(path[path.index(d):] + [d]) if d in path else f"{m} -> {d}")
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_only_the_engine_imports_clingo():
    offenders = []
    for path in PKG.rglob("*.py"):
        if _unit(path) == "_engine":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            if any(n == "clingo" or n.startswith("clingo.") for n in names):
                offenders.append(str(path.relative_to(PKG)))
    assert offenders == []


@pytest.mark.parametrize("module", ["errors", "terms", "contract"])
def test_the_base_imports_nothing_of_the_package(module):
    assert _graph()[module] == set()


def test_the_reader_sees_every_form_of_import():
    """Function-level, relative, absolute and subpackage imports are all read (the shapes of
    the upward imports this file exists to catch)."""
    text = ("import os\nfrom . import report\nimport pyreasoner.batch\n"
            "def f():\n    from .cli import main\n    from pyreasoner.diff import x\n    from ._engine.control import y\n")
    assert _imports_of(text, 0) == {"report", "batch", "cli", "diff", "_engine"}
    # in a subpackage, `.x` is a sibling inside it and `..x` the package's x
    assert _imports_of("from .control import a\nfrom ..errors import E\n", 1) == {"errors"}


def test_a_long_module_says_why_at_its_top():
    """No module much over 500 lines without the reason in its docstring (``Size (…)``)."""
    long = []
    for path in PKG.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 550:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "Size (" not in doc:
                long.append(f"{path.relative_to(PKG)} ({text.count(chr(10))} lines)")
    assert long == []


def _ends_in_reasoner(node: ast.expr) -> bool:
    """``reasoner``, ``Reasoner``, ``self.reasoner``, ``side.reasoner``, …"""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name.lower() == "reasoner"


def _private_uses_of_the_reasoner(text: str) -> list[str]:
    """``reasoner._x`` (any object named ``reasoner``, or the class) and ``from .reasoner
    import _x``: the private side of :mod:`pyreasoner.reasoner` used from another module."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and _ends_in_reasoner(node.value)):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "reasoner":
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_module_uses_the_reasoners_private_side():
    """Views become solver input in one place (``query``): no module reaches into
    ``Reasoner``'s private methods or ``reasoner``'s private functions to do it again."""
    offenders = [f"{path.relative_to(PKG)} {use}" for path in sorted(PKG.rglob("*.py")) if path.name != "reasoner.py"
                 for use in _private_uses_of_the_reasoner(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_private_use_check_sees_each_form():
    text = ("from ..reasoner import Reasoner, _result\n"
            "def f(reasoner, side):\n    reasoner._check(c)\n    side.reasoner._selection(v, False)\n"
            "    Reasoner._tagged(r)\n    reasoner.solve(c)\n    self._check(c)\n")
    assert _private_uses_of_the_reasoner(text) == [
        "line 1: import _result", "line 3: ._check", "line 4: ._selection", "line 5: ._tagged"]
