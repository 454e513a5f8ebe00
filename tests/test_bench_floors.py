"""The benchmark floors (bench/bench_import.py, bench/bench_due.py, bench/bench_digest.py) on small data: they
must do the work they claim, since a missed target is called impossible on their word.

The expected counts are read from the files with the csv module, not from kacrm.
"""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from bench.bench_due import _floor_row
from bench.bench_import import _insert_floor
from bench.common import BenchContext
from kacrm.cli.app import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _context(tmp_path: Path) -> BenchContext:
    return BenchContext(data_dir=tmp_path, work_dir=tmp_path, scale=0.001)


def test_insert_floor_inserts_every_stored_order_into_an_empty_copy(tmp_path: Path) -> None:
    db = tmp_path / "imported.db"
    files = [str(SAMPLE / "客户资料.csv"), str(SAMPLE / "订单.csv")]
    result = CliRunner().invoke(app, ["--db", str(db), "import", *files])
    assert result.exit_code == 0, result.output
    with open(SAMPLE / "订单.csv", encoding="utf-8-sig", newline="") as fh:
        orders_in_file = sum(1 for _ in csv.DictReader(fh))

    seconds, inserted, cpu = _insert_floor(_context(tmp_path), db)

    assert inserted == orders_in_file > 0
    assert seconds > 0 and cpu > 0
    assert not list(tmp_path.glob("import_floor.db*"))  # its copy is removed
    with closing(sqlite3.connect(db)) as conn:  # the source is left as it was
        assert conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == orders_in_file


def test_due_floor_prints_exactly_the_items_it_was_given(tmp_path: Path) -> None:
    rows = [
        {
            "id": "bday-7-20261123",
            "due_on": "2026-11-20",
            "event_on": "2026-11-23",
            "kind": "birthday",
            "customer_code": "C1",
            "customer_name": "华东机电",
            "contact": "王芳",
            "reason": "生日",
            "overdue_days": 0,
        },
        {
            "id": "col-O9",
            "due_on": "2026-10-01",
            "event_on": None,
            "kind": "collection",
            "customer_code": "C2",
            "customer_name": "Acme",
            "contact": None,
            "reason": "owes 1,234.50",
            "overdue_days": 50,
        },
    ]

    result, cpu = _floor_row(_context(tmp_path), rows)

    assert result.mismatch == ""
    assert result.seconds > 0 and result.target_seconds == 0.5
    assert cpu > 0
    assert not (tmp_path / "due_floor.db").exists()


def test_digest_design_floor_replays_every_read_and_builds_the_same_digest(
    tmp_path: Path, monkeypatch
) -> None:
    """digest_design_floor counts the digest without its reads: inside the replay a second digest must read
    nothing from the database and still be the digest of the book."""
    import kacrm.app.digest as digest_app
    from bench.bench_digest import _READS, _STORE_READS, _reads_replayed
    from kacrm.app.database import open_reads
    from kacrm.config import Settings
    from kacrm.render.digest import render_json

    db = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    calls: list[str] = []

    def counted(owner: object, name: str) -> None:
        read = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, **k: calls.append(name) or read(*a, **k))

    for name in _READS:
        counted(digest_app, name)
    for name in _STORE_READS:
        counted(digest_app.store, name)
    settings, today = Settings(), date(2026, 11, 20)
    book = open_reads(str(db))
    assert book is not None
    try:
        expected = render_json(digest_app._built(book, settings, today, today, "en", False))
        read_alone = len(calls)
        with _reads_replayed() as rewind:
            first = render_json(digest_app._built(book, settings, today, today, "en", False))
            reads_of_first = len(calls) - read_alone
            rewind()
            replayed = render_json(digest_app._built(book, settings, today, today, "en", False))
    finally:
        book.close()
    assert {"load_due_data", "load_rows"} <= set(calls)  # the digest does read through these names
    assert reads_of_first == read_alone > 0
    assert len(calls) == 2 * read_alone  # the replayed digest read nothing
    assert first == replayed == expected
    assert '"due": [' in expected and len(expected) > 1000  # a digest with rows, not an empty one
