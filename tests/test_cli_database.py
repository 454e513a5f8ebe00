"""The database a command opens (SPEC §2): a missing one is refused, not created; `kacrm init`; a locked one says
that it waits; a read-only one can be read and a write names the file. Real files, a real second writer."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store import engine as engine_module
from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine

runner = CliRunner()

# Every command that reads or changes an existing book (none of them may create one).
READERS = [
    ["due", "--week"],
    ["done", "cadence-KH0001-2026-11-20"],
    ["customer", "list"],
    ["customer", "show", "KH0001"],
    ["customer", "edit", "KH0001", "--region", "华南"],
    ["log", "KH0001", "visit", "--note", "x"],
    ["tier"],
    ["credit", "review"],
    ["credit", "aging"],
    ["report"],
    ["digest", "--dry-run"],
    ["export", "customers", "-o", "out.csv"],
]


def invoke(db: Path | str, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["--db", str(db), *args], env=env, catch_exceptions=True)


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a[:2]))
def test_a_missing_database_is_refused_and_nothing_is_created(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "typo" / "kacrm.db"
    r = invoke(db, *args)
    assert r.exit_code == 1, r.output
    assert f"no database at {db}; create one with kacrm init or kacrm import" in r.stderr
    assert "Traceback" not in r.output
    assert list(tmp_path.iterdir()) == []  # no directory, no file, no export


def test_a_missing_file_in_an_existing_directory_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "kacrm.db"
    r = invoke(db, "customer", "list")
    assert r.exit_code == 1
    assert not db.exists()
    r = invoke(db, "--lang", "zh", "due")
    assert r.exit_code == 1
    assert f"{db} 处没有数据库" in r.stderr
    assert not db.exists()


def test_kacrm_db_env_typo_is_refused_too(tmp_path: Path) -> None:
    db = tmp_path / "kacrn.db"
    r = runner.invoke(app, ["due"], env={"KACRM_DB": str(db)})
    assert r.exit_code == 1
    assert f"no database at {db}" in r.stderr
    assert not db.exists()


def test_init_creates_an_empty_private_database_once(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    r = invoke(db, "init")
    assert r.exit_code == 0, r.stderr
    assert f"Created the database {db}" in r.stderr
    assert (db.stat().st_mode & 0o777) == 0o600
    engine = make_engine(db, create=False)
    assert current_revision(engine) == SCHEMA_HEAD
    engine.dispose()
    r = invoke(db, "init")
    assert r.exit_code == 0
    assert "already exists" in r.stderr
    r = invoke(db, "customer", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_init_creates_missing_directories_and_says_so(tmp_path: Path) -> None:
    """`kacrm --db ~/kacrm/book.db init` (the README's example) on a machine without ~/kacrm: init is told to
    create, so it makes the directories, names the outermost one, and the file is private."""
    db = tmp_path / "no" / "such" / "book.db"
    r = invoke(db, "init")
    assert r.exit_code == 0, r.output
    assert f"Created the directory {tmp_path / 'no'}." in r.stderr
    assert f"Created the database {db}." in r.stderr
    assert db.is_file() and (db.stat().st_mode & 0o777) == 0o600
    assert invoke(db, "due", "--format", "json").exit_code == 0


def test_other_commands_do_not_create_missing_directories(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "book.db"
    (tmp_path / "c.csv").write_text("code,name\nC1,A\n", encoding="utf-8")
    for args in (["import", str(tmp_path / "c.csv")], ["customer", "add", "C2", "B"]):
        r = invoke(db, *args)
        assert r.exit_code == 1, (args, r.output)
        assert f"there is no directory {db.parent}" in r.stderr
    assert not (tmp_path / "no").exists()


def test_the_default_data_directory_is_created(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "KACRM_DB": ""}
    r = runner.invoke(app, ["init"], env=env)
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "data" / "kacrm" / "kacrm.db").is_file()


@pytest.mark.parametrize(
    "args",
    [["customer", "add", "KH0001", "华南电子"], ["init"]],
    ids=["customer add", "init"],
)
def test_the_creating_commands_make_a_new_database(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "new.db"
    r = invoke(db, *args)
    assert r.exit_code == 0, r.stderr
    assert db.is_file()


def test_import_creates_a_new_database(tmp_path: Path) -> None:
    src = tmp_path / "customers.csv"
    src.write_text("客户编号,客户名称\nKH0001,华南电子\n", encoding="utf-8")
    db = tmp_path / "new.db"
    r = invoke(db, "import", str(src))
    assert r.exit_code == 0, r.stderr
    r = invoke(db, "customer", "list", "--format", "json")
    assert '"KH0001"' in r.stdout


def test_a_failed_first_import_leaves_no_database(tmp_path: Path) -> None:
    """A rejected import into a new path creates nothing: an empty file left behind would let every later command
    answer from an empty book instead of saying that there is none."""
    src = tmp_path / "orders.csv"
    src.write_text(
        "order_no,customer_code,order_date,amount\nA1,NOPE,2024-01-05,10\n", encoding="utf-8"
    )
    db = tmp_path / "new.db"
    r = invoke(db, "import", str(src))
    assert r.exit_code == 3, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]
    r = invoke(db, "due", "--week")
    assert r.exit_code == 1 and "no database at" in r.stderr


def test_a_failed_command_removes_only_a_new_and_empty_database(tmp_path: Path) -> None:
    """A refused `customer add` on a new path leaves nothing; a failure on an existing book removes nothing; and
    a new file that holds rows (an import of several files commits each one) is never removed."""
    db = tmp_path / "new.db"
    assert invoke(db, "customer", "add", "KH0002", "华北电子", "--uscc", "bad").exit_code == 2
    assert not db.exists()
    customers = tmp_path / "customers.csv"
    customers.write_text("客户编号,客户名称\nKH0001,华南电子\n", encoding="utf-8")
    assert invoke(db, "import", str(customers)).exit_code == 0
    r = invoke(db, "customer", "add", "KH0001", "again")
    assert r.exit_code == 1 and db.is_file()
    assert '"KH0001"' in invoke(db, "customer", "list", "--format", "json").stdout

    from kacrm.app.database import discard_new_file

    discard_new_file(db)  # as if this command had created it: it holds a customer, so it stays
    assert db.is_file()
    empty = tmp_path / "empty.db"
    assert invoke(empty, "init").exit_code == 0
    discard_new_file(empty)
    assert not empty.exists()


def _hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    """A second writer (its own SQLite connection) holding the write lock for ``seconds``."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE customer SET name = name")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def _book(tmp_path: Path) -> Path:
    db = tmp_path / "k.db"
    assert invoke(db, "customer", "add", "KH0001", "华南电子").exit_code == 0
    return db


def test_a_locked_database_says_after_a_second_that_it_waits_then_writes(tmp_path: Path) -> None:
    db = _book(tmp_path)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, 2.5, ready))
    holder.start()
    ready.wait()
    started = time.monotonic()
    r = invoke(db, "customer", "add", "KH0002", "华东机电")
    waited = time.monotonic() - started
    holder.join()
    assert r.exit_code == 0, r.stderr
    assert f"waiting for another kacrm that is writing to {db} (at most 30 s)" in r.stderr
    assert waited >= 1.5  # it did wait for the other writer (2.5 s minus start-up)
    r = invoke(db, "customer", "list", "--format", "json")
    assert '"KH0002"' in r.stdout


def test_a_lock_that_outlasts_the_wait_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _book(tmp_path)
    monkeypatch.setattr(engine_module, "LOCK_WAIT_SECONDS", 1.5)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, 4.0, ready))
    holder.start()
    ready.wait()
    r = invoke(db, "customer", "add", "KH0002", "华东机电")
    holder.join()
    assert r.exit_code == 1
    assert f"the database {db} is still locked by another kacrm after 2 s" in r.stderr
    assert "Traceback" not in r.output


def test_a_quick_write_says_nothing_about_waiting(tmp_path: Path) -> None:
    db = _book(tmp_path)
    r = invoke(db, "customer", "add", "KH0002", "华东机电")
    assert r.exit_code == 0
    assert "waiting" not in r.stderr


def test_a_slow_statement_of_our_own_write_transaction_is_no_lock_wait(tmp_path: Path) -> None:
    """A statement that takes seconds after this transaction has written (a big insert or scan: it holds the
    write lock itself) must not claim to wait for another kacrm; the same statement on its own, with another
    writer holding the lock, still says so (the test above)."""
    db = _book(tmp_path)
    said: list[tuple[Path, int]] = []
    engine = make_engine(str(db), on_lock_wait=lambda path, seconds: said.append((path, seconds)))
    slow = (
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 8000000) "
        "SELECT count(*) FROM c"
    )
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE customer SET name = name"
            )  # this transaction now holds the lock
            started = time.monotonic()
            assert conn.exec_driver_sql(slow).scalar_one() == 8_000_000
            took = time.monotonic() - started
        time.sleep(0.3)  # the watcher looks every 0.2 s
    finally:
        engine.dispose()
    assert took > 1.2, f"the statement took {took:.2f} s: too quick to tell"
    assert said == []


@pytest.fixture
def read_only_book(tmp_path: Path):
    """A book whose file this process cannot write: mode 0400, and immutable as well when running as root
    (root ignores file modes; chattr +i binds root too)."""
    db = _book(tmp_path)
    assert (
        invoke(db, "log", "KH0001", "visit", "--note", "首次拜访", "--on", "2026-11-01").exit_code
        == 0
    )
    db.chmod(0o400)
    immutable = False
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no way to make a file read-only")
        done = subprocess.run(["chattr", "+i", str(db)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i not supported here: {done.stderr.decode().strip()}")
        immutable = True
    assert not os.access(db, os.W_OK)
    yield db
    if immutable:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    db.chmod(0o600)


def test_a_read_only_database_can_be_read(read_only_book: Path) -> None:
    r = invoke(read_only_book, "customer", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert '"KH0001"' in r.stdout
    r = invoke(read_only_book, "customer", "show", "KH0001", "-f", "json", "--as-of", "2026-11-20")
    assert r.exit_code == 0, r.stderr
    assert (
        '"last_contact_on": "2026-11-01"' in r.stdout
    )  # the visit logged before the file was locked
    # the read commands open it through the stdlib driver (mode=ro): the due list and the pool as well
    r = invoke(read_only_book, "--as-of", "2026-11-20", "due", "--days", "90", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert '"customer_code": "KH0001"' in r.stdout
    r = invoke(read_only_book, "--as-of", "2026-11-20", "pool", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert '"customer_code": "KH0001"' in r.stdout and '"status": "pooled"' in r.stdout  # no owner


def test_a_write_to_a_read_only_database_names_the_file(read_only_book: Path) -> None:
    r = invoke(read_only_book, "customer", "add", "KH0002", "华东机电")
    assert r.exit_code == 1
    assert f"cannot write to the database {read_only_book}: the file is read-only" in r.stderr
    r = invoke(read_only_book, "--lang", "zh", "customer", "add", "KH0002", "华东机电")
    assert f"无法写入数据库 {read_only_book}：文件为只读" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("log", "KH0001", "call"),
        ("customer", "edit", "KH0001", "--region", "华南"),
        ("plan", "add", "KH0001", "--horizon", "mid", "--goal", "x"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_daily_write_to_a_read_only_database_names_the_file(
    read_only_book: Path, args: tuple[str, ...]
) -> None:
    # these write a current file through the stdlib driver (kacrm.store.reader.writing): the engine's message
    r = invoke(read_only_book, *args)
    assert r.exit_code == 1
    assert (
        r.stderr == f"Error: cannot write to the database {read_only_book}: the file is read-only\n"
    )
    r = invoke(read_only_book, "--lang", "zh", *args)
    assert r.stderr == f"错误：无法写入数据库 {read_only_book}：文件为只读\n"
