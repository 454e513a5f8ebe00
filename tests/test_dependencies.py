"""Every package kacrm imports is one that `pip install kacrm` installs: declared in pyproject's dependencies.

A package that only came along with the test extras (click came with sqlite-utils) would make the installed
command fail on its first import on a user's machine while every test here passed.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {
        _normalized(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0])
        for spec in project["dependencies"]
    }


def _imported_top_level() -> dict[str, set[str]]:
    """Top-level module name → the kacrm files importing it (absolute imports, stdlib and kacrm left out)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "kacrm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "kacrm" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_a_declared_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    undeclared = {
        module: sorted(files)
        for module, files in _imported_top_level().items()
        if not {_normalized(d) for d in distributions.get(module, [module])} & declared
    }
    assert undeclared == {}


def test_the_check_sees_a_package_only_the_test_extras_bring() -> None:
    """The check above would catch click: installed here (sqlite-utils needs it) but not a kacrm dependency."""
    assert "click" in importlib.metadata.packages_distributions()
    assert "click" not in _declared()
    assert "sqlalchemy" in _declared() and "typer" in _declared()
