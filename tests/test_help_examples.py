"""The examples in the help of commands that read the book, or grade it, run as written on the demo book."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app

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
