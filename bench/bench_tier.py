"""`kacrm tier` on the populated book (100,000 customers, 1,000,000 orders at scale 1).

`tier --method abc` (12-month window, revenue, the run and its 100,000 snapshots stored) against a minimal script
doing the same aggregation by hand: one SQL GROUP BY on the indexed order_date range, pandas for the cumulative
shares and the A/B/C cut. Both run as their own process, so Python start-up counts on both sides. Target: 1.5×.
RFM and CLV are timed too (no target): they read per-customer or per-day aggregates and, for CLV, fit two models.

The runs write to a copy of the populated database, so that the customer tiers other benchmarks see stay as built.

With PostgreSQL (``ctx.with_pg``), ``tier_abc[pg]`` does the same on a copy of the populated PostgreSQL database
and checks the first run's answer against SQLite's: every customer's tier, rank and value (so the counts per tier
too). Its baseline is tier_abc on SQLite; no target.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

from bench.common import (
    BenchContext,
    BenchResult,
    check,
    diff_rows,
    guarded,
    kacrm_command,
    median_of,
)

BENCH_TODAY = "2026-11-20"
WINDOW_START = "2025-11-20"  # 12 months before BENCH_TODAY: the window is (start, today]
REPEATS = 3
TARGET_RATIO = 1.5

BASELINE = """\
import sqlite3, sys
import numpy as np
import pandas as pd
db, start, end = sys.argv[1:4]
with sqlite3.connect(db) as conn:
    values = pd.read_sql_query(
        "SELECT c.code, COALESCE(o.revenue, 0) AS revenue FROM customer c LEFT JOIN ("
        " SELECT customer_id, SUM(amount_cents) AS revenue FROM orders"
        " WHERE order_date > ? AND order_date <= ? GROUP BY customer_id) o ON o.customer_id = c.id",
        conn, params=(start, end))
values = values.sort_values(["revenue", "code"], ascending=[False, True])
cumulative = values["revenue"].cumsum() / values["revenue"].sum()
reached = cumulative.to_numpy()
a_end = int(np.searchsorted(reached, 0.80)) + 1
b_end = int(np.searchsorted(reached, 0.95)) + 1
tiers = np.array(["C"] * len(values), dtype=object)
tiers[:a_end], tiers[a_end:b_end] = "A", "B"
tiers[values["revenue"].to_numpy() <= 0] = "C"
print(pd.Series(tiers).value_counts().to_string())
"""


def _private_copy(ctx: BenchContext) -> Path:
    source = ctx.populated_db()
    target = ctx.work_dir / "tier.db"
    for stale in ctx.work_dir.glob("tier.db*"):
        stale.unlink()
    shutil.copyfile(source, target)
    return target


def first_abc_run(ctx: BenchContext, db: Path | str) -> list[dict[str, object]]:
    """`tier --method abc` as of BENCH_TODAY, stored (every customer's first snapshot): its json rows."""
    completed = check(
        ctx.run_kacrm("--as-of", BENCH_TODAY, "tier", "--method", "abc", "--format", "json", db=db)[
            2
        ]
    )
    return json.loads(completed.stdout)


def tier_counts(rows: list[dict[str, object]]) -> str:
    counts = Counter(str(r["tier"]) for r in rows)
    return " ".join(f"{tier}={n:,}" for tier, n in sorted(counts.items()))


def _answer(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """What must not depend on the backend: each customer's tier, rank and value (shares are floats of these)."""
    return [
        {k: r.get(k) for k in ("customer_code", "tier", "rank", "value", "previous_tier")}
        for r in rows
    ]


def _pg_row(
    ctx: BenchContext, sqlite_rows: list[dict[str, object]], sqlite_seconds: float
) -> BenchResult:
    with ctx.pg_database("tier", copy_of_populated=True) as url:
        rows = first_abc_run(ctx, url)
        seconds, peak = median_of(kacrm_command("--as-of", BENCH_TODAY, "tier", db=url), REPEATS)
    return BenchResult(
        "tier_abc[pg]",
        seconds,
        baseline_seconds=sqlite_seconds,
        peak_mb=peak,
        mismatch=diff_rows(_answer(sqlite_rows), _answer(rows), key="customer_code"),
        note=f"{tier_counts(rows)}; baseline: tier_abc on SQLite; median of {REPEATS}",
    )


def run(ctx: BenchContext) -> list[BenchResult]:
    db = _private_copy(ctx)
    baseline_cmd = [sys.executable, "-c", BASELINE, str(db), WINDOW_START, BENCH_TODAY]
    first = first_abc_run(ctx, db)  # the first run stores all
    baseline, baseline_peak = median_of(baseline_cmd, REPEATS)
    results = []
    for name, args in (
        ("tier_abc", ()),
        ("tier_rfm", ("--method", "rfm")),
        ("tier_clv", ("--method", "clv")),
    ):
        seconds, peak = median_of(
            kacrm_command("--as-of", BENCH_TODAY, "tier", *args, db=db), REPEATS
        )
        results.append(
            BenchResult(
                name,
                seconds,
                baseline_seconds=baseline,
                target_ratio=TARGET_RATIO if name == "tier_abc" else None,
                peak_mb=peak,
                note=(f"{tier_counts(first)}; " if name == "tier_abc" else "")
                + f"run and snapshots stored; baseline: GROUP BY + pandas script "
                f"(peak {baseline_peak or 0:.0f} MB); median of {REPEATS}",
            )
        )
    if ctx.with_pg:
        results.append(guarded("tier_abc[pg]", lambda: _pg_row(ctx, first, results[0].seconds)))
    return results
