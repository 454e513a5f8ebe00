"""`kacrm import` of the generated orders (1,000,000 rows at scale 1) against the sqlite3 shell's `.import`.

Targets (issue 7): the orders file imports in at most 2× the time of ``sqlite3 db ".import --csv orders.csv
orders"`` into an empty table, with a peak RSS of at most 400 MB. The import runs as its own process on a fresh
database (``kacrm import customers.csv orders.csv``); the orders figure is the file's own ``seconds`` from the json
summary (the customers file and Python start-up excluded), the whole process is reported too. A second run of the
orders file on the same database measures an unchanged re-import.

``import_insert_floor`` is what no Python importer can go below: the rows kacrm stored, already converted and in
memory, inserted into an empty copy of its orders table by a bare ``executemany`` of Python's sqlite3 module in
one transaction (the plain indexes dropped and built again after, as kacrm does; the unique order number index
kept, as the table defines it; foreign keys not checked at all, less than any importer may do). It reads no file
and checks no cell: when it alone is
over the 2× target, so is every importer built on that module.

With PostgreSQL (``ctx.with_pg``), ``import_orders[pg]`` runs the same import into a new PostgreSQL database and
checks that its summaries (rows read, inserted, updated, unchanged, rejected) are SQLite's; no target.

``import_peer_sqlite_utils`` (issue 19) sets kacrm beside what a user would otherwise pick:
``sqlite-utils insert DB orders orders.csv --csv`` into a new database, the whole process. kacrm's whole import
process (customers file and start-up included, every cell checked) must take at most a quarter of its time
(target ratio ≤ 0.25, i.e. kacrm ≥ 4× faster). The row fails, saying so, where sqlite-utils is not installed.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

from bench.common import (
    BenchContext,
    BenchError,
    BenchResult,
    check,
    diff_rows,
    guarded,
    kacrm_command,
    measure,
    measure_cpu,
)

TARGET_RATIO = 2.0
TARGET_PEAK_MB = 400.0
PEER_TARGET = 0.25  # kacrm at least 4x faster than sqlite-utils


def _baseline(ctx: BenchContext) -> float:
    """Seconds of the sqlite3 shell importing orders.csv into a new table of a new database."""
    db = ctx.work_dir / "baseline_import.db"
    db.unlink(missing_ok=True)
    seconds, _, completed = measure(
        ["sqlite3", str(db), f".import --csv {ctx.data_file('orders')} orders"]
    )
    check(completed)
    db.unlink(missing_ok=True)
    return seconds


INSERT_FLOOR = """\
import sqlite3, sys, time
source, target = sys.argv[1:3]
with sqlite3.connect(source) as conn:
    columns = [r[1] for r in conn.execute("PRAGMA table_info(orders)") if r[1] != "id"]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM orders ORDER BY id").fetchall()
conn = sqlite3.connect(target, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=NORMAL")
conn.execute("PRAGMA foreign_keys=OFF")
start, cpu = time.perf_counter(), time.process_time()
conn.execute("BEGIN")
plain = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' "
                     "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'").fetchall()
for name, _ in plain:
    conn.execute(f'DROP INDEX "{name}"')
conn.executemany(f"INSERT INTO orders ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
for _, sql in plain:
    conn.execute(sql)
conn.execute("COMMIT")
print(time.perf_counter() - start, len(rows), time.process_time() - cpu)
"""


def _insert_floor(ctx: BenchContext, imported: Path) -> tuple[float, int, float]:
    """Seconds of INSERT_FLOOR into an empty copy of ``imported`` (customers kept), the rows inserted and the CPU
    seconds of the insert."""
    import sqlite3
    from contextlib import closing

    empty = ctx.work_dir / "import_floor.db"
    for stale in ctx.work_dir.glob("import_floor.db*"):
        stale.unlink()
    with closing(
        sqlite3.connect(imported)
    ) as conn:  # fold kacrm's WAL into the file before copying it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(imported, empty)
    with closing(sqlite3.connect(empty, isolation_level=None)) as conn:
        conn.execute("DELETE FROM orders")
        conn.execute("VACUUM")
    try:
        completed = check(
            measure([sys.executable, "-c", INSERT_FLOOR, str(imported), str(empty)])[2]
        )
    finally:
        for stale in ctx.work_dir.glob("import_floor.db*"):
            stale.unlink()
    seconds, rows, cpu = completed.stdout.split()
    return float(seconds), int(rows), float(cpu)


def _floor_row(
    ctx: BenchContext, imported: Path, baseline: float | None, kacrm: tuple[float, float, float]
) -> BenchResult:
    """The floor, and kacrm's first import and re-import against it: ``kacrm`` is (import wall seconds, import
    CPU seconds, re-import CPU seconds) of the orders file alone."""
    seconds, rows, cpu = _insert_floor(ctx, imported)
    wall, first_cpu, again_cpu = kacrm
    return BenchResult(
        "import_insert_floor",
        seconds,
        baseline_seconds=baseline,
        target_ratio=TARGET_RATIO,
        note=f"{rows:,} stored rows, already in memory, by a bare sqlite3 executemany (no file, no "
        f"checks): the least any Python importer takes; CPU {cpu:.2f} s. kacrm's import of orders.csv: "
        f"{wall / seconds:.2f}× this floor in wall time, {first_cpu / cpu:.2f}× in CPU "
        f"({first_cpu:.2f} s); re-import {again_cpu / cpu:.2f}× in CPU ({again_cpu:.2f} s), "
        f"{again_cpu / first_cpu:.2f}× the import's (targets: import ≤ 1.5× the floor, re-import ≤ 1× "
        "the import)",
    )


def _own_cpu(ctx: BenchContext, db: Path, total_cpu: float | None, *before: str) -> float:
    """CPU seconds of the orders file alone in a `kacrm import` process that took ``total_cpu``: less what the
    same process spends on a header-only orders file (start-up, the customers index, ``before`` files)."""
    empty = ctx.work_dir / "orders_header.csv"
    with ctx.data_file("orders").open(encoding="utf-8") as fh:
        empty.write_text(fh.readline(), encoding="utf-8")
    _, cpu, _, completed = measure_cpu(kacrm_command("import", *before, str(empty), db=db))
    check(completed)
    return (total_cpu or math.nan) - (cpu or math.nan)


def _peer_row(ctx: BenchContext, kacrm_seconds: float, kacrm_cpu: float | None) -> BenchResult:
    """kacrm's whole import process against ``sqlite-utils insert --csv`` of the same orders file."""
    tool = shutil.which("sqlite-utils")
    if tool is None:
        raise BenchError("sqlite-utils is not installed (pip install sqlite-utils)")
    db = ctx.work_dir / "peer_sqlite_utils.db"
    db.unlink(missing_ok=True)
    seconds, cpu, peak, completed = measure_cpu(
        [tool, "insert", str(db), "orders", str(ctx.data_file("orders")), "--csv"]
    )
    check(completed)
    db.unlink(missing_ok=True)
    return BenchResult(
        "import_peer_sqlite_utils",
        kacrm_seconds,
        baseline_seconds=seconds,
        target_ratio=PEER_TARGET,
        note=f"kacrm's whole import process vs `sqlite-utils insert --csv` of orders.csv "
        f"({seconds:.1f} s, peak {peak or 0:.0f} MB, no cell checked): ratio ≤ 0.25 means kacrm ≥ 4× faster; "
        f"in CPU {(kacrm_cpu or math.nan):.1f} s vs {(cpu or math.nan):.1f} s "
        f"({(kacrm_cpu or math.nan) / (cpu or math.nan):.2f})",
    )


def _import(
    ctx: BenchContext, db: str, *files: str
) -> tuple[float, float | None, list[dict[str, object]]]:
    seconds, _, peak, summaries = _import_cpu(db, *files)
    return seconds, peak, summaries


def _import_cpu(
    db: str, *files: str
) -> tuple[float, float | None, float | None, list[dict[str, object]]]:
    """(wall seconds, CPU seconds, peak MB, summaries) of one `kacrm import FILES` process."""
    seconds, cpu, peak, completed = measure_cpu(
        kacrm_command("import", *files, "--format", "json", db=db)
    )
    return seconds, cpu, peak, json.loads(check(completed).stdout)


def _counts(summaries: list[dict[str, object]]) -> list[dict[str, object]]:
    """What an import answered, without its file path and timing."""
    return [{k: v for k, v in s.items() if k not in ("file", "seconds")} for s in summaries]


def _pg_row(
    ctx: BenchContext, sqlite_seconds: float, sqlite_summaries: list[dict[str, object]]
) -> BenchResult:
    orders, customers = str(ctx.data_file("orders")), str(ctx.data_file("customers"))
    with ctx.pg_database("import") as url:
        whole, peak, summaries = _import(ctx, url, customers, orders)
    first = summaries[-1]
    return BenchResult(
        "import_orders[pg]",
        float(first["seconds"]),
        baseline_seconds=sqlite_seconds,
        peak_mb=peak,
        mismatch=diff_rows(_counts(sqlite_summaries), _counts(summaries), key="kind"),
        note=f"{int(first['rows_read']):,} orders inserted={first['inserted']:,}, process "
        f"{whole:.1f} s; baseline: import_orders on SQLite",
    )


def run(ctx: BenchContext) -> list[BenchResult]:
    baseline = _baseline(ctx) if shutil.which("sqlite3") else None
    note = "" if baseline is not None else "no sqlite3 shell here: no baseline"
    db = ctx.work_dir / "import_bench.db"
    for stale in ctx.work_dir.glob("import_bench.db*"):
        stale.unlink()
    orders, customers = str(ctx.data_file("orders")), str(ctx.data_file("customers"))
    whole, whole_cpu, peak, summaries = _import_cpu(str(db), customers, orders)
    first = summaries[-1]
    rows = int(first["rows_read"])
    seconds = float(first["seconds"])
    again_whole, again_cpu, again_peak, again = _import_cpu(str(db), orders)
    second = again[-1]
    own_again = _own_cpu(ctx, db, again_cpu)
    scratch = ctx.work_dir / "import_cpu.db"
    for stale in ctx.work_dir.glob("import_cpu.db*"):
        stale.unlink()
    own_first = _own_cpu(ctx, scratch, whole_cpu, customers)
    rate = f"{rows / seconds:,.0f} rows/s" if seconds > 0 else ""
    results = [
        BenchResult(
            "import_orders",
            seconds,
            baseline_seconds=baseline,
            target_ratio=TARGET_RATIO,
            peak_mb=peak,
            target_peak_mb=TARGET_PEAK_MB,
            note=f"{rows:,} orders inserted={first['inserted']:,}, {rate}; baseline: sqlite3 .import {note}",
        ),
        BenchResult(
            "import_process",
            whole,
            baseline_seconds=baseline,
            peak_mb=peak,
            note="whole `kacrm import customers.csv orders.csv` process, start-up included",
        ),
        BenchResult(
            "reimport_orders",
            float(second["seconds"]),
            baseline_seconds=baseline,
            peak_mb=again_peak,
            note=f"unchanged file: unchanged={second['unchanged']:,}, process {again_whole:.1f} s"
            if not math.isnan(again_whole)
            else "",
        ),
    ]
    kacrm = (seconds, own_first, own_again)
    results.append(guarded("import_insert_floor", lambda: _floor_row(ctx, db, baseline, kacrm)))
    results.append(guarded("import_peer_sqlite_utils", lambda: _peer_row(ctx, whole, whole_cpu)))
    if ctx.with_pg:
        results.append(guarded("import_orders[pg]", lambda: _pg_row(ctx, seconds, summaries)))
    return results
