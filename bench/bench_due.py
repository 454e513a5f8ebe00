"""`kacrm due --week` on the populated book (100,000 customers, 1,000,000 orders at scale 1): target < 0.5 s.

Two figures: the whole command as its own process (Python start-up and imports included), and the part that
depends on the data, loading the facts with aggregate SQL and applying the rules, timed inside this process.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

from bench.common import BenchContext, BenchResult, check, kacrm_command, median_of

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


def run(ctx: BenchContext) -> list[BenchResult]:
    db = ctx.populated_db()
    cmd = kacrm_command("--as-of", BENCH_TODAY, "due", "--week", "--format", "json", db=db)
    rows = json.loads(check(ctx.run_kacrm("--as-of", BENCH_TODAY, "due", "--week", "--format", "json", db=db)[2])
                      .stdout)
    seconds, peak = median_of(cmd, REPEATS)
    startup, _ = median_of(kacrm_command("--help"), REPEATS)
    core, count = _core_seconds(str(db), date.fromisoformat(BENCH_TODAY))
    return [
        BenchResult("due_week", seconds, baseline_seconds=startup, target_seconds=TARGET_SECONDS, peak_mb=peak,
                    note=f"whole process, {len(rows):,} items; baseline: kacrm --help; median of {REPEATS}"),
        BenchResult("due_week_core", core, target_seconds=TARGET_SECONDS,
                    note=f"load_due_data + due_items in process, {count:,} items; median of {REPEATS}"),
    ]
