"""The examples in the help of commands that read the book, or grade it, run as written on the demo book."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from tests.test_cli_help import COMMANDS

runner = CliRunner()
AS_OF = "2026-11-20"  # the demo's today


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("help examples") / "demo.db"
    result = runner.invoke(app, ["--as-of", AS_OF, "demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _example(command: list[str]) -> list[str]:
    shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    (line,) = re.findall(r"Example: kacrm (.+?)\s*$", shown.stdout, re.MULTILINE)
    return shlex.split(line)


@pytest.mark.parametrize("command", [["tier", "fit"], ["credit", "review"]], ids=" ".join)
def test_the_help_example_runs_on_the_demo(demo_db: Path, command: list[str]) -> None:
    args = _example(command)
    assert args[: len(command)] == command
    result = runner.invoke(app, ["--db", str(demo_db), "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr  # no review as of a day before the demo's


def _all_examples() -> list[tuple[str, str]]:
    """(command path, example) of every command and group whose help shows one (the tree of kacrm.cli.app)."""
    found = []
    for path in COMMANDS:
        if not path or path == ("demo",):  # the demo makes its own book (tests/test_cli_demo.py)
            continue
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "300"})
        for line in re.findall(r"Example: kacrm (.+?)\s*$", shown.stdout, re.MULTILINE):
            found.append(
                (" ".join(path), line.split(" && ")[0])
            )  # `… && echo approved`: the command
    return found


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
POOL_CONFIG = (
    "[pool]\nrelease_after_days = { A = 30, B = 60, C = 90 }\nwarn_days = 7\ncooldown_days = 30\n"
)


def _run(book: Path, *args: str) -> None:
    result = runner.invoke(app, ["--db", str(book), "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output


def _pool(book: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README's pool session: its [pool] config, then the release that puts KH0162 in the pool."""
    (home / "pool.toml").write_text(POOL_CONFIG, encoding="utf-8")
    monkeypatch.setenv("KACRM_CONFIG", str(home / "pool.toml"))
    _run(book, "pool", "release")


# What a user has done before the example of these commands, as README's sessions do it (each step run here).
BEFORE: dict[str, Callable[[Path, Path, pytest.MonkeyPatch], object]] = {
    "init": lambda book, home, mp: (home / "kacrm").mkdir(),
    "import": lambda book, home, mp: [
        shutil.copyfile(SAMPLE / name, home / name) for name in ("客户资料.csv", "订单.csv")
    ],
    "plan done": lambda book, home, mp: _run(
        book, "plan", "add", "KH0052", "--horizon", "mid", "--goal", "进入二期项目供应商名单"
    ),
    "pool claim": _pool,
    # the switch re-derives from the method's latest run: README's session runs the pyramid first
    "tier primary": lambda book, home, mp: _run(book, "tier", "--method", "pyramid"),
    "report movement": lambda book, home, mp: [
        _run(book, "--as-of", day, "tier", "--method", "pyramid") for day in ("2026-05-20", AS_OF)
    ],
}


@pytest.mark.parametrize(
    ("command", "example"),
    [pytest.param(command, example, id=command) for command, example in _all_examples()],
)
def test_every_help_example_runs_on_a_copy_of_the_demo(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, example: str
) -> None:
    """Each example as a user would type it after `kacrm demo`, on a fresh copy of the demo book (an example may
    change it), in an empty folder that is also the home directory (`~/kacrm.ics`)."""
    book = tmp_path / "demo.db"
    shutil.copyfile(demo_db, book)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    if command in BEFORE:
        BEFORE[command](book, home, monkeypatch)
    args = [os.path.expanduser(arg) for arg in shlex.split(example)]
    result = runner.invoke(app, ["--db", str(book), "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
