"""`kacrm due --week` on the populated book (100,000 customers, 1,000,000 orders at scale 1): target < 0.5 s.

Two figures: the whole command as its own process (Python start-up and imports included), and the part that
depends on the data, loading the facts with aggregate SQL and applying the rules, timed inside this process.

With PostgreSQL (``ctx.with_pg``), ``due_week[pg]`` runs the same command on the populated PostgreSQL database and
checks its json items against SQLite's, in order (ids included: they are built from row ids, which both backends
assign in import order). Its baseline is due_week on SQLite; no target.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from bench.common import BenchContext, BenchResult, check, diff_rows, guarded, kacrm_command, median_of

BENCH_TODAY = "2026-11-20"
REPEATS = 3
TARGET_SECONDS = 0.5


def _core_seconds(db: str, today: date) -> tuple[float, int]:
    """Median seconds of load_due_data + due_items in this process, and the number of items."""
    from kacrm.analysis.due import due_items
    from kacrm.config import Settings
    from kacrm.store.due_store import load_due_data
    from kacrm.store.engine import make_engine

    settings, end = Settings(), today + timedelta(days=6)
    engine = make_engine(db)
    times, count = [], 0
    try:
        for _ in range(REPEATS + 1):  # the first run warms the file cache
            start = time.perf_counter()
            items = due_items(load_due_data(engine, settings, today, end), settings, today, today, end)
            times.append(time.perf_counter() - start)
            count = len(items)
    finally:
        engine.dispose()
    return sorted(times[1:])[len(times[1:]) // 2], count


def due_week(ctx: BenchContext, db: Path | str) -> tuple[list[str], list[dict[str, object]]]:
    """The command, and its json items from one unmeasured run."""
    args = ("--as-of", BENCH_TODAY, "due", "--week", "--format", "json")
    return kacrm_command(*args, db=db), json.loads(check(ctx.run_kacrm(*args, db=db)[2]).stdout)


def kinds(rows: list[dict[str, object]]) -> str:
    counts = Counter(str(row["kind"]) for row in rows)
    return " ".join(f"{kind}={n:,}" for kind, n in sorted(counts.items()))


def _pg_row(ctx: BenchContext, sqlite_rows: list[dict[str, object]], sqlite_seconds: float) -> BenchResult:
    cmd, rows = due_week(ctx, ctx.populated_pg())
    seconds, peak = median_of(cmd, REPEATS, warmup=0)  # the run above warmed up
    core, _ = _core_seconds(ctx.populated_pg(), date.fromisoformat(BENCH_TODAY))
    return BenchResult("due_week[pg]", seconds, baseline_seconds=sqlite_seconds, peak_mb=peak,
                       mismatch=diff_rows(sqlite_rows, rows, key="id"),
                       note=f"{len(rows):,} items, core {core:.3f} s; baseline: due_week on SQLite; "
                            f"median of {REPEATS}")


def run(ctx: BenchContext) -> list[BenchResult]:
    db = ctx.populated_db()
    cmd, rows = due_week(ctx, db)
    seconds, peak = median_of(cmd, REPEATS)
    startup, _ = median_of(kacrm_command("--help"), REPEATS)
    core, count = _core_seconds(str(db), date.fromisoformat(BENCH_TODAY))
    results = [
        BenchResult("due_week", seconds, baseline_seconds=startup, target_seconds=TARGET_SECONDS, peak_mb=peak,
                    note=f"whole process, {len(rows):,} items ({kinds(rows)}); baseline: kacrm --help; "
                         f"median of {REPEATS}"),
        BenchResult("due_week_core", core, target_seconds=TARGET_SECONDS,
                    note=f"load_due_data + due_items in process, {count:,} items; median of {REPEATS}"),
    ]
    if ctx.with_pg:
        results.append(guarded("due_week[pg]", lambda: _pg_row(ctx, rows, seconds)))
    return results
