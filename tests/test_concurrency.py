"""Reads (`customer list`, `due --week`) run as their own processes while another process writes: an import of a
large file (SQLite), or a digest (SQLite and PostgreSQL). They succeed, with nothing on stderr and valid JSON
that shows one consistent state of the database: all of the import or none of it. On SQLite this rests on WAL
(readers never wait for the writer) and the busy timeout (a reader that meets a checkpoint waits, not fails).

Two digests at once are in test_cli_digest.py (test_two_processes_at_once_send_one_email).
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from big_book import (
    finish,
    pg_dsn,
    sqlite_file,
    start,
    wait_for,
    write_customers,
    write_orders,
    writing_orders,
)
from typer.testing import CliRunner

from kacrm.cli.app import app

pytestmark = pytest.mark.slow

AS_OF = "2026-01-10"
CUSTOMERS = 200
DUE_KEYS = {
    "id",
    "due_on",
    "event_on",
    "kind",
    "customer_code",
    "customer_name",
    "contact",
    "reason",
    "overdue_days",
    "action",
}
READS = {
    "customers": ("--as-of", AS_OF, "customer", "list", "--format", "json"),
    "due": ("--as-of", AS_OF, "due", "--week", "--format", "json"),
}


def reads_during(
    writer: subprocess.Popen[bytes], db_url: str, tmp_path: Path, max_rounds: int = 4
) -> list[dict[str, object]]:
    """Run the reads side by side, again and again while ``writer`` runs (at least once, at most ``max_rounds``
    times); each round's parsed JSON, after checking that every read exited 0 with nothing on stderr."""
    rounds: list[dict[str, object]] = []
    while not rounds or (writer.poll() is None and len(rounds) < max_rounds):
        tag = f"round{len(rounds)}"
        procs = {
            name: start(db_url, *args, out=tmp_path / f"{tag}-{name}.out")
            for name, args in READS.items()
        }
        parsed = {}
        for name, proc in procs.items():
            code, stdout, stderr = finish(proc, tmp_path / f"{tag}-{name}.out")
            assert code == 0, f"{tag} {name}: exit {code}: {stderr}"
            assert stderr == "", f"{tag} {name}: {stderr}"
            parsed[name] = json.loads(stdout)
        rounds.append(parsed)
    return rounds


def check_due(items: list[dict], codes: set[str]) -> None:
    assert isinstance(items, list)
    for item in items:
        assert set(item) == DUE_KEYS
        assert item["customer_code"] in codes


def test_reads_while_an_import_writes_see_all_of_it_or_none(
    sqlite_url: str, tmp_path: Path
) -> None:
    """SQLite only: on PostgreSQL readers never wait for a COPY (MVCC), and the large import costs seconds."""
    db_url = sqlite_url
    customers, small, big = tmp_path / "customers.csv", tmp_path / "small.csv", tmp_path / "big.csv"
    codes = set(write_customers(customers, CUSTOMERS))
    small_cents = write_orders(small, 1_000, CUSTOMERS)
    big_cents = write_orders(big, 150_000, CUSTOMERS)
    result = CliRunner().invoke(app, ["--db", db_url, "import", str(customers), str(small)])
    assert result.exit_code == 0, result.stderr

    importer = start(db_url, "import", str(big), "--format", "json", out=tmp_path / "import.out")
    try:
        wait_for(writing_orders(db_url, min_rows=10_000), importer, "the import writing orders")
        rounds = reads_during(
            importer, db_url, tmp_path
        )  # the first starts while the import holds its transaction
    finally:
        code, out, err = finish(importer, tmp_path / "import.out")
    assert code == 0, err
    assert json.loads(out)[0]["inserted"] == 150_000 - 1_000

    for outputs in rounds:
        listed = outputs["customers"]
        assert {row["customer_code"] for row in listed} == codes
        orders = sum(row["orders"] for row in listed)
        revenue = sum(Decimal(str(row["revenue"])) for row in listed)
        # one snapshot: before the import (1,000 orders) or after it (150,000), never a mixture
        assert (orders, revenue) in {
            (1_000, Decimal(small_cents) / 100),
            (150_000, Decimal(big_cents) / 100),
        }
        check_due(outputs["due"], codes)


def digest_status(db_url: str) -> list[str]:
    path = sqlite_file(db_url)
    if path is not None:
        import sqlite3

        conn = sqlite3.connect(path, timeout=30)
        try:
            return [r[0] for r in conn.execute("SELECT status FROM digest_run ORDER BY id")]
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(pg_dsn(db_url), autocommit=True) as conn:
        return [r[0] for r in conn.execute("SELECT status FROM digest_run ORDER BY id")]


def test_reads_while_a_digest_runs(run, db_url: str, tmp_path: Path) -> None:
    customers, orders = tmp_path / "customers.csv", tmp_path / "orders.csv"
    codes = set(write_customers(customers, CUSTOMERS))
    cents = write_orders(orders, 30_000, CUSTOMERS)
    result = run("import", str(customers), str(orders))
    assert result.exit_code == 0, result.stderr

    digest = start(
        db_url, "--as-of", AS_OF, "digest", "--format", "json", out=tmp_path / "digest.out"
    )
    try:
        wait_for(lambda: digest_status(db_url) == ["running"], digest, "the digest's running row")
        rounds = reads_during(digest, db_url, tmp_path)
    finally:
        code, out, err = finish(digest, tmp_path / "digest.out")
    assert code == 0, err
    assert json.loads(out)["period_end"] == AS_OF
    assert digest_status(db_url) == ["written"]

    for outputs in rounds:
        listed = outputs["customers"]
        assert {row["customer_code"] for row in listed} == codes
        assert sum(row["orders"] for row in listed) == 30_000
        assert sum(Decimal(str(row["revenue"])) for row in listed) == Decimal(cents) / 100
        check_due(outputs["due"], codes)
