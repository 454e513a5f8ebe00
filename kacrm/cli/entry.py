"""The `kacrm` command's entry point: the root's help drawn at once (kacrm.cli.roothelp), anything else by the
Typer app (kacrm.cli.app), imported only then (by name, like the commands' modules in kacrm.cli.lazy)."""

from __future__ import annotations

import importlib
import sys

from kacrm.cli import roothelp


def main() -> None:
    """Console-script entry point."""
    try:
        code = roothelp.show(sys.argv[1:])
    except BrokenPipeError:  # the reader went away (`kacrm --help | head`): as kacrm.cli.app does
        sys.stderr.close()
        raise SystemExit(1) from None
    if code is not None:
        raise SystemExit(code)
    importlib.import_module("kacrm.cli.app").main()
