"""Every file kacrm writes that holds personal data is readable by its owner only (0600), whatever the umask,
and also when it replaces a world-readable file of the same name (SPEC §2: birthdays, hobbies, family dates).

Already covered elsewhere: a new database file (test_engine), new `export` files (test_export), new `report`
HTML/XLSX files (test_cli_report), a new `digest --output` file (test_cli_digest). Here: SQLite's -wal and -shm
files, `due --ics`, `import --rejects`, and every writer replacing an existing 0644 file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from kacrm.store.engine import make_engine

AS_OF = "2026-03-02"
CUSTOMERS = (
    "code,name,phone,contact_name,mobile,birthday,hobbies\n"
    "P001,Private Trading,021-5555 0101,Liu Min,13800138000,1975-03-04,golf\n"
    "P002,Quiet Industries,021-5555 0202,Zhao Lei,13900139000,1980-03-06,tea\n"
)
# P001's order is overdue on AS_OF (terms default 30 days), so `due` has a collection item besides the birthdays.
ORDERS = "order_no,customer_code,order_date,amount\nSO-1,P001,2026-01-05,1000\nSO-2,P002,2026-02-27,2000\n"
BAD_ORDERS = (
    "order_no,customer_code,order_date,amount\nSO-3,P001,2026-02-01,100\nSO-4,NOBODY,2026-02-01,1\n"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The common default umask (files 0644), so that 0600 can only come from kacrm itself."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def book(run, tmp_path: Path):
    """Two customers with key persons (mobile, birthday, hobbies) and orders; ``run`` bound to that database."""
    customers, orders = tmp_path / "customers.csv", tmp_path / "orders.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    result = run("import", str(customers), str(orders))
    assert result.exit_code == 0, result.stderr
    return run


def world_readable(path: Path, content: str = "old public content\n") -> Path:
    path.write_text(content, encoding="utf-8")
    path.chmod(0o644)
    assert mode(path) == 0o644
    return path


def test_sqlite_wal_and_shm_files_are_private_too(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    engine = make_engine(path)
    try:
        with engine.begin() as conn:  # a write, so that SQLite creates the -wal and -shm files
            conn.execute(
                text(
                    "INSERT INTO customer (code, name, type, status, tier_pinned, created_at, updated_at) "
                    "VALUES ('X1', 'Xu', 'business', 'active', 0, '2026-01-01', '2026-01-01')"
                )
            )
        with engine.connect() as conn:  # open, so that the files are still there to look at
            assert conn.execute(text("SELECT name FROM customer")).scalar_one() == "Xu"
            for name in ("k.db", "k.db-wal", "k.db-shm"):
                assert (tmp_path / name).exists(), name
                assert mode(tmp_path / name) == 0o600, name
    finally:
        engine.dispose()


def test_due_ics_file_is_private(book, tmp_path: Path) -> None:
    path = tmp_path / "due.ics"
    result = book("--as-of", AS_OF, "due", "--week", "--ics", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = path.read_text(encoding="utf-8")
    assert "Liu Min" in body  # a key person's birthday: personal data
    assert mode(path) == 0o600


def test_import_rejects_file_is_private(book, tmp_path: Path) -> None:
    source, rejects = tmp_path / "bad.csv", tmp_path / "rejects.csv"
    source.write_text(BAD_ORDERS, encoding="utf-8")
    result = book("import", str(source), "--rejects", str(rejects))
    assert result.exit_code == 3, result.stderr
    assert "NOBODY" in rejects.read_text(encoding="utf-8-sig")
    assert mode(rejects) == 0o600


WRITERS = {
    # name: (suffix, the command after the global options, with {path} for the output file)
    "export": (".csv", ["export", "customers", "--output", "{path}"]),
    "report_html": (".html", ["report", "--format", "html", "--output", "{path}"]),
    "report_xlsx": (".xlsx", ["report", "--format", "xlsx", "--output", "{path}"]),
    "digest": (".md", ["digest", "--format", "md", "--output", "{path}"]),
    "due_ics": (".ics", ["due", "--week", "--ics", "{path}", "--format", "json"]),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_writer_replacing_a_world_readable_file_makes_it_private(
    book, tmp_path: Path, writer: str
) -> None:
    suffix, command = WRITERS[writer]
    path = world_readable(tmp_path / f"out{suffix}")
    result = book("--as-of", AS_OF, *(part.format(path=path) for part in command))
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() != b"old public content\n"  # really rewritten
    assert mode(path) == 0o600


def test_rejects_file_replacing_a_world_readable_file_makes_it_private(
    book, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(BAD_ORDERS, encoding="utf-8")
    rejects = world_readable(tmp_path / "rejects.csv")
    result = book("import", str(source), "--on-error", "skip", "--rejects", str(rejects))
    assert result.exit_code == 0, result.stderr
    assert "NOBODY" in rejects.read_text(encoding="utf-8-sig")
    assert mode(rejects) == 0o600
