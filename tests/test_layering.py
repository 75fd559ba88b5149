"""Data flows one way: no module imports a layer above its own, and no two modules import each other.

The layers, bottom to top (docs/architecture.md, "What may import what"):

    loaders  <  analytics  <  reports  <  dashboard, popdash

`dashboard` and `popdash` are two front ends on the same floor: neither imports the other.
`sample_data` (the fictional FCC Example and the demo store built from it) may import `loaders`
only, and only the front ends import it (plus tests and benchmarks, which are not scanned).
Every import counts, including ones inside functions and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("loaders", "analytics", "reports", "dashboard", "popdash", "sample_data")
RANK = {"loaders": 0, "analytics": 1, "reports": 2, "dashboard": 3, "popdash": 3}
# Which of our packages each package may import (its own included).
ALLOWED: dict[str, set[str]] = {
    "loaders": {"loaders"},
    "analytics": {"loaders", "analytics"},
    "reports": {"loaders", "analytics", "reports"},
    "dashboard": {"loaders", "analytics", "reports", "dashboard", "sample_data"},
    "popdash": {"loaders", "analytics", "reports", "popdash", "sample_data"},
    "sample_data": {"loaders", "sample_data"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the product's packages, by dotted name."""
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The product modules `name` imports (a `from pkg import sub` names the submodule when there is one)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


IMPORTS = graph()


def test_every_package_is_scanned():
    assert {name.split(".")[0] for name in IMPORTS} == set(PACKAGES)
    assert len(IMPORTS) > 80  # the scan found the modules, not just the packages


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("loaders", "analytics", False),
        ("loaders", "sample_data", False),
        ("analytics", "loaders", True),
        ("analytics", "reports", False),
        ("reports", "analytics", True),
        ("reports", "dashboard", False),
        ("reports", "popdash", False),
        ("reports", "sample_data", False),
        ("dashboard", "reports", True),
        ("dashboard", "popdash", False),
        ("popdash", "dashboard", False),
        ("popdash", "sample_data", True),
        ("sample_data", "loaders", True),
        ("sample_data", "analytics", False),
    ],
)
def test_the_rule_itself(importer, imported, allowed):
    """One row per edge of the layer table, so a change to ALLOWED is a visible change here."""
    assert (imported in ALLOWED[importer]) is allowed
    if importer in RANK and imported in RANK and RANK[imported] > RANK[importer]:
        assert not allowed  # never up the layers


def test_no_module_imports_a_layer_above_it():
    wrong = sorted(
        f"{src} imports {dst}"
        for src, targets in IMPORTS.items()
        for dst in targets
        if dst.split(".")[0] not in ALLOWED[src.split(".")[0]]
    )
    assert wrong == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _without_package_parents(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    # A package's __init__ that imports its own submodules, and a submodule that needs its
    # package to be imported first, are one unit, not a loop: drop a module's edge to a package
    # that contains it.
    return {src: {dst for dst in targets if not src.startswith(dst + ".")} for src, targets in edges.items()}


def test_no_import_cycles():
    assert _cycles(_without_package_parents(IMPORTS)) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"a"}}, [["a"]]),
    ],
)
def test_the_cycle_finder(edges, expected):
    assert _cycles(edges) == expected


def test_relative_and_submodule_imports_are_resolved(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("from . import theme\nfrom .briefing import charts\nimport analytics.flags as f\n")
    got = imports_of("reports.mod", path, {"reports.theme", "reports.briefing.charts"})
    assert got == {"reports.theme", "reports.briefing.charts", "analytics.flags"}
