"""A reader that goes away (`kacrm due | head -1`): its choice, not an error. The command stops, exits 0 and says
nothing, as git and ls do (they die of SIGPIPE, which Python turns into BrokenPipeError), whichever of its
output it was writing: a table by Rich or by write_lines, json, csv, a help page, or Python's last flush."""

from __future__ import annotations

import errno
import os
import sys
from types import ModuleType
from typing import Any, NoReturn

from kacrm.cli.after_import import after_import


def install() -> None:
    """Rich's consoles (kacrm's, and Typer's for help and usage errors) end the program with exit 1 on a broken
    pipe (Console.on_broken_pipe, there to be replaced): theirs raise BrokenPipeError instead, for the command
    line's one handler (kacrm.cli.app, kacrm.cli.entry) to call reader_gone. Made when rich.console is first
    imported (idempotent)."""
    after_import("rich.console", _install_console)


def _install_console(console: ModuleType) -> None:
    console.Console.on_broken_pipe = _on_broken_pipe


def _on_broken_pipe(console: Any) -> NoReturn:
    console.quiet = True  # what it was still to print is dropped
    raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def reader_gone() -> NoReturn:
    """Exit 0 in silence: stdout and stderr are pointed at the null device first, so that what is still in
    their buffers goes there when Python flushes them on the way out, rather than into an "Exception ignored …
    BrokenPipeError" on stderr."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:  # no file behind it (a test's StringIO), or closed: nothing to point elsewhere
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            continue
    os.close(devnull)
    raise SystemExit(0)
