"""Numbers and dates at the edge of what the calendars, Python and the database hold: one clear message and a
documented exit code, never a traceback (found by running every command with extreme values)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--as-of", "0001-01-01", "due"), 2, "outside 1900-01-01"),
        (("--as-of", "9999-12-31", "report"), 2, "outside 1900-01-01"),
        (("credit", "--as-of", "2101-01-01"), 2, "outside 1900-01-01"),
        (("log", "C001", "call", "--on", "1899-12-31"), 2, "outside 1900-01-01"),
        (("due", "--days", "2914000"), 2, "at most 3660"),
        (("snooze", "cad-1-20260101", "--days", "3000000"), 2, "3660"),
        (("done", "fu-99999999999999999999999"), 1, "no open due item"),
        (("plan", "done", "99999999999999999999"), 1, "out of range"),
        (("credit", "set", "C001", "--terms", "99999999999", "--note", "x"), 2, "3660"),
        (("customer", "add", "ZZ1", "n", "--cadence-days", "3000000"), 2, "more than 3660 days"),
        (("customer", "edit", "C001", "--terms", "3000000"), 2, "more than 3660 days"),
        (("tier", "--window", "99999m"), 2, "1200m"),
        (("tier", "fit", "--window", "99999999999999999m"), 2, "1200m"),
        (("tier", "--method", "clv", "--horizon", "99999999999999"), 2, "3660"),
    ],
)
def test_extreme_values_are_refused_clearly(
    run, args: tuple[str, ...], code: int, needle: str
) -> None:
    assert run("customer", "add", "C001", "甲公司").exit_code == 0
    result = run(*args)
    assert result.exit_code == code, (result.exit_code, result.output)
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


@pytest.mark.parametrize(
    ("content", "encoding", "needle"),
    [
        ('code,name\n"unterminated,x\n', None, "not a well-formed table"),
        ("code,name\nC1,x\n", "utf-16", "does not start with BOM"),
    ],
)
def test_unreadable_csv_is_one_line(
    run, tmp_path: Path, content: str, encoding: str | None, needle: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(content, encoding="utf-8")
    result = run("import", str(path), *(["--encoding", encoding] if encoding else []))
    assert result.exit_code == 1, result.output
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["rot13", "base64", "nonsense"])
def test_an_encoding_that_is_none_is_a_usage_error(run, tmp_path: Path, encoding: str) -> None:
    """SPEC §2: a value that is not of an option's form is a usage error (exit 2), found before any file is read."""
    result = run("import", str(tmp_path / "absent.csv"), "--encoding", encoding)
    assert result.exit_code == 2, result.output
    assert f"'{encoding}' is not a text encoding" in result.stderr and "Usage:" in result.stderr
