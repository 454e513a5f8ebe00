"""Where a command writes a file the user named: a name that says another kind of file than --format writes is
refused before anything is read (exit 2), and a directory given as the file is one clear message (exit 1), not
"Device or resource busy" (a new user's first hour, round 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app

runner = CliRunner()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    db = tmp_path / "book.db"
    assert runner.invoke(app, ["--db", str(db), "init"]).exit_code == 0
    return db


@pytest.mark.parametrize(
    ("args", "fmt", "suffix", "name"),
    [
        (["report", "--format", "xlsx", "--output"], "xlsx", ".xlsx", "r.html"),
        (["report", "--format", "html", "--output"], "html", ".html", "r.xlsx"),
        (["credit", "statement", "C1", "--format", "xlsx", "-o"], "xlsx", ".xlsx", "s.pdf"),
    ],
)
def test_an_output_named_as_another_kind_of_file_is_refused(
    book: Path, tmp_path: Path, args: list[str], fmt: str, suffix: str, name: str
) -> None:
    result = runner.invoke(app, ["--db", str(book), *args, str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert f"--format {fmt} writes a {suffix} file: name it so ({name} would open" in " ".join(
        result.output.replace("│", " ").split()
    )
    assert not (tmp_path / name).exists()


def test_an_html_report_may_end_in_htm(book: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--db", str(book), "report", "--format", "html", "-o", str(tmp_path / "r.htm")]
    )
    assert result.exit_code == 0, result.output
    assert (
        (tmp_path / "r.htm")
        .read_text(encoding="utf-8")
        .lstrip()
        .lower()
        .startswith("<!doctype html")
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_directory_given_as_the_file_is_named_as_one(
    book: Path, tmp_path: Path, lang: str
) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    result = runner.invoke(
        app, ["--lang", lang, "--db", str(book), "due", "--week", "--ics", str(folder)]
    )
    assert result.exit_code == 1
    expected = (
        f"cannot write {folder}: it is a directory; give a file's name"
        if lang == "en"
        else f"无法写入 {folder}：这是一个目录；请给出文件名"
    )
    assert expected in result.stderr
    assert list(folder.iterdir()) == []  # no temporary file left in it
