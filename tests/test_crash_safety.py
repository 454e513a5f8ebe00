"""An import killed (SIGKILL) in the middle of writing a large file leaves the database intact and without any
part of that file, on SQLite and PostgreSQL; running the import again then completes it.

The import is a real ``python -m kacrm`` process; it is killed once it is seen writing orders (uncommitted pages
in SQLite's -wal file, or a COPY into orders under way on PostgreSQL), not after some fixed time.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from big_book import (
    finish,
    sqlite_file,
    sqlite_integrity,
    start,
    wait_for,
    write_customers,
    write_orders,
    writing_orders,
)
from sqlalchemy import Engine, inspect, text

pytestmark = pytest.mark.slow

CUSTOMERS = 200
ORDERS = 200_000
ALREADY = (
    1_000  # the first orders of the big file, imported before it (unchanged when it is imported)
)


def state(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        orders, cents = conn.execute(
            text("SELECT count(*), coalesce(sum(amount_cents), 0) FROM orders")
        ).one()
        batches = conn.execute(
            text("SELECT file_name, rows_read, inserted, unchanged FROM import_batch ORDER BY id")
        ).all()
        indexes = sorted(i["name"] for i in inspect(conn).get_indexes("orders"))
    return {
        "orders": orders,
        "cents": int(cents),
        "batches": [tuple(b) for b in batches],
        "indexes": indexes,
    }


def test_killed_import_leaves_the_database_intact_and_a_rerun_completes(
    run, db_url: str, engine: Engine, tmp_path: Path
) -> None:
    customers, small, big = tmp_path / "customers.csv", tmp_path / "small.csv", tmp_path / "big.csv"
    write_customers(customers, CUSTOMERS)
    small_cents = write_orders(small, ALREADY, CUSTOMERS)
    big_cents = write_orders(big, ORDERS, CUSTOMERS)
    result = run("import", str(customers), str(small))
    assert result.exit_code == 0, result.stderr
    before = state(engine)
    engine.dispose()
    assert before["orders"] == ALREADY and before["cents"] == small_cents
    assert before["indexes"], "orders should have indexes (the bulk insert drops and rebuilds them)"
    db_file = sqlite_file(db_url)
    if (
        db_file is not None
    ):  # start from an empty -wal file, so that its growth is the killed import's own
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(db_file)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    proc = start(db_url, "import", str(big), "--format", "json", out=tmp_path / "killed.out")
    try:
        wait_for(writing_orders(db_url, min_rows=30_000), proc, "the import writing orders")
    finally:
        proc.send_signal(
            signal.SIGKILL
        )  # os.kill, unless the process has ended (and its pid may be reused)
    assert proc.wait(timeout=30) == -signal.SIGKILL

    if db_file is not None:
        wal = db_file.with_name(db_file.name + "-wal")
        assert (
            wal.stat().st_size > 3_000_000
        )  # the dead import's uncommitted pages are there, and ignored
        assert sqlite_integrity(db_file) == "ok"
    assert (
        state(engine) == before
    )  # no order, no import_batch row, no dropped index of the killed import
    engine.dispose()

    proc = start(db_url, "import", str(big), "--format", "json", out=tmp_path / "rerun.out")
    code, out, err = finish(proc, tmp_path / "rerun.out", timeout=120)
    assert code == 0, err
    [summary] = json.loads(out)
    assert (summary["rows_read"], summary["inserted"], summary["unchanged"]) == (
        ORDERS,
        ORDERS - ALREADY,
        ALREADY,
    )
    after = state(engine)
    assert after["orders"] == ORDERS and after["cents"] == big_cents
    assert after["indexes"] == before["indexes"]
    assert after["batches"] == [*before["batches"], (str(big), ORDERS, ORDERS - ALREADY, ALREADY)]
    if db_file is not None:
        engine.dispose()
        assert sqlite_integrity(db_file) == "ok"
