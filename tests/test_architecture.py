"""The layers of ARCHITECTURE.md, enforced: every import of a kacrm module (inside functions too) is read from the
source, and an arrow against the rule, a circle, or a lazy import of a light kacrm module fails.

The rule: cli → app → {io, store, analysis, render} → ground (domain, values, files, i18n, errors, config).
Siblings in the middle do not import each other, with two documented exceptions: render may import analysis
(a view knows the result type it shows) and store may use the pure tier rules (analysis.tier_rules), so that a
ranking done inside the database decides its bands with the same function as the pandas path.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "kacrm"
MIDDLE = ("io", "store", "analysis", "render")
HEAVY_LIBRARIES = {"pandas", "numpy", "scipy", "sqlalchemy", "sqlmodel", "alembic", "openpyxl"}
ALLOWED = {
    "cli": {"cli", "app", "render", "ground"},
    "app": {"app", *MIDDLE, "ground"},
    "io": {"io", "ground"},
    "store": {"store", "ground"},
    "analysis": {"analysis", "ground"},
    "render": {"render", "analysis", "ground"},
    "ground": {"ground"},
}
EXCEPTIONS = {("store", "kacrm.analysis.tier_rules")}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    lazy: bool  # inside a function
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: path for name, path in found.items() if ".migrations." not in name}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "__main__":
        return "cli" if module == "kacrm.__main__" else "ground"
    if parts[1] in ("cli", "app", *MIDDLE):
        return parts[1]
    return "ground"


class _Visitor(ast.NodeVisitor):
    def __init__(self, source: str, known: set[str]) -> None:
        self.source, self.known = source, known
        self.depth, self.type_checking = 0, 0
        self.imports: list[Import] = []
        self.libraries: set[str] = set()  # third-party top-level packages imported at module level

    def _add(self, target: str, line: int) -> None:
        self.imports.append(
            Import(self.source, target, line, self.depth > 0, self.type_checking > 0)
        )

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        guard = ast.unparse(node.test)
        is_type_checking = guard in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self.type_checking += is_type_checking
        for child in node.body:
            self.visit(child)
        self.type_checking -= is_type_checking
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith("kacrm"):
                self._add(alias.name, node.lineno)
            elif self.depth == 0 and not self.type_checking:
                self.libraries.add(alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            raise AssertionError(f"{self.source}:{node.lineno}: use absolute kacrm imports")
        module = node.module or ""
        if not module.startswith("kacrm"):
            if self.depth == 0 and not self.type_checking:
                self.libraries.add(module.split(".")[0])
            return
        for alias in node.names:
            sub = f"{module}.{alias.name}"
            self._add(sub if sub in self.known else module, node.lineno)


def read_imports() -> tuple[list[Import], dict[str, set[str]]]:
    known = set(modules())
    imports: dict[
        Import, None
    ] = {}  # in order, each import once (``from m import a, b`` is one arrow)
    libraries: dict[str, set[str]] = {}
    for name, path in modules().items():
        visitor = _Visitor(name, known)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        imports.update(dict.fromkeys(visitor.imports))
        libraries[name] = visitor.libraries
    return list(imports), libraries


def heavy_modules(imports: list[Import], libraries: dict[str, set[str]]) -> set[str]:
    """kacrm modules whose import (at module level, transitively) loads a heavy third-party library."""
    heavy = {m for m, libs in libraries.items() if libs & HEAVY_LIBRARIES}
    eager = [i for i in imports if not i.lazy and not i.type_only]
    changed = True
    while changed:
        changed = False
        for i in eager:
            if i.target in heavy and i.source not in heavy:
                heavy.add(i.source)
                changed = True
    return heavy


def upward_arrows(imports: list[Import]) -> list[str]:
    wrong = []
    for i in imports:
        src, dst = layer(i.source), layer(i.target)
        if dst not in ALLOWED[src] and (src, i.target) not in EXCEPTIONS:
            wrong.append(f"{i.source}:{i.line} ({src}) imports {i.target} ({dst})")
    return wrong


def circles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), type-only imports left out."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        if not i.type_only and i.source != i.target:
            graph.setdefault(i.source, set()).add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def lazy_light_imports(imports: list[Import], heavy: set[str]) -> list[str]:
    return [
        f"{i.source}:{i.line} imports {i.target} inside a function"
        for i in imports
        if i.lazy and not i.type_only and i.target not in heavy
    ]


def test_no_import_runs_against_the_layers() -> None:
    imports, _ = read_imports()
    assert upward_arrows(imports) == []


def test_no_import_circles() -> None:
    imports, _ = read_imports()
    assert circles(imports) == []


def test_only_heavy_modules_are_imported_lazily() -> None:
    imports, libraries = read_imports()
    assert lazy_light_imports(imports, heavy_modules(imports, libraries)) == []


def test_the_checker_sees_what_it_must() -> None:
    """The checker itself, on arrows written by hand: it must flag what the rule forbids."""
    assert layer("kacrm.store.models") == "store"
    assert layer("kacrm.i18n.tier") == "ground"
    assert layer("kacrm.__main__") == "cli"
    up = Import("kacrm.analysis.report", "kacrm.render.charts", 1, False, False)
    across = Import("kacrm.store.due_store", "kacrm.analysis.due", 1, False, False)
    allowed = Import("kacrm.store.tier_ranking", "kacrm.analysis.tier_rules", 1, False, False)
    ground_up = Import("kacrm.domain", "kacrm.store.models", 1, True, False)
    assert len(upward_arrows([up, across, allowed, ground_up])) == 3
    loop = [
        Import("kacrm.io.a", "kacrm.io.b", 1, False, False),
        Import("kacrm.io.b", "kacrm.io.a", 1, True, False),
    ]
    assert circles(loop) == [["kacrm.io.a", "kacrm.io.b"]]
    assert circles([*loop[:1], Import("kacrm.io.b", "kacrm.io.a", 1, False, True)]) == []
    lazy = Import("kacrm.cli.due", "kacrm.domain", 3, True, False)
    assert lazy_light_imports([lazy], heavy={"kacrm.store.models"}) != []
    assert lazy_light_imports([lazy], heavy={"kacrm.domain"}) == []
