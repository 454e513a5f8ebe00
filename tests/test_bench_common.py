"""The benchmark runner's own logic (bench/common.py, bench/run.py): targets, answer comparison, the table.

Nothing here runs a benchmark; the expected texts are written by hand from the rules in the docstrings.
"""

from __future__ import annotations

import json
import math

import pytest

from bench.common import BenchResult, diff_objects, diff_rows, guarded
from bench.run import parse_args, write_results

ITEMS = [
    {"id": "cad-1-20261120", "kind": "cadence", "due_on": "2026-11-20", "overdue_days": 0},
    {"id": "bday-7-20261123", "kind": "birthday", "due_on": "2026-11-20", "overdue_days": 0},
    {"id": "col-O9", "kind": "collection", "due_on": "2026-10-01", "overdue_days": 50},
]


def test_peak_memory_target() -> None:
    assert BenchResult("x", 1.0, peak_mb=399.0, target_peak_mb=400.0).ok
    assert not BenchResult("x", 1.0, peak_mb=401.0, target_peak_mb=400.0).ok
    assert not BenchResult("x", 1.0, peak_mb=None, target_peak_mb=400.0).ok  # not measured: not met
    # every target must hold: ratio met, peak missed
    assert not BenchResult(
        "x", 1.0, baseline_seconds=1.0, target_ratio=2.0, peak_mb=500.0, target_peak_mb=400.0
    ).ok


def test_a_mismatch_is_not_ok_and_is_kept_in_the_json() -> None:
    result = BenchResult("due_week[pg]", 0.2, mismatch="1 only on PG")
    assert not result.ok
    assert result.as_dict()["mismatch"] == "1 only on PG" and result.as_dict()["ok"] is False


def test_diff_rows_same_and_reordered() -> None:
    assert diff_rows(ITEMS, [dict(r) for r in ITEMS], key="id") == ""
    assert diff_rows(ITEMS, ITEMS[::-1], key="id") == "same 3 rows in another order"


def test_diff_rows_names_the_fields_that_differ_and_the_unpaired_rows() -> None:
    pg = [ITEMS[0], dict(ITEMS[2], overdue_days=49)]
    assert diff_rows(ITEMS, pg, key="id") == (
        "3 rows on SQLite, 2 on PG; 1 differ in overdue_days (e.g. id=col-O9: overdue_days 50 vs 49); "
        '1 only on SQLite (e.g. {"due_on": "2026-11-20", "id": "bday-7-20261123", "kind": "birthday", '
        '"overdue_days": 0})'
    )


def test_diff_rows_reports_different_ids_apart() -> None:
    renumbered = [dict(r, id=r["id"] + "x") for r in ITEMS]
    assert diff_rows(ITEMS, renumbered, key="id") == "same rows but different id values"


def test_diff_objects_per_section() -> None:
    sqlite = {"period_start": "2026-11-20", "due": ITEMS, "events": []}
    pg = {"period_start": "2026-11-19", "due": ITEMS, "events": [ITEMS[0]]}
    assert diff_objects(sqlite, sqlite) == ""
    assert diff_objects(sqlite, pg, {"due": "id"}) == (
        "period_start: '2026-11-20' vs '2026-11-19'; events: 0 rows on SQLite, 1 on PG; "
        '1 only on PG (e.g. {"due_on": "2026-11-20", "id": "cad-1-20261120", "kind": "cadence", "overdue_days": 0})'
    )


def test_guarded_turns_an_error_into_a_failed_row() -> None:
    def broken() -> BenchResult:
        raise RuntimeError("no server")

    row = guarded("tier_abc[pg]", broken)
    assert (
        row.name == "tier_abc[pg]"
        and math.isnan(row.seconds)
        and not row.ok
        and "no server" in row.note
    )


def test_postgresql_options(tmp_path) -> None:
    assert parse_args(["--postgresql"]).postgresql
    assert (
        parse_args(["--pg-url", "postgresql+psycopg://u@h/db"]).pg_url
        == "postgresql+psycopg://u@h/db"
    )
    with pytest.raises(SystemExit):
        parse_args(["--postgresql", "--pg-url", "postgresql+psycopg://u@h/db"])
    out = tmp_path / "r.json"
    write_results(
        [BenchResult("import_orders", 1.0, peak_mb=500.0, target_peak_mb=400.0)], 0.1, out
    )
    row = json.loads(out.read_text(encoding="utf-8"))["results"][0]
    assert row["target_peak_mb"] == 400.0 and row["ok"] is False
