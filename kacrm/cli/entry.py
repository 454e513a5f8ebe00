"""The `kacrm` command's entry point: the root's help drawn at once (kacrm.cli.roothelp), anything else by the
Typer app (kacrm.cli.app), imported only then (by name, like the commands' modules in kacrm.cli.lazy)."""

from __future__ import annotations

import gc
import importlib
import sys

from kacrm.cli import pipe, roothelp

# The cyclic garbage collector runs after every 700 new containers by default: a command's start (its imports
# make tens of thousands of functions, dicts and classes, none of them garbage) and its tables of rows would run
# it hundreds of times, for ~4% of a read command's CPU. Every 50,000 it still collects, ~70 times fewer.
GC_THRESHOLD = 50_000


def main() -> None:
    """Console-script entry point (the collector's threshold set here, for the command's process only, before
    the app and the command's modules load)."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])

    pipe.install()
    try:
        try:
            _run(sys.argv[1:])
        finally:  # the last flush here, where a reader gone is caught, not in Python's on the way out
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`kacrm --help | head -1`), whatever was writing
        pipe.reader_gone()


def _run(args: list[str]) -> None:
    """The root's help, drawn at once, or else the Typer app; each ends in SystemExit with its exit code."""
    code = roothelp.show(args)
    if code is not None:
        raise SystemExit(code)
    importlib.import_module("kacrm.cli.app").main()
