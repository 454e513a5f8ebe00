"""The `kacrm` command's entry point: the root's help drawn at once (kacrm.cli.roothelp), anything else by the
Typer app (kacrm.cli.app), imported only then (by name, like the commands' modules in kacrm.cli.lazy)."""

from __future__ import annotations

import importlib
import sys

from kacrm.cli import roothelp


def main() -> None:
    """Console-script entry point."""
    code = roothelp.show(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)
    importlib.import_module("kacrm.cli.app").main()
