"""Helpers for the tests that run kacrm as real processes against a large file (crash safety, concurrency).

The data is written by hand (not with kacrm), so its row counts and money totals are known independently:
order ``i`` belongs to customer ``C{i % customers:04d}`` and is worth ``(i % 1000) + 1.50`` yuan.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
ORDER_HEADER = "order_no,customer_code,order_date,amount,quantity,product,due_date\n"


def write_customers(path: Path, n: int) -> list[str]:
    codes = [f"C{i:04d}" for i in range(n)]
    path.write_text(
        "code,name,owner\n" + "".join(f"{c},Customer {c},Owner {int(c[1:]) % 5}\n" for c in codes),
        encoding="utf-8",
    )
    return codes


def order_cents(i: int) -> int:
    return ((i % 1000) + 1) * 100 + 50


def write_orders(path: Path, n: int, customers: int) -> int:
    """``n`` orders, all paid later than any test's as-of (due 2030), so they add no collection items;
    returns their total in cents."""
    rows = (
        f"O{i:07d},C{i % customers:04d},2025-{i % 12 + 1:02d}-{i % 28 + 1:02d},{(i % 1000) + 1}.50,"
        f"{i % 7 + 1},P{i % 40:02d},2030-12-31\n"
        for i in range(n)
    )
    with path.open("w", encoding="utf-8") as fh:
        fh.write(ORDER_HEADER)
        fh.writelines(rows)
    return sum(order_cents(i) for i in range(n))


def env() -> dict[str, str]:
    """The environment of a kacrm subprocess: this checkout, and none of the user's settings."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KACRM_")}
    base["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")]))
    return base


def start(db_url: str, *args: str, out: Path) -> subprocess.Popen[bytes]:
    """``python -m kacrm --db DB ARGS`` as a process; stdout to ``out``, stderr to ``out`` + ".err"."""
    command = [sys.executable, "-m", "kacrm", "--db", db_url, *args]
    with out.open("wb") as stdout, out.with_name(out.name + ".err").open("wb") as stderr:
        return subprocess.Popen(command, env=env(), stdout=stdout, stderr=stderr, cwd=out.parent)


def finish(proc: subprocess.Popen[bytes], out: Path, timeout: float = 60) -> tuple[int, str, str]:
    """Wait for the process; (exit code, stdout, stderr)."""
    code = proc.wait(timeout=timeout)
    return (
        code,
        out.read_text(encoding="utf-8"),
        out.with_name(out.name + ".err").read_text(encoding="utf-8"),
    )


def sqlite_file(db_url: str) -> Path | None:
    url = make_url(db_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" else None


def pg_dsn(db_url: str) -> str:
    return db_url.replace("postgresql+psycopg://", "postgresql://")


def writing_orders(db_url: str, min_rows: int) -> Callable[[], bool]:
    """A probe that is true once another process is in the middle of writing orders, past its first rows:
    on SQLite, uncommitted pages in the -wal file (``min_rows`` rows take about ``min_rows * 100`` bytes);
    on PostgreSQL, a COPY into orders that has sent ``min_rows`` rows (pg_stat_progress_copy)."""
    path = sqlite_file(db_url)
    if path is not None:
        wal = path.with_name(path.name + "-wal")

        def sqlite_probe() -> bool:
            return wal.exists() and wal.stat().st_size > min_rows * 100

        return sqlite_probe
    import psycopg

    def pg_probe() -> bool:
        with psycopg.connect(pg_dsn(db_url), autocommit=True) as conn:
            row = conn.execute(
                "SELECT max(p.tuples_processed) FROM pg_stat_progress_copy p JOIN pg_class c ON c.oid = p.relid "
                "WHERE p.datname = current_database() AND c.relname = 'orders'"
            ).fetchone()
        return row[0] is not None and row[0] >= min_rows

    return pg_probe


def wait_for(
    probe: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, timeout: float = 30
) -> None:
    """Poll until ``probe`` is true while ``proc`` still runs; AssertionError when it ends or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the process ended (exit {proc.returncode}) before {what}")
        if probe():
            return
        time.sleep(0.02)
    raise AssertionError(f"no sign of {what} after {timeout} s")


def sqlite_integrity(path: Path) -> str:
    """PRAGMA integrity_check through Python's own sqlite3 (which also recovers a WAL left by a dead process)."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()
