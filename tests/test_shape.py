"""The shape of the code: no import cycles between the package's modules, and short modules.

Imports are read from each module's syntax tree, those inside functions included: an import made
late to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "treatypress"
MAX_LINES = 300
# Modules still over the limit, each to be split; the test fails once one is short enough to
# come off this list, so it cannot go stale.
OVER_LIMIT: set[str] = set()


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules one module imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.module or "").startswith("treatypress"):
                parts = (node.module or "").split(".")
                name = parts[0] if node.level == 1 else (parts[1] if len(parts) > 1 else "")
                found |= {name} if name else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("treatypress.")}
    return (found & modules) - {path.stem}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of a graph: each a path that comes back to where it started."""
    cycles, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in done:
                visit(target, path + [target])
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    return cycles


def test_no_import_cycles_between_modules():
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    graph = {name: _imports(PACKAGE / f"{name}.py", modules) for name in modules}
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_modules_stay_under_the_line_limit():
    lengths = {
        p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")
    }
    long = {name: n for name, n in lengths.items() if n > MAX_LINES and name not in OVER_LIMIT}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
    short_now = {name for name in OVER_LIMIT if lengths.get(name, 0) <= MAX_LINES}
    assert not short_now, f"now under {MAX_LINES} lines, take off OVER_LIMIT: {short_now}"
