"""`kacrm due --week` on the populated book (100,000 customers, 1,000,000 orders at scale 1): target < 0.5 s.

Two figures: the whole command as its own process (Python start-up and imports included), and the part that
depends on the data, loading the facts with aggregate SQL and applying the rules, timed inside this process.
Two more, without a target: one salesperson's list (`due --week --owner`, the owner with the most customers; its
items must be the whole list's items of that owner's customers), and `done ID` on items of that list (each run
marks a different item done, on a copy of the book).

``due_week_floor`` is what the whole list's size alone costs: the items of kacrm's answer, already computed and
stored one per row in a table of their own, read by a bare Python script (sqlite3 and json, no kacrm, no rule
applied) and printed as the same json. When that is over the target, no program in Python that prints this list
meets it, however its facts are stored.

With PostgreSQL (``ctx.with_pg``), ``due_week[pg]`` runs the same command on the populated PostgreSQL database and
checks its json items against SQLite's, in order (ids included: they are built from row ids, which both backends
assign in import order). Its baseline is due_week on SQLite; no target.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from bench.common import (
    BenchContext,
    BenchResult,
    check,
    diff_rows,
    guarded,
    kacrm_command,
    measure,
    median_of,
)

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
            items = due_items(
                load_due_data(engine, settings, today, end), settings, today, today, end
            )
            times.append(time.perf_counter() - start)
            count = len(items)
    finally:
        engine.dispose()
    return sorted(times[1:])[len(times[1:]) // 2], count


FLOOR = """\
import json, sqlite3, sys
with sqlite3.connect(sys.argv[1]) as conn:
    cursor = conn.execute("SELECT * FROM item ORDER BY position")
    names = [d[0] for d in cursor.description][1:]
    rows = [dict(zip(names, row[1:])) for row in cursor]
sys.stdout.write(json.dumps(rows, ensure_ascii=False))
"""


def _floor_row(ctx: BenchContext, rows: list[dict[str, object]]) -> BenchResult:
    """The FLOOR script over a table holding ``rows`` (the answer of due_week), timed as its own process."""
    db = ctx.work_dir / "due_floor.db"
    db.unlink(missing_ok=True)
    keys = list(rows[0]) if rows else ["id"]
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(f"CREATE TABLE item (position INTEGER PRIMARY KEY, {', '.join(keys)})")
        conn.executemany(
            f"INSERT INTO item VALUES (?, {', '.join('?' * len(keys))})",
            [(n, *(row[k] for k in keys)) for n, row in enumerate(rows)],
        )
        conn.commit()
    try:
        command = [sys.executable, "-c", FLOOR, str(db)]
        printed = json.loads(check(measure(command)[2]).stdout)
        seconds, peak = median_of(command, REPEATS)
    finally:
        db.unlink(missing_ok=True)
    return BenchResult(
        "due_week_floor",
        seconds,
        target_seconds=TARGET_SECONDS,
        peak_mb=peak,
        mismatch="" if printed == rows else "the floor script printed another list",
        note=f"the {len(rows):,} items of due_week, precomputed, read and printed as json by a "
        f"bare script; median of {REPEATS}",
    )


def due_week(ctx: BenchContext, db: Path | str) -> tuple[list[str], list[dict[str, object]]]:
    """The command, and its json items from one unmeasured run."""
    args = ("--as-of", BENCH_TODAY, "due", "--week", "--format", "json")
    return kacrm_command(*args, db=db), json.loads(check(ctx.run_kacrm(*args, db=db)[2]).stdout)


def kinds(rows: list[dict[str, object]]) -> str:
    counts = Counter(str(row["kind"]) for row in rows)
    return " ".join(f"{kind}={n:,}" for kind, n in sorted(counts.items()))


def _pg_row(
    ctx: BenchContext, sqlite_rows: list[dict[str, object]], sqlite_seconds: float
) -> BenchResult:
    cmd, rows = due_week(ctx, ctx.populated_pg())
    seconds, peak = median_of(cmd, REPEATS, warmup=0)  # the run above warmed up
    core, _ = _core_seconds(ctx.populated_pg(), date.fromisoformat(BENCH_TODAY))
    return BenchResult(
        "due_week[pg]",
        seconds,
        baseline_seconds=sqlite_seconds,
        peak_mb=peak,
        mismatch=diff_rows(sqlite_rows, rows, key="id"),
        note=f"{len(rows):,} items, core {core:.3f} s; baseline: due_week on SQLite; "
        f"median of {REPEATS}",
    )


def _busiest_owner(db: Path) -> tuple[str, dict[str, str]]:
    """The owner with the most customers, and every customer's owner by code (read with sqlite3, not kacrm)."""
    with sqlite3.connect(db) as conn:
        owners = dict(conn.execute("SELECT code, owner FROM customer"))
    counts = Counter(owner for owner in owners.values() if owner)
    return max(sorted(counts), key=counts.__getitem__), owners


def _owner_rows(ctx: BenchContext, db: Path, whole: list[dict[str, object]]) -> list[BenchResult]:
    owner, owners = _busiest_owner(db)
    args = ("--as-of", BENCH_TODAY, "due", "--week", "--owner", owner, "--format", "json")
    rows = json.loads(check(ctx.run_kacrm(*args, db=db)[2]).stdout)
    seconds, peak = median_of(kacrm_command(*args, db=db), REPEATS)
    expected = [row for row in whole if owners[str(row["customer_code"])] == owner]
    customers = sum(1 for o in owners.values() if o == owner)
    listed = BenchResult(
        "due_week_owner",
        seconds,
        peak_mb=peak,
        mismatch=diff_rows(expected, rows, key="id"),
        note=f"due --week --owner {owner} ({customers:,} customers, {len(rows):,} items; the whole "
        f"list's items of those customers: {len(expected):,}); median of {REPEATS}",
    )
    copy = ctx.work_dir / "due_done.db"
    shutil.copyfile(db, copy)
    times, peaks = [], []
    for row in rows[: REPEATS + 1]:  # the first one warms up
        spent, used, completed = measure(
            kacrm_command("--as-of", BENCH_TODAY, "done", str(row["id"]), db=copy)
        )
        check(completed)
        times.append(spent)
        peaks.append(used or 0)
    copy.unlink()
    done = BenchResult(
        "done_item",
        statistics.median(times[1:]),
        peak_mb=max(peaks),
        note=f"kacrm done ID on {len(times) - 1} items of that list (kinds "
        f"{', '.join(sorted({str(r['kind']) for r in rows[1 : len(times)]}))}); median",
    )
    return [listed, done]


def run(ctx: BenchContext) -> list[BenchResult]:
    db = ctx.populated_db()
    cmd, rows = due_week(ctx, db)
    seconds, peak = median_of(cmd, REPEATS)
    startup, _ = median_of(kacrm_command("--help"), REPEATS)
    core, count = _core_seconds(str(db), date.fromisoformat(BENCH_TODAY))
    results = [
        BenchResult(
            "due_week",
            seconds,
            baseline_seconds=startup,
            target_seconds=TARGET_SECONDS,
            peak_mb=peak,
            note=f"whole process, {len(rows):,} items ({kinds(rows)}); baseline: kacrm --help; "
            f"median of {REPEATS}",
        ),
        BenchResult(
            "due_week_core",
            core,
            target_seconds=TARGET_SECONDS,
            note=f"load_due_data + due_items in process, {count:,} items; median of {REPEATS}",
        ),
    ]
    results.append(guarded("due_week_floor", lambda: _floor_row(ctx, rows)))
    results += _owner_rows(ctx, db, rows)
    if ctx.with_pg:
        results.append(guarded("due_week[pg]", lambda: _pg_row(ctx, rows, seconds)))
    return results
