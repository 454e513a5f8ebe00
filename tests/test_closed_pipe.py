"""A reader that goes away (`kacrm due | head -1`) is the reader's choice, not an error: kacrm exits 0 with nothing
on stderr, as git and ls do, whatever it was writing (a table drawn by Rich or plainly, json, csv, a help page).
It used to exit 1, or print "Exception ignored … BrokenPipeError" and exit 120.

Real processes and real pipes: kacrm's stdout is a pipe whose reader is another process that reads one line, byte
by byte, and exits, as `head -1` does. The pipe holds 4 KiB (the least Linux allows), so every output longer than
that and its first line is still being written when the reader goes: the broken pipe is certain, not a race. A
reader gone before the first line is written is the other case (a pipe whose reading end is already closed)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from big_book import env
from typer.testing import CliRunner

from kacrm.cli.app import app

AS_OF = "2026-11-20"
PIPE_BYTES = 4096
# Read one line from stdin a byte at a time (no read-ahead: the rest stays in the pipe), echo it, exit.
HEAD_1 = (
    "import os, sys\n"
    "line = b''\n"
    "while not line.endswith(b'\\n'):\n"
    "    byte = os.read(0, 1)\n"
    "    if not byte:\n"
    "        break\n"
    "    line += byte\n"
    "sys.stdout.buffer.write(line)\n"
)
# Tables drawn by Rich and plainly, csv, json, text and a help page: each longer than PIPE_BYTES on the demo
COMMANDS = [
    ("customer", "show", "KH0052"),
    ("customer", "list"),
    ("customer", "list", "--format", "csv"),
    ("due",),
    ("due", "--format", "json"),
    ("report",),
    ("digest", "--dry-run"),
    ("credit",),
    ("--help",),
]

pytestmark = pytest.mark.skipif(
    not hasattr(fcntl, "F_SETPIPE_SZ"), reason="a pipe's size is set on Linux only"
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("closed pipe") / "demo.db"
    made = CliRunner().invoke(app, ["--as-of", AS_OF, "demo", "--db", str(db)])
    assert made.exit_code == 0, made.output
    return db


def _kacrm(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kacrm", "--db", str(db), "--as-of", AS_OF, *args]


def _whole(db: Path, args: tuple[str, ...]) -> bytes:
    """The command's output into a file (no pipe at all): what the reader's first line is checked against."""
    done = subprocess.run(_kacrm(db, *args), env=env(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _through_head_1(db: Path, args: tuple[str, ...], err: Path) -> tuple[int, bytes]:
    """`kacrm ARGS 2>err | head -1`: kacrm's exit code and the line the reader read."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    with err.open("wb") as stderr:
        kacrm = subprocess.Popen(_kacrm(db, *args), env=env(), stdout=write_end, stderr=stderr)
    reader = subprocess.Popen(
        [sys.executable, "-c", HEAD_1], stdin=read_end, stdout=subprocess.PIPE
    )
    os.close(read_end)
    os.close(write_end)
    line, _ = reader.communicate(timeout=120)
    return kacrm.wait(timeout=120), line


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_reads_one_line_and_goes(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    whole = _whole(demo_db, args)
    first = whole.split(b"\n", 1)[0] + b"\n"
    assert len(whole) > PIPE_BYTES + len(first)  # so the pipe is full when the reader goes
    err = tmp_path / "stderr"
    code, line = _through_head_1(demo_db, args, err)
    assert (code, err.read_bytes()) == (0, b"")
    assert line == first


@pytest.mark.parametrize(
    "args",
    [("customer", "show", "KH0052"), ("due", "--help"), ("customer", "list", "-f", "json")],
    ids=" ".join,
)
def test_a_reader_gone_before_the_first_line(
    demo_db: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    err = tmp_path / "stderr"
    with err.open("wb") as stderr:
        code = subprocess.run(
            _kacrm(demo_db, *args), env=env(), stdout=write_end, stderr=stderr, timeout=120
        ).returncode
    os.close(write_end)
    assert (code, err.read_bytes()) == (0, b"")


def test_an_error_is_still_an_error_when_the_reader_is_gone(demo_db: Path, tmp_path: Path) -> None:
    """A closed stdout does not hide a failure said on stderr: `customer show NOPE` is still exit 1."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        _kacrm(demo_db, "customer", "show", "NOPE"),
        env=env(),
        stdout=write_end,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    os.close(write_end)
    assert done.returncode == 1
    assert done.stderr.decode().startswith("Error: no customer with code 'NOPE'")
