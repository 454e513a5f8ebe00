"""The credit grade and limit of a past day (`--as-of`) are those in force on that day: of the newest review or
decision up to it, never of one made later; `credit check` agrees with `credit explain`. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _import(run, tmp_path: Path, **files: str) -> None:
    for name, content in files.items():
        (tmp_path / f"{name}.csv").write_text(content, encoding="utf-8")
    result = run("import", *(str(tmp_path / f"{name}.csv") for name in files))
    assert result.exit_code == 0, result.output


@pytest.fixture
def decided(run, tmp_path: Path):
    """C001, 365 days' terms, one unpaid order of 500 on 2026-01-05 (never overdue here); limit 1,000 and
    grade A decided on 2026-01-10, limit 5,000 on 2026-06-30 (by hand: the figures are known without scoring)."""
    _import(
        run,
        tmp_path,
        customers="code,name,terms\nC001,甲公司,365\n",
        orders="order_no,customer_code,order_date,amount\nO1,C001,2026-01-05,500\n",
    )
    for day, limit in (("2026-01-10", "1000"), ("2026-06-30", "5000")):
        args = ["credit", "set", "C001", "--limit", limit, "--note", "n", "--as-of", day]
        result = run(*args, *(["--grade", "A"] if limit == "1000" else []))
        assert result.exit_code == 0, result.output
    return run


def _check(run, day: str, amount: str = "2000") -> tuple[int, dict]:
    result = run("--as-of", day, "credit", "check", "C001", "--amount", amount, "-f", "json")
    return result.exit_code, json.loads(result.stdout)


def test_check_reads_the_limit_in_force_on_the_day(decided) -> None:
    # 2026-01-30: limit 1,000; 500 owed + 2,000 > 1,000: refused (it read 5,000 of 06-30 before)
    code, shown = _check(decided, "2026-01-30")
    assert (code, shown["limit"], shown["headroom"]) == (4, 1000.0, -1500.0)
    # 2026-07-01: limit 5,000; headroom 5,000 - 500 - 2,000 = 2,500
    code, shown = _check(decided, "2026-07-01")
    assert (code, shown["limit"], shown["headroom"]) == (0, 5000.0, 2500.0)
    # 2026-01-06: no decision yet: the stored grade and limit (the newest, 5,000: nothing is kept of what stood
    # before the first decision), as the digest and the card read them; 500 + 2,000 within 5,000
    code, shown = _check(decided, "2026-01-06")
    assert (code, shown["limit"], shown["headroom"]) == (0, 5000.0, 2500.0)


def test_the_credit_list_shows_the_day_s_grade_and_limit(decided) -> None:
    def row(day: str) -> dict:
        result = decided("credit", "-f", "json", "--as-of", day)
        assert result.exit_code == 0, result.output
        (found,) = json.loads(result.stdout)
        return found

    assert (row("2026-01-30")["grade"], row("2026-01-30")["limit"]) == ("A", 1000.0)
    assert row("2026-01-30")["utilization"] == 0.5  # 500 of 1,000
    assert (row("2026-07-01")["limit"], row("2026-07-01")["utilization"]) == (5000.0, 0.1)
    assert (row("2026-01-06")["grade"], row("2026-01-06")["limit"]) == ("A", 5000.0)  # as stored


def test_check_agrees_with_explain_on_computed_reviews(run, tmp_path: Path) -> None:
    _import(
        run,
        tmp_path,
        customers="code,name,terms\nC001,甲公司,30\n",
        orders="order_no,customer_code,order_date,amount\nO0,C001,2025-06-15,3000\n"
        "O1,C001,2025-09-15,3000\nO2,C001,2026-01-15,1200\nO3,C001,2026-02-15,900\n"
        "O4,C001,2026-05-15,6000\n",
        payments="payment_no,customer_code,order_no,paid_on,amount\nP0,C001,O0,2025-07-01,3000\n"
        "P1,C001,O1,2025-10-01,3000\nP2,C001,O2,2026-02-01,1200\nP3,C001,O3,2026-03-01,900\n"
        "P4,C001,O4,2026-06-01,6000\n",
    )
    for day in ("2026-03-31", "2026-06-30"):
        assert run("credit", "review", "--as-of", day).exit_code == 0
    limits = {}
    for day, reviewed_on in (("2026-04-15", "2026-03-31"), ("2026-07-01", "2026-06-30")):
        explained = json.loads(
            run("credit", "explain", "C001", "-f", "json", "--as-of", day).stdout
        )
        assert explained["reviewed_on"] == reviewed_on
        _, shown = _check(run, day, "1")
        assert shown["limit"] == explained["limit"]
        limits[day] = shown["limit"]
    assert (
        limits["2026-04-15"] != limits["2026-07-01"]
    )  # the two reviews differ: the test tells them apart


def test_the_digest_alerts_over_the_limit_in_force_on_its_day(run, tmp_path: Path) -> None:
    """C001 and C002 owe 2,000 each (365 days' terms: nothing overdue). C001's limit is 1,000 from 2026-01-10
    and 5,000 from 2026-06-30; C002's the other way round. The stored limits are the newest (5,000 and 1,000)."""
    _import(
        run,
        tmp_path,
        customers="code,name,terms\nC001,甲公司,365\nC002,乙公司,365\n",
        orders="order_no,customer_code,order_date,amount\nO1,C001,2026-01-05,2000\n"
        "O2,C002,2026-01-05,2000\n",
    )
    for code, first, then in (("C001", "1000", "5000"), ("C002", "5000", "1000")):
        for day, limit in (("2026-01-10", first), ("2026-06-30", then)):
            args = ["credit", "set", code, "--limit", limit, "--note", "n", "--as-of", day]
            assert run(*args).exit_code == 0

    def alerts(day: str) -> list[tuple[str, float, float, list[str]]]:
        result = run("--as-of", day, "digest", "--dry-run", "--format", "json")
        assert result.exit_code == 0, result.output
        return [
            (a["customer_code"], a["credit_limit"], a["over_limit_by"], a["alerts"])
            for a in json.loads(result.stdout)["credit_alerts"]
        ]

    # 2026-01-30: C001's limit is 1,000 (2,000 owed: over by 1,000); C002's 5,000 (no alert)
    assert alerts("2026-01-30") == [("C001", 1000.0, 1000.0, ["over_limit"])]
    # 2026-07-01: the other way round
    assert alerts("2026-07-01") == [("C002", 1000.0, 1000.0, ["over_limit"])]
    text = run("--as-of", "2026-01-30", "digest", "--dry-run").stdout
    assert "C001 甲公司: over limit by 1,000.00" in text and "C002" not in text
