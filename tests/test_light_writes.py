"""The writes of a salesperson's day (`log`, `customer edit`, `snooze`, `done`, `plan add|done`, `owner set`,
`customer lock|unlock`) on a current SQLite file go through the stdlib driver (kacrm.store.reader.writing, issue
19): the rows are those the ORM wrote, byte for byte (SQLite's own literal of every column: ISO dates as text,
money as integers, timestamps in SQLAlchemy's text with microseconds and no offset, the key of a record entered by
hand), and the lock, the read-only file and a wrong code behave as on the engine. Expected rows are written out
by hand."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store.engine import make_engine

runner = CliRunner()
TODAY = "2026-11-20"
STAMP = re.compile(r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6})'")  # quote() of a DateTime as stored
LOG_KEY = re.compile(r"'log-[0-9a-f]{16}'")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated book: C1 (id 1, created 2026-01-01, never contacted) with the key person 宋伟 (contact 1),
    and R1 (id 2), a customer who can refer."""
    path = tmp_path_factory.mktemp("light") / "k.db"
    engine = make_engine(str(path))
    with engine.begin() as conn:
        for code, name in (("C1", "Acme"), ("R1", "Referrer")):
            conn.execute(
                text(
                    "INSERT INTO customer (code, name, name_key, type, status, pool_locked, "
                    "created_at, updated_at) VALUES (:code, :name, lower(:name), 'business', "
                    "'active', 0, '2026-01-01 08:00:00.000000', '2026-01-01 08:00:00.000000')"
                ),
                {"code": code, "name": name},
            )
        conn.execute(
            text(
                "INSERT INTO contact (customer_id, name, birthday_has_year, lunar_birthday_leap, "
                "is_primary) VALUES (1, '宋伟', 1, 0, 1)"
            )
        )
    engine.dispose()
    return path


@pytest.fixture
def book(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copy(template, path)
    return path


def invoke(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), "--as-of", TODAY, *args], catch_exceptions=True)


def written(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def quoted(table: str, columns: str) -> str:
    """Every column as SQLite's literal of its stored value ('text', integer, NULL)."""
    return f"SELECT {', '.join(f'quote({c})' for c in columns.split())} FROM {table} ORDER BY id"


def stamped(value: str, before: datetime, after: datetime) -> bool:
    """A timestamp stored as SQLAlchemy stores a UTC DateTime on SQLite, taken while the command ran."""
    found = STAMP.fullmatch(value)
    if found is None:
        return False
    moment = datetime.fromisoformat(found.group(1)).replace(tzinfo=UTC)
    return before <= moment <= after


INTERACTION = (
    "id key customer_id contact_id happened_on kind summary outcome cost_cents resolved_on "
)
INTERACTION += "next_due import_batch_id"
TASK = "id customer_id due_on kind note item_id done_on created_at"
PLAN = "id customer_id horizon goal target_date status done_on created_at"


def test_log_writes_the_row_the_orm_wrote(book: Path) -> None:
    r = invoke(
        book,
        *("log", "C1", "call", "--note", " 季度  回顾 ", "--contact", "宋伟", "--on", "2026-11-19"),
        *("--next", "2026-12-15", "--cost", "¥1,200", "--outcome", "好"),
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "Logged call with C1 on 2026-11-19.\n"
    assert invoke(book, "log", "Acme", "拜访").exit_code == 0  # by name, the kind in Chinese
    rows = written(book, quoted("interaction", INTERACTION))
    assert [LOG_KEY.fullmatch(row[1]) is not None for row in rows] == [True, True]
    assert rows[0][1] != rows[1][1]
    assert [row[:1] + row[2:] for row in rows] == [
        (
            *("1", "1", "1", "'2026-11-19'", "'call'", "'季度 回顾'", "'好'"),
            *("120000", "NULL"),
            *("'2026-12-15'", "NULL"),
        ),
        ("2", "1", "NULL", f"'{TODAY}'", "'visit'", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"),
    ]


def test_log_refuses_an_unknown_customer_or_contact_and_writes_nothing(book: Path) -> None:
    r = invoke(book, "log", "C9", "call")
    assert r.exit_code == 1 and "C9" in r.stderr
    r = invoke(book, "log", "C1", "call", "--contact", "王五")
    assert r.exit_code == 1 and "王五" in r.stderr
    assert written(book, "SELECT count(*) FROM interaction") == [(0,)]


def test_customer_edit_writes_the_row_the_orm_wrote(book: Path) -> None:
    before = datetime.now(UTC)
    r = invoke(
        book,
        *("customer", "edit", "C1", "--name", "新 名字（集团）", "--phone", "138-0013-8000"),
        *("--credit-limit", "5,000", "--terms", "45", "--referred-by", "R1", "--status", "dormant"),
    )
    after = datetime.now(UTC)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "Updated customer C1.\n"
    columns = (
        "code name name_key phone status credit_limit_cents payment_terms_days referred_by_id "
    )
    columns += "created_at updated_at owner pool_locked"
    (row,) = written(book, quoted("customer", columns) + " LIMIT 1")
    assert row[:9] == (
        *("'C1'", "'新 名字(集团)'", "'新名字(集团)'", "'13800138000'", "'dormant'"),
        *("500000", "45", "2", "'2026-01-01 08:00:00.000000'"),
    )
    assert stamped(row[9], before, after), row[9]
    assert row[10:] == ("NULL", "0")
    # the name key follows the name even when only another field changes; '' clears the referrer
    assert invoke(book, "customer", "edit", "新名字(集团)", "--referred-by", "").exit_code == 0
    assert written(book, "SELECT name_key, referred_by_id FROM customer WHERE id = 1") == [
        ("新名字(集团)", None)
    ]


def test_customer_edit_refusals_change_nothing(book: Path) -> None:
    saved = written(book, "SELECT * FROM customer ORDER BY id")
    r = invoke(book, "customer", "edit", "C1", "--phone", "13800138000", "--referred-by", "C1")
    assert r.exit_code == 1 and "cannot refer itself" in r.stderr
    r = invoke(book, "customer", "edit", "C1", "--phone", "13800138000", "--referred-by", "X9")
    assert r.exit_code == 1 and "X9" in r.stderr
    assert invoke(book, "customer", "edit", "R1", "--uscc", "91350100M000100Y43").exit_code == 0
    r = invoke(
        book, "customer", "edit", "C1", "--uscc", "91350100M000100Y43", "--phone", "13800138000"
    )
    assert r.exit_code == 1 and "R1" in r.stderr
    assert written(book, "SELECT * FROM customer WHERE id = 1") == saved[:1]


def test_snooze_and_done_write_the_rows_the_orm_wrote(book: Path) -> None:
    item = (
        "cad-1-20260401"  # C1, created 2026-01-01 and never contacted: untiered cadence of 90 days
    )
    before = datetime.now(UTC)
    r = invoke(book, "snooze", item, "--days", "3", "--note", "on leave")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"Snoozed {item} until 2026-11-23.\n"
    # it comes back on 2026-11-23, due that day, under its id
    r = invoke(book, "--as-of", "2026-11-23", "done", item, "--note", " rang  back ")
    after = datetime.now(UTC)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"Done: {item} (call).\n"
    tasks = written(book, quoted("task", TASK))
    assert [row[:7] for row in tasks] == [
        ("1", "1", "'2026-11-23'", "'snooze'", "'on leave'", f"'{item}'", "NULL"),
        ("2", "1", "'2026-11-23'", "'done'", "'rang back'", f"'{item}'", "'2026-11-23'"),
    ]
    assert all(stamped(row[7], before, after) for row in tasks), tasks
    (logged,) = written(book, quoted("interaction", INTERACTION))
    assert LOG_KEY.fullmatch(logged[1])
    assert logged[:1] + logged[2:] == (
        *("1", "1", "NULL", "'2026-11-23'", "'call'", "'rang back'"),
        *("NULL", "NULL", "NULL", "NULL", "NULL"),
    )


def test_done_of_a_complaint_resolves_it(book: Path) -> None:
    with sqlite3.connect(book) as conn:
        conn.execute(
            "INSERT INTO interaction (key, customer_id, happened_on, kind, summary) "
            "VALUES ('k1', 1, '2026-11-10', 'complaint', 'late')"
        )
    r = invoke(book, "done", "cmp-1")
    assert r.exit_code == 0, r.stderr
    rows = written(book, quoted("interaction", "id kind summary resolved_on"))
    assert rows == [
        ("1", "'complaint'", "'late'", f"'{TODAY}'"),
        (
            "2",
            "'service'",
            "'complaint resolved: unresolved complaint of 2026-11-10: late'",
            "NULL",
        ),
    ]


def test_plan_add_and_done_write_the_rows_the_orm_wrote(book: Path) -> None:
    before = datetime.now(UTC)
    r = invoke(
        book,
        "plan",
        "add",
        "C1",
        "--horizon",
        "中期",
        "--goal",
        "进入 二期",
        "--target",
        "2027-03-31",
    )
    after = datetime.now(UTC)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "Added plan #1 for C1.\n"
    assert invoke(book, "plan", "done", "1").exit_code == 0
    (row,) = written(book, quoted("plan", PLAN))
    assert row[:7] == ("1", "1", "'mid'", "'进入 二期'", "'2027-03-31'", "'done'", f"'{TODAY}'")
    assert stamped(row[7], before, after), row[7]
    r = invoke(book, "plan", "done", "7")
    assert r.exit_code == 1 and "7" in r.stderr


def _hold_write_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE customer SET name = name")
    ready.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_log_waits_for_another_writer_and_says_so_once(book: Path) -> None:
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(book, 2.5, ready))
    holder.start()
    ready.wait()
    started = time.monotonic()
    r = invoke(book, "log", "C1", "visit")
    waited = time.monotonic() - started
    holder.join()
    assert r.exit_code == 0, r.stderr
    assert (
        r.stderr.count(f"waiting for another kacrm that is writing to {book} (at most 30 s)") == 1
    )
    assert waited >= 1.5
    assert written(book, "SELECT kind FROM interaction") == [("visit",)]


def test_owner_set_creates_then_changes_only_what_is_given(book: Path) -> None:
    before = datetime.now(UTC)
    r = invoke(book, "owner", "set", "张伟", "--email", "ZW@Example.com", "--capacity", "40")
    assert r.exit_code == 0, r.stderr
    assert invoke(book, "owner", "set", "张伟", "--capacity", "0").exit_code == 0
    after = datetime.now(UTC)
    (row,) = written(book, quoted("owner", "id name email capacity created_at updated_at"))
    assert row[:4] == ("1", "'张伟'", "'ZW@example.com'", "0")
    assert stamped(row[4], before, after) and stamped(row[5], before, after), row
    assert row[4] < row[5]  # created by the first, changed by the second
    assert invoke(book, "owner", "set", "张伟", "--email", "").exit_code == 0
    assert written(book, "SELECT email, capacity FROM owner") == [(None, 0)]


def test_customer_lock_and_unlock_write_the_flag_and_the_time(book: Path) -> None:
    before = datetime.now(UTC)
    r = invoke(book, "customer", "lock", "Acme")
    after = datetime.now(UTC)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "C1 Acme locked: it is never released to the pool\n"
    (row,) = written(book, quoted("customer", "pool_locked updated_at") + " LIMIT 1")
    assert row[0] == "1" and stamped(row[1], before, after), row
    assert invoke(book, "customer", "unlock", "C1").exit_code == 0
    assert written(book, quoted("customer", "pool_locked") + " LIMIT 1") == [("0",)]
    r = invoke(book, "customer", "lock", "C9")
    assert r.exit_code == 1 and "C9" in r.stderr
