"""Changes kacrm makes to a third-party module, made when that module is first imported rather than by importing
it early: Typer's Rich formatter (kacrm.cli.helpfmt) and Rich's console (kacrm.cli.pipe) load only for the
commands that show help or draw with Rich, and a command that does neither must not pay for them (issue 19)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any


class AfterImport:
    """A finder on ``sys.meta_path`` that calls ``then(module)`` once the module ``name`` has been imported, the
    first time it is (a finder is any object with ``find_spec``: importlib.abc is not loaded for it)."""

    def __init__(self, name: str, then: Callable[[ModuleType], None]) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util  # only when the module comes: not on the way to `kacrm --help`

        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            self.then(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def after_import(name: str, then: Callable[[ModuleType], None]) -> None:
    """``then(module)`` now if ``name`` is imported already, else when it is; once (``then`` is idempotent)."""
    if name in sys.modules:
        then(sys.modules[name])
    elif not any(isinstance(f, AfterImport) and f.name == name for f in sys.meta_path):
        sys.meta_path.insert(0, AfterImport(name, then))
