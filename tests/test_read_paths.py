"""Issue 19: the read paths of a small book start fast. What each read command imports (on a current SQLite file
`due`, `customer list/show`, `pool`, `credit`, `tier --dry-run`, `report`, `digest --dry-run`, `owner list`,
`plan list` and `schedule list` read through the stdlib driver and never import SQLAlchemy), the textual reads
giving the same values on both backends, and the schema version read by one query."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Boolean, Date, DateTime, text
from sqlalchemy.types import NullType

from kacrm.config import Settings
from kacrm.errors import NotFound
from kacrm.store import (
    credit_store,
    customer_rows,
    digest_store,
    due_store,
    owner_rows,
    plan_rows,
    pool_store,
    report_store,
    schedule_store,
)
from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine, open_sqlite_book
from kacrm.store.models import SQLModel
from kacrm.store.raw import as_date
from kacrm.store.reader import SqliteBook, reading
from kacrm.values import name_key

REPO = Path(__file__).resolve().parent.parent
AS_OF = ("--as-of", "2026-11-20")

# runs the CLI in a fresh interpreter, then prints which of the heavy modules it loaded
PROBE = """\
import sys
from kacrm.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    heavy = ("sqlmodel", "sqlalchemy.orm", "kacrm.store.models", "alembic", "pandas", "pydantic", "pyarrow")
    print("LOADED", ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
    print("SQLALCHEMY", "sqlalchemy" if "sqlalchemy" in sys.modules else "", file=sys.stderr)
    cli = [m for m in sys.modules if m.startswith("kacrm.cli.") or m == "typer.rich_utils"]
    print("CLI", ",".join(cli), file=sys.stderr)
"""


def loaded_modules(*args: str, kind: str = "LOADED", exit_code: int = 0) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(REPO)},
        timeout=120,
    )
    assert completed.returncode == exit_code, completed.stderr
    line = [x for x in completed.stderr.splitlines() if x.startswith(kind)][-1]
    return set(filter(None, line.removeprefix(kind).strip().split(",")))


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file with one customer, one order and one contact logged."""
    path = tmp_path_factory.mktemp("read") / "k.db"
    engine = make_engine(str(path))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, created_at, updated_at) "
                "VALUES ('C1', 'Acme', 'business', 'active', '2026-01-01', '2026-01-01')"
            )
        )
    engine.dispose()
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--week"),
        ("customer", "list"),
        ("customer", "show", "C1"),
        ("tier", "--dry-run"),
        ("tier", "--method", "rfm", "--dry-run"),
        ("pool",),
        ("credit",),
        ("credit", "aging"),
        ("report",),
        ("report", "churn"),
        ("report", "pareto"),
        ("report", "customer", "C1"),
        ("credit", "statement", "C1"),
        ("digest", "--dry-run"),
        ("owner", "list"),
        ("plan", "list"),
        ("schedule", "list"),
    ],
    ids=[
        "due",
        "customer-list",
        "customer-show",
        "tier-dry-run",
        "tier-rfm-dry-run",
        "pool",
        "credit",
        "credit-aging",
        "report",
        "report-churn",
        "report-pareto",
        "report-customer",
        "credit-statement",
        "digest-dry-run",
        "owner-list",
        "plan-list",
        "schedule-list",
    ],
)
def test_read_commands_load_neither_the_orm_nor_alembic_nor_pandas(small_db, args) -> None:
    # nor pydantic: kacrm.cli.coercion checks the options' values instead of Typer's pydantic adapters
    loaded = loaded_modules("--db", small_db, "--as-of", "2026-11-20", *args)
    assert loaded == set()


STDLIB_READS = [
    ("due", "--week"),
    ("due", "--today", "--owner", "Wang", "--format", "json"),
    ("due", "--days", "30", "--kind", "collection", "--format", "csv"),
    ("due", "--overdue", "--tier", "A", "--format", "md"),
    ("customer", "list"),
    ("customer", "list", "--search", "acme", "--tier", "A", "--owner", "Wang", "--format", "json"),
    ("customer", "show", "C1"),
    ("customer", "show", "C1", "--format", "md"),
    ("pool",),
    ("pool", "--owner", "Wang", "--format", "json"),
    ("report",),
    ("report", "--format", "json", "--owner", "Wang", "--window", "24m"),
    ("report", "--format", "md", "--redact"),
    ("report", "churn", "--format", "csv"),
    ("report", "customer", "C1"),
    ("report", "customer", "C1", "--format", "json", "--redact"),
    ("report", "pareto"),
    ("report", "pareto", "--window", "all", "--format", "csv"),
    ("report", "movement", "--format", "json"),
    ("report", "movement", "--method", "abc", "--format", "md"),
    ("digest", "--dry-run"),
    ("digest", "--dry-run", "--format", "json", "--owner", "Wang"),
    ("digest", "--dry-run", "--format", "html", "--team"),
    ("digest", "--dry-run", "--format", "md", "--redact", "--email", "boss@example.com"),
    ("owner", "list"),
    ("owner", "list", "--format", "json"),
    ("plan", "list", "--all", "--format", "csv"),
    ("plan", "list", "--customer", "C1", "--format", "md"),
    ("schedule", "list", "--format", "json"),
    ("schedule", "list", "C1"),
]
# on credit_db (the check refuses: exit 4)
CREDIT_READS = [
    ("credit",),
    ("credit", "--owner", "Li", "--format", "json"),
    ("credit", "aging"),
    (
        "credit",
        "aging",
        "--basis",
        "order",
        "--buckets",
        "15,45",
        "--owner",
        "Li",
        "--format",
        "csv",
    ),
    ("credit", "explain", "C1"),
    ("credit", "check", "C1", "--amount", "10", "--format", "json"),
    ("credit", "statement", "C1"),
    ("credit", "statement", "C1", "--from", "2026-01-01", "--format", "md"),
    ("tier", "--dry-run"),
    ("tier", "--method", "pyramid", "--metric", "profit", "--dry-run", "--format", "json"),
    ("tier", "--method", "abc", "--by", "region", "--dry-run"),
    ("tier", "--method", "rfm", "--dry-run", "--format", "csv"),
]


@pytest.fixture(scope="module")
def runs_db(small_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """small_db with an owner who has an email, two abc runs (a movement) and a digest already sent."""
    path = tmp_path_factory.mktemp("runs") / "k.db"
    shutil.copy(small_db, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE customer SET owner = 'Wang'")
        conn.execute(
            "INSERT INTO owner (name, email, created_at, updated_at) "
            "VALUES ('Wang', 'wang@example.com', '2026-01-01', '2026-01-01')"
        )
        for run_id, as_of, tier in ((1, "2026-10-01", "B"), (2, "2026-11-01", "A")):
            conn.execute(
                'INSERT INTO tier_run (id, method, metric, window, "by", as_of, parameters, '
                "created_at) VALUES (?, 'abc', 'revenue', '12m', 'customer', ?, '{}', ?)",
                (run_id, as_of, as_of),
            )
            conn.execute(
                "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, pinned) "
                "VALUES (?, 1, ?, 1, 1, 0)",
                (run_id, tier),
            )
        conn.execute(
            "INSERT INTO digest_run (period_start, period_end, channel, status, started_at) "
            "VALUES ('2026-11-01', '2026-11-10', 'stdout', 'sent', '2026-11-10 08:00:00')"
        )
        # a plan and a payment plan, so that `plan list` and `schedule list` read rows and convert their dates
        conn.execute(
            'INSERT INTO "plan" (customer_id, horizon, goal, target_date, status, created_at) '
            "VALUES (1, 'short', 'Renew', '2026-12-31', 'open', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) "
            "VALUES ('O1', 1, '2026-10-01', 100000)"
        )
        conn.execute(
            "INSERT INTO payment_schedule (order_id, instalment, due_on, amount_cents) "
            "VALUES (1, 1, '2026-12-01', 100000)"
        )
    return str(path)


@pytest.mark.parametrize("args", STDLIB_READS, ids=lambda a: " ".join(a))
def test_reads_of_a_current_sqlite_file_never_import_sqlalchemy(runs_db, args) -> None:
    assert (
        loaded_modules("--db", runs_db, "--as-of", "2026-11-20", *args, kind="SQLALCHEMY") == set()
    )


@pytest.fixture(scope="module")
def credit_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file with a customer of owner Li and an order partly paid, long overdue."""
    path = tmp_path_factory.mktemp("credit") / "k.db"
    engine = make_engine(str(path))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, owner, region, created_at, updated_at) "
                "VALUES ('C1', 'Acme', 'business', 'active', 'Li', 'East', '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, due_date, amount_cents) "
                "VALUES ('O1', 1, '2026-03-01', '2026-04-01', 100000)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO payment (payment_no, customer_id, order_no, paid_on, amount_cents) "
                "VALUES ('P1', 1, 'O1', '2026-05-01', 40000)"
            )
        )
    engine.dispose()
    return str(path)


@pytest.mark.parametrize("args", CREDIT_READS, ids=lambda a: " ".join(a))
def test_credit_and_tier_reads_of_a_current_sqlite_file_never_import_sqlalchemy(
    credit_db, args
) -> None:
    refused = 4 if args[1:2] == ("check",) else 0
    found = loaded_modules(
        "--db", credit_db, "--as-of", "2026-11-20", *args, kind="SQLALCHEMY", exit_code=refused
    )
    assert found == set()


def test_a_file_to_upgrade_is_read_through_the_engine_and_upgraded_first(tmp_path: Path) -> None:
    book = tmp_path / "old.db"
    shutil.copy(REPO / "tests" / "fixtures" / "schema" / "0004.db", book)
    args = ("--db", str(book), "--as-of", "2026-11-20", "due", "--week")
    assert loaded_modules(*args, kind="SQLALCHEMY") == {"sqlalchemy"}
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (SCHEMA_HEAD,)
        ]
    assert loaded_modules(*args, kind="SQLALCHEMY") == set()  # current now: the stdlib path


def test_a_database_path_that_names_a_directory_says_so_as_the_engine_does(tmp_path: Path) -> None:
    # `--db` naming a directory: the engine's message, "cannot open database sqlite:///…: unable to open
    # database file", not the generic database error the stdlib driver's own exception would make
    folder = tmp_path / "book.db"
    folder.mkdir()
    for args in (("due", "--week"), ("credit",)):  # the stdlib path, and the engine's (credit)
        done = subprocess.run(
            [sys.executable, "-m", "kacrm", "--db", str(folder), *AS_OF, *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            timeout=120,
        )
        assert done.returncode == 1, args
        assert done.stderr == (
            f"Error: cannot open database sqlite:///{folder}: unable to open database file\n"
        ), args


def test_a_read_that_waits_for_a_lock_says_so_once_then_reads(small_db, tmp_path: Path) -> None:
    # a rollback-journal file (not WAL), so that another connection's exclusive lock stops a reader as well
    book = tmp_path / "locked.db"
    shutil.copy(small_db, book)
    with sqlite3.connect(book) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    holder = sqlite3.connect(book, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    reader = subprocess.Popen(
        [sys.executable, "-m", "kacrm", "--db", str(book), *AS_OF, "due", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    try:
        said = (
            reader.stderr.readline()
        )  # while the lock is held (a reader that gave up would say so too)
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, rest = reader.communicate(timeout=120)
    assert said.startswith(f"waiting for another kacrm that is writing to {book} (at most 30 s)")
    assert reader.returncode == 0, rest
    assert rest == ""  # said once
    assert '"C1"' in out


def test_a_command_loads_its_own_module_and_no_help_formatter(small_db) -> None:
    # kacrm.cli.lazy imports a command's module when it runs; Typer's Rich help formatter only for help or an error
    shared = {"after_import", "app", "coercion", "common", "helpfmt", "language", "lazy", "pipe"}
    shared |= {"root", "usage_errors"}
    loaded = loaded_modules("--db", small_db, "--as-of", "2026-11-20", "due", "--week", kind="CLI")
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "due")}
    loaded = loaded_modules("--db", small_db, "customer", "show", "C1", kind="CLI")
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "customers", "pool")}
    assert "typer.rich_utils" in loaded_modules("due", "--help", kind="CLI")
    # `kacrm report` loads its subcommands' module only when one runs (kacrm.cli.report.ReportGroup)
    loaded = loaded_modules("--db", small_db, "--as-of", "2026-11-20", "report", kind="CLI")
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "report")}
    loaded = loaded_modules(
        "--db", small_db, "--as-of", "2026-11-20", "report", "pareto", kind="CLI"
    )
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "report", "report_subcommands")}
    # so does `kacrm credit`: `aging` from its own module, the others from theirs
    loaded = loaded_modules("--db", small_db, "--as-of", "2026-11-20", "credit", kind="CLI")
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "credit")}
    loaded = loaded_modules(
        "--db", small_db, "--as-of", "2026-11-20", "credit", "aging", kind="CLI"
    )
    assert loaded == {f"kacrm.cli.{m}" for m in (*shared, "credit", "credit_aging")}
    # the Typer app's root help lists the commands by their summaries (kacrm.cli.root), loading none; the
    # console script draws it without even Typer (kacrm.cli.roothelp, tests/test_root_help.py)
    assert loaded_modules("--help", kind="CLI") == {
        *(f"kacrm.cli.{m}" for m in shared),
        "typer.rich_utils",
    }


def test_done_writes_without_the_orm(tmp_path: Path, small_db: str) -> None:
    # `done` is the morning's other command: it logs the contact through SQLAlchemy Core (store/due_store.py)
    book = tmp_path / "done.db"
    book.write_bytes(Path(small_db).read_bytes())
    engine = make_engine(str(book))
    with engine.connect() as conn:
        cid = conn.execute(text("SELECT id FROM customer WHERE code = 'C1'")).scalar_one()
    engine.dispose()
    # C1, created 2026-01-01 and never contacted: due for its untiered cadence (90 days) on 2026-04-01
    item = f"cad-{cid}-20260401"
    assert loaded_modules("--db", str(book), "--as-of", "2026-11-20", "done", item) == set()
    engine = make_engine(str(book))
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT happened_on, kind, key FROM interaction")).all()
        marker = conn.execute(text("SELECT item_id, kind, due_on, done_on FROM task")).all()
    engine.dispose()
    assert [(on, kind, key[:4], len(key)) for on, kind, key in logged] == [
        ("2026-11-20", "call", "log-", 20)
    ]
    assert marker == [(item, "done", "2026-11-20", "2026-11-20")]


DAILY_WRITES = [
    ("log", "C1", "call", "--note", "x"),
    ("customer", "edit", "C1", "--phone", "13800138000", "--name", "Acme Ltd"),
    ("snooze", "cad-{cid}-20260401", "--days", "3"),
    ("done", "cad-{cid}-20260401", "--kind", "visit"),
    ("plan", "add", "C1", "--horizon", "mid", "--goal", "x"),
    ("owner", "set", "Wang", "--email", "wang@example.com", "--capacity", "3"),
    ("customer", "lock", "C1"),
    ("customer", "unlock", "C1"),
]


@pytest.mark.parametrize("args", DAILY_WRITES, ids=lambda a: " ".join(a[:3]))
def test_the_daily_writes_of_a_current_sqlite_file_never_import_sqlalchemy(
    tmp_path: Path, small_db: str, args: tuple[str, ...]
) -> None:
    # log 1.2 s, customer edit 1.1 s before (0.6 s of it importing the ORM): kacrm.store.reader.writing
    book = tmp_path / "w.db"
    shutil.copy(small_db, book)
    with sqlite3.connect(book) as conn:
        (cid,) = conn.execute("SELECT id FROM customer WHERE code = 'C1'").fetchone()
    args = tuple(a.format(cid=cid) for a in args)
    assert loaded_modules("--db", str(book), *AS_OF, *args, kind="SQLALCHEMY") == set()
    if args[:2] == ("plan", "add"):
        done = ("plan", "done", "1")
        assert loaded_modules("--db", str(book), *AS_OF, *done, kind="SQLALCHEMY") == set()


def test_a_new_owner_keeps_the_engine_and_a_file_to_upgrade_is_written_through_it(
    tmp_path: Path, small_db: str
) -> None:
    book = tmp_path / "w.db"
    shutil.copy(small_db, book)
    # the pool's rules (capacity, cooldown, the history row) hand an account over through the engine
    args = ("--db", str(book), *AS_OF, "customer", "edit", "C1", "--owner", "")
    assert loaded_modules(*args, kind="SQLALCHEMY") == {"sqlalchemy"}
    old = tmp_path / "old.db"
    shutil.copy(REPO / "tests" / "fixtures" / "schema" / "0004.db", old)
    args = ("--db", str(old), *AS_OF, "log", "C002", "visit")
    assert loaded_modules(*args, kind="SQLALCHEMY") == {"sqlalchemy"}  # upgraded first
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        assert conn.execute(
            "SELECT customer_id, kind, happened_on FROM interaction ORDER BY id"
        ).fetchall() == [(1, "visit", "2026-11-01"), (2, "visit", "2026-11-20")]
    assert loaded_modules(*args, kind="SQLALCHEMY") == set()  # current now: the stdlib path


def test_an_import_of_a_missing_file_says_so_before_loading_pandas(
    small_db, tmp_path: Path
) -> None:
    # a typo in a file name was a second of pandas, pyarrow and the ORM loading before "no such file"
    missing = tmp_path / "订单.csv"
    loaded = loaded_modules("--db", small_db, "import", str(missing), exit_code=1)
    assert loaded == set()


def test_the_probe_sees_a_command_that_does_load_the_orm(small_db) -> None:
    # the same probe on `credit review`, which stores its reviews through the ORM: the test above can fail
    assert "kacrm.store.models" in loaded_modules("--db", small_db, "credit", "review")


def test_core_tables_name_columns_the_models_define() -> None:
    for name, table in (("digest_run", digest_store._digest_run()),):
        defined = set(SQLModel.metadata.tables[name].columns.keys())
        assert set(table.c.keys()) <= defined, name


@pytest.mark.parametrize(
    ("name", "columns", "types"),
    [
        ("customer", customer_rows.CARD_COLUMNS, customer_rows.CARD_TYPES),
        ("contact", customer_rows.CONTACT_COLUMNS, customer_rows.CONTACT_TYPES),
    ],
    ids=["customer", "contact"],
)
def test_the_card_converts_the_dates_times_and_flags_the_models_define(
    name, columns, types
) -> None:
    # SQLite returns a DATE, DATETIME or BOOLEAN as text or 0/1: the card must convert each as the ORM does
    model = SQLModel.metadata.tables[name]
    assert set(columns) <= set(model.c.keys())

    def kind(column) -> str | None:
        for sort, key in ((DateTime, "times"), (Date, "dates"), (Boolean, "flags")):
            if isinstance(column.type, sort) or isinstance(
                getattr(column.type, "impl", None), sort
            ):
                return key
        return None

    typed: dict[str, tuple[str, ...]] = {}
    for column in columns:
        if (key := kind(model.c[column])) is not None:
            typed[key] = (*typed.get(key, ()), column)
    assert typed == types


@pytest.mark.parametrize(
    "table",
    [
        digest_store._digest_run(),
    ],
    ids=lambda table: table.name,
)
def test_core_reads_type_dates_times_and_flags_as_the_models_do(table) -> None:
    # without its type a DATE or BOOLEAN comes back from SQLite as text or 0/1; the card must show what the ORM gave
    model = SQLModel.metadata.tables[table.name]
    for name, ours in table.c.items():
        theirs = model.c[name].type
        converted = (Date, Boolean, DateTime)
        if isinstance(theirs, converted) or isinstance(getattr(theirs, "impl", None), converted):
            assert type(ours.type) is not NullType, f"{table.name}.{name} untyped"
            assert ours.type._type_affinity is theirs._type_affinity, f"{table.name}.{name}"


def books(engine) -> list:
    """What a read is given: the engine, and on SQLite also the file through the stdlib driver."""
    if engine.dialect.name != "sqlite":
        return [engine]
    return [engine, open_sqlite_book(engine.url.database)]


def test_the_card_reads_the_record_its_persons_and_its_referrer(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, name_key, short_name, type, status, pool_locked, "
                "created_at, updated_at) VALUES "
                "('R1', 'Referrer', 'referrer', NULL, 'business', 'active', false, :t, :t), "
                "('K1', '华为(集团)', :key, 'HW', 'business', 'active', true, :t, :t)"
            ),
            {"key": name_key("华为(集团)"), "t": "2026-01-02 03:04:05.000006"},
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        conn.execute(
            text("UPDATE customer SET referred_by_id = :r WHERE code = 'K1'"), {"r": ids["R1"]}
        )
        conn.execute(
            text(
                "INSERT INTO contact (customer_id, name, birthday, birthday_has_year, "
                "lunar_birthday_leap, is_primary) VALUES "
                "(:k, 'Zhang', :b, true, false, false), (:k, 'Wang', NULL, false, false, true)"
            ),
            {"k": ids["K1"], "b": date(1980, 5, 6)},
        )
    for book in books(engine):
        summary, persons, referrer = customer_rows.card_inputs(
            book, "华为（集团）", date(2026, 11, 20)
        )
        customer = summary["customer"]
        assert (customer.code, referrer) == ("K1", "R1")  # found by its name, full-width brackets
        assert customer.pool_locked is True
        assert customer.created_at == datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
        assert [p.name for p in persons] == ["Wang", "Zhang"]  # the primary person first
        assert persons[1].birthday == date(1980, 5, 6) and persons[1].birthday_has_year is True
        assert persons[0].is_primary is True and persons[0].lunar_birthday_leap is False
        card = customer_rows.card_inputs(book, "hw", date(2026, 11, 20))
        assert card[0]["customer"].code == "K1"  # by its short name
        with pytest.raises(NotFound):
            customer_rows.card_inputs(book, "nobody", date(2026, 11, 20))


def test_customer_summaries_adds_up_orders_payments_and_contacts(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, created_at, updated_at) VALUES "
                "('A1', 'Alpha', 'business', 'active', '2026-01-01', '2026-01-01'), "
                "('B2', 'Beta', 'business', 'active', '2026-01-01', '2026-01-01')"
            )
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) "
                "VALUES ('O1', :a, :d1, 10000), ('O2', :a, :d2, 2550), ('O3', :a, :d3, 99999)"
            ),
            {
                "a": ids["A1"],
                "d1": date(2026, 3, 1),
                "d2": date(2026, 5, 2),
                "d3": date(2026, 12, 1),
            },
        )
        conn.execute(
            text(
                "INSERT INTO payment (payment_no, customer_id, paid_on, amount_cents) "
                "VALUES ('P1', :a, :d, 4000)"
            ),
            {"a": ids["A1"], "d": date(2026, 6, 1)},
        )
    for book in books(engine):
        check_summaries(book)


def check_summaries(book) -> None:
    rows = customer_rows.customer_summaries(book, date(2026, 11, 20))
    first, second = rows
    assert first["customer"].code == "A1"  # bigger revenue first
    assert first["orders"] == 2  # O3 is dated after today
    assert first["revenue_cents"] == 10000 + 2550
    assert first["paid_cents"] == 4000
    assert first["outstanding_cents"] == 12550 - 4000
    assert first["first_order_on"] == date(2026, 3, 1)
    assert first["last_order_on"] == date(2026, 5, 2)
    assert first["last_contact_on"] is None
    assert (second["customer"].code, second["orders"], second["revenue_cents"]) == ("B2", 0, 0)
    assert [
        r["customer"].code
        for r in customer_rows.customer_summaries(book, date(2026, 11, 20), search="BET")
    ] == ["B2"]


def test_current_revision_is_none_without_the_version_table(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "bare.db"), migrate=False)
    assert current_revision(engine) is None


def test_the_reader_gives_the_same_values_on_every_path(engine) -> None:
    # SQLite returns dates and times as text and flags as 0/1; the reader converts the columns it is told to,
    # through the stdlib driver and through SQLAlchemy alike (PostgreSQL gives the types themselves)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, owner_since, pool_locked, tier, "
                "created_at, updated_at) VALUES ('C1', 'One', 'business', 'active', :d, true, NULL, "
                "'2026-01-02 03:04:05.000006', '2026-01-02 03:04:05.000006'), "
                "('C2', 'Two', 'business', 'active', NULL, false, 'A', :t, :t)"
            ),
            {"d": date(2026, 3, 4), "t": "2026-05-06 07:08:09"},
        )
    sql = (
        "SELECT code, owner_since, pool_locked, created_at, tier, LENGTH(name) AS n FROM customer "
        "WHERE owner_since IS NULL OR owner_since <= :day ORDER BY code"
    )
    expected = [
        ("C1", date(2026, 3, 4), True, datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC), None, 3),
        ("C2", None, False, datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC), "A", 3),
    ]
    for book in books(engine):
        with reading(book) as reader:
            rows = reader.rows(
                sql,
                ("owner_since",),
                flags=("pool_locked",),
                times=("created_at",),
                day=date(2026, 3, 4),
            )
            assert [tuple(r) for r in rows] == expected
            assert [type(v) for v in rows[0]] == [str, date, bool, datetime, type(None), int]
            assert rows[1].tier == "A"
            assert reader.scalar("SELECT COUNT(*) FROM customer WHERE code = :c", c="C2") == 1
            assert reader.scalar("SELECT code FROM customer WHERE code = :c", c="none") is None


def test_the_pool_facts_read_the_same_on_every_path(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, owner, owner_since, pool_locked, tier, "
                "created_at, updated_at) VALUES ('P1', 'Owing', 'business', 'active', 'Li', :since, true, "
                "'A', :t, :t), ('P2', 'Pooled', 'business', 'active', NULL, NULL, false, 'B', :t, :t)"
            ),
            {"since": date(2026, 2, 1), "t": "2026-01-02 03:04:05"},
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) VALUES "
                "('O1', :p1, :d1, 5000), ('O2', :p1, :late, 7000)"
            ),
            {"p1": ids["P1"], "d1": date(2026, 3, 5), "late": date(2026, 12, 1)},
        )
        conn.execute(
            text(
                "INSERT INTO ownership (customer_id, changed_on, reason, owner, previous_owner, "
                "created_at) VALUES (:p2, :on, 'released', NULL, 'Wang', :t)"
            ),
            {"p2": ids["P2"], "on": date(2026, 6, 7), "t": "2026-06-07 00:00:00"},
        )
    for book in books(engine):
        facts = {f["code"]: f for f in pool_store.load_pool_facts(book, date(2026, 11, 20))}
        assert facts["P1"]["owner_since"] == date(2026, 2, 1)
        assert facts["P1"]["created_on"] == date(2026, 1, 2)
        assert facts["P1"]["last_order_on"] == date(2026, 3, 5)  # O2 is dated after today
        assert facts["P1"]["locked"] is True and facts["P1"]["open_receivables"] is True
        assert facts["P1"]["last_interaction_on"] is None and facts["P1"]["released_on"] is None
        assert facts["P2"]["released_on"] == date(2026, 6, 7) and facts["P2"]["owner"] is None
        assert facts["P2"]["locked"] is False and facts["P2"]["open_receivables"] is False
        assert pool_store.pool_lock(book, ids["P1"]) is True
        assert pool_store.releases_between(book, date(2026, 6, 1), date(2026, 6, 30)) == [
            (ids["P2"], date(2026, 6, 7), "Wang")
        ]
        assert pool_store.pool_counts(book, date(2026, 6, 1), date(2026, 6, 30)) == {
            "pooled": 1,
            "released": 1,
        }


def test_the_credit_reads_read_the_same_on_every_path(engine) -> None:
    t = "2026-01-02 03:04:05"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, short_name, name_key, type, status, owner, "
                "credit_grade, credit_limit_cents, payment_terms_days, created_at, updated_at) VALUES "
                "('C1', 'Acme Ltd', 'Ac', 'acmeltd', 'business', 'active', 'Li', 'A', 500000, 30, :t, :t), "
                "('C2', 'Bolt', NULL, 'bolt', 'business', 'active', NULL, NULL, NULL, NULL, :t, :t)"
            ),
            {"t": t},
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        c1 = ids["C1"]
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, due_date, amount_cents) VALUES "
                "('O1', :c, :d1, :due, 100000), ('O2', :c, :late, NULL, 7000)"
            ),
            {"c": c1, "d1": date(2026, 3, 1), "due": date(2026, 4, 1), "late": date(2026, 12, 1)},
        )
        order_id = conn.execute(text("SELECT id FROM orders WHERE order_no = 'O1'")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO payment (payment_no, customer_id, order_no, paid_on, amount_cents) VALUES "
                "('P1', :c, 'O1', :on, 40000), ('P2', :c, NULL, :late, 5000)"
            ),
            {"c": c1, "on": date(2026, 5, 1), "late": date(2026, 12, 2)},
        )
        conn.execute(
            text(
                "INSERT INTO payment_schedule (order_id, instalment, due_on, amount_cents) "
                "VALUES (:o, 1, :on, 60000)"
            ),
            {"o": order_id, "on": date(2026, 4, 15)},
        )
        conn.execute(
            text(
                "INSERT INTO credit_review (customer_id, reviewed_on, score, grade, limit_cents, "
                "factors, manual, created_at) VALUES "
                "(:c, :r1, 80, 'A', 500000, '{\"n\": 1}', false, :t), "
                # a hold by hand records the grade and limit in force, as credit_app.set_hold does
                "(:c, :r2, NULL, 'A', 500000, '{\"set\": {}, \"hold\": true}', true, :t), "
                "(:c, :r3, 60, 'B', 1000, '{\"n\": 3}', false, :t)"
            ),
            {
                "c": c1,
                "r1": date(2026, 6, 1),
                "r2": date(2026, 7, 1),
                "r3": date(2026, 12, 5),
                "t": t,
            },
        )
    today = date(2026, 11, 20)
    for book in books(engine):
        customers, orders, payments = credit_store.load_frames(book, today)
        assert customers["customer_code"] == ["C1", "C2"]
        assert customers["credit_limit_cents"] == [500000, None]  # r2's: r3 is of a later day
        # before C1's first review: its stored limit, as inserted above (nothing older is kept)
        assert credit_store.load_frames(book, date(2026, 5, 1))[0]["credit_limit_cents"] == [
            500000,
            None,
        ]
        assert orders["order_no"] == ["O1"]  # O2 is dated after today
        assert [as_date(d) for d in orders["due_date"]] == [date(2026, 4, 1)]
        assert payments["payment_no"] == ["P1"] and payments["amount_cents"] == [40000]
        one = credit_store.load_frames(book, today, ids["C2"])
        assert one[0]["customer_code"] == ["C2"] and one[1]["order_no"] == []
        assert schedule_store.load_schedules(book) == {
            "order_no": ["O1"],
            "instalment": [1],
            "due_on": [date(2026, 4, 15)],
            "amount_cents": [60000],
        }
        assert schedule_store.load_schedules(book, ids["C2"])["order_no"] == []
        assert credit_store.load_holds(book) == {c1: [(date(2026, 7, 1), True)]}
        assert credit_store.load_decisions(book, c1) == {c1: [{"set": {}, "hold": True}]}
        assert credit_store.load_decisions(book, ids["C2"]) == {}
        latest = credit_store.latest_review(book, c1, today)
        assert latest == {
            "reviewed_on": date(2026, 6, 1),
            "score": 80,
            "grade": "A",
            "limit_cents": 500000,
            "details": {"n": 1},
        }
        assert credit_store.latest_review(book, c1)["details"] == {"n": 3}
        assert credit_store.latest_review(book, ids["C2"]) is None
        found = credit_store.customer_credit(book, "Ac")  # by its short name
        assert (found.code, found.grade, found.limit_cents, found.terms_days) == (
            "C1",
            "A",
            500000,
            30,
        )
        with pytest.raises(NotFound):
            credit_store.customer_credit(book, "nobody")
        assert owner_rows.known_owner(book, "Li") and not owner_rows.known_owner(book, "Wang")
        assert owner_rows.owner_customer_codes(book, "Li") == {"C1"}


def test_the_owner_plan_and_schedule_lists_read_the_same_on_every_path(engine) -> None:
    t = "2026-01-02 03:04:05"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, owner, tier, tier_pinned, created_at, "
                "updated_at) VALUES "
                "('K1', 'Alpha', 'business', 'active', 'b', 'A', NULL, :t, :t), "
                "('K2', 'Beta', 'business', 'active', 'b', 'A', 'C', :t, :t), "
                "('K3', 'Gamma', 'business', 'active', 'Z', 'B', 'gold', :t, :t), "
                "('K4', 'Delta', 'business', 'active', '', 'A', NULL, :t, :t), "
                "('K5', 'Eps', 'business', 'active', NULL, 'A', NULL, :t, :t), "
                "('K6', 'Zeta', 'business', 'active', 'Z', 'platinum', NULL, :t, :t)"
            ),
            {"t": t},
        )
        conn.execute(
            text(
                "INSERT INTO owner (name, email, capacity, created_at, updated_at) VALUES "
                "('Z', 'z@example.com', 5, :t, :t), ('Solo', NULL, 0, :t, :t)"
            ),
            {"t": t},
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        for code, horizon, goal, target, status, done_on in (
            ("K1", "short", "g1", date(2027, 1, 1), "open", None),
            ("K1", "mid", "g2", None, "open", None),
            ("K2", "long", "g3", date(2026, 12, 1), "done", date(2026, 11, 1)),
            ("K1", "short", "g4", date(2026, 12, 1), "open", None),
        ):
            conn.execute(
                text(
                    'INSERT INTO "plan" (customer_id, horizon, goal, target_date, status, done_on, '
                    "created_at) VALUES (:c, :h, :g, :target, :s, :done, :t)"
                ),
                {
                    "c": ids[code],
                    "h": horizon,
                    "g": goal,
                    "target": target,
                    "s": status,
                    "done": done_on,
                    "t": t,
                },
            )
        plan_ids = dict(conn.execute(text('SELECT goal, id FROM "plan"')).all())
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) VALUES "
                "('O1', :k1, :on, 1000), ('O2', :k2, :on, 500)"
            ),
            {"k1": ids["K1"], "k2": ids["K2"], "on": date(2026, 11, 1)},
        )
        orders = dict(conn.execute(text("SELECT order_no, id FROM orders")).all())
        conn.execute(
            text(
                "INSERT INTO payment_schedule (order_id, instalment, due_on, amount_cents) VALUES "
                "(:o1, 2, :d2, 400), (:o1, 1, :d1, 600), (:o2, 1, :d3, 500)"
            ),
            {
                "o1": orders["O1"],
                "o2": orders["O2"],
                "d1": date(2026, 12, 10),
                "d2": date(2027, 1, 10),
                "d3": date(2026, 12, 20),
            },
        )

    def plan(goal: str, code: str, name: str, horizon: str, target, status="open", done_on=None):
        return {
            "id": plan_ids[goal],
            "customer_code": code,
            "customer_name": name,
            "horizon": horizon,
            "goal": goal,
            "target_date": target,
            "status": status,
            "done_on": done_on,
        }

    g1 = plan("g1", "K1", "Alpha", "short", date(2027, 1, 1))
    g2 = plan("g2", "K1", "Alpha", "mid", None)
    g3 = plan("g3", "K2", "Beta", "long", date(2026, 12, 1), "done", date(2026, 11, 1))
    g4 = plan("g4", "K1", "Alpha", "short", date(2026, 12, 1))

    def instalment(code: str, name: str, no: str, order: int, n: int, on: date, cents: int):
        return {
            "customer_code": code,
            "customer_name": name,
            "order_no": no,
            "order_amount_cents": order,
            "instalment": n,
            "due_on": on,
            "amount_cents": cents,
        }

    k2_plan = instalment("K2", "Beta", "O2", 500, 1, date(2026, 12, 20), 500)
    for book in books(engine):
        # by name in Python's order ('Solo' < 'Z' < 'b'), not the server's collation; K4's '' and K5's NULL
        # are no owner; key accounts by the tier in force: K2 is pinned out of A, K3 into gold
        assert owner_rows.owner_rows(book) == [
            {"owner": "Solo", "email": None, "customers": 0, "key_accounts": 0, "capacity": 0},
            {
                "owner": "Z",
                "email": "z@example.com",
                "customers": 2,
                "key_accounts": 2,
                "capacity": 5,
            },
            {"owner": "b", "email": None, "customers": 2, "key_accounts": 1, "capacity": None},
        ]
        # soonest target first, one day's plans by id, those without a target last
        assert plan_rows.plan_rows(book) == [g4, g1, g2]
        assert plan_rows.plan_rows(book, include_done=True) == [g3, g4, g1, g2]
        assert plan_rows.plan_rows(book, include_done=True, code="K2") == [g3]
        assert plan_rows.plan_rows(book, code="K2") == []
        # by customer, order and instalment (O1's second instalment was stored first)
        assert schedule_store.schedule_rows(book) == [
            instalment("K1", "Alpha", "O1", 1000, 1, date(2026, 12, 10), 600),
            instalment("K1", "Alpha", "O1", 1000, 2, date(2027, 1, 10), 400),
            k2_plan,
        ]
        assert schedule_store.schedule_rows(book, ids["K2"]) == [k2_plan]


def test_a_tier_dry_run_ranks_the_same_on_every_path_even_on_a_read_only_file(
    engine, tmp_path: Path
) -> None:
    from kacrm.analysis.tier_rules import TierRequest
    from kacrm.store.tier_ranking import run_in_database

    t = "2026-01-02 03:04:05"
    with engine.begin() as conn:
        for n, cents in enumerate((70000, 20000, 10000, 0), start=1):
            conn.execute(
                text(
                    "INSERT INTO customer (code, name, type, status, created_at, updated_at) "
                    "VALUES (:code, :code, 'business', 'active', :t, :t)"
                ),
                {"code": f"C{n}", "t": t},
            )
            if cents:
                conn.execute(
                    text(
                        "INSERT INTO orders (order_no, customer_id, order_date, amount_cents) "
                        "SELECT :no, id, :on, :cents FROM customer WHERE code = :code"
                    ),
                    {"no": f"O{n}", "on": date(2026, 3, 1), "cents": cents, "code": f"C{n}"},
                )
    request = TierRequest(method="abc", dry_run=True)
    found = []
    for book in books(engine):
        done = run_in_database(book, request, None, date(2026, 11, 20), None, rows=True, shown=5)
        found.append(done)
        assert done.run_id is None
        # by value, largest first; C4 bought nothing
        assert list(zip(done.rows["code"], done.rows["value"], done.rows["rank"], strict=True)) == [
            ("C1", 70000, 1),
            ("C2", 20000, 2),
            ("C3", 10000, 3),
            ("C4", 0, 4),
        ]
    if (
        engine.dialect.name == "sqlite"
    ):  # a file opened read-only, as open_sqlite_book opens one we cannot write
        path = Path(engine.url.database).resolve()
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        book = SqliteBook(path, conn)
        found.append(
            run_in_database(book, request, None, date(2026, 11, 20), None, rows=True, shown=5)
        )
        book.close()
    for done in found:
        assert done.summary == found[0].summary
        assert done.rows["tier"].tolist() == found[0].rows["tier"].tolist()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM tier_run")).scalar_one() == 0


def test_the_digest_and_report_reads_give_the_same_values_on_every_path(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customer (code, name, type, status, owner, tier, credit_limit_cents, "
                "created_at, updated_at) VALUES ('A1', 'Alpha', 'business', 'active', 'Li', 'A', "
                "100000, :t, :t), ('B2', 'Beta', 'business', 'active', NULL, 'B', NULL, :t, :t)"
            ),
            {"t": "2026-01-02 03:04:05"},
        )
        ids = dict(conn.execute(text("SELECT code, id FROM customer")).all())
        a1, b2 = ids["A1"], ids["B2"]
        conn.execute(
            text(
                "INSERT INTO orders (order_no, customer_id, order_date, amount_cents, product) VALUES "
                "('O1', :a, :d1, 5000, 'X'), ('O2', :a, :d2, 3000, NULL), ('O3', :b, :d3, 2000, 'Y'), "
                "('O4', :a, :late, 9999, 'Z')"
            ),
            {
                "a": a1,
                "b": b2,
                "d1": date(2026, 11, 15),
                "d2": date(2026, 10, 1),
                "d3": date(2026, 11, 16),
                "late": date(2026, 12, 1),
            },
        )
        conn.execute(
            text(
                "INSERT INTO payment (payment_no, customer_id, paid_on, amount_cents) VALUES "
                "('P1', :a, :d1, 1000), ('P2', :a, :d2, -500)"
            ),
            {"a": a1, "d1": date(2026, 11, 7), "d2": date(2026, 11, 8)},
        )
        conn.execute(
            text(
                "INSERT INTO contact (customer_id, name, phone, hobbies, birthday_has_year, "
                "lunar_birthday_leap, is_primary) VALUES (:a, 'Zhang', '123', 'golf', true, false, "
                "true), (:b, 'Zhao', '456', NULL, true, false, true)"
            ),
            {"a": a1, "b": b2},
        )
        zhang = conn.execute(text("SELECT id FROM contact WHERE name = 'Zhang'")).scalar()
        conn.execute(
            text(
                "INSERT INTO owner (name, email, created_at, updated_at) VALUES "
                "('Li', 'li@example.com', :t, :t), ('Wu', NULL, :t, :t)"
            ),
            {"t": "2026-01-02 03:04:05"},
        )
        conn.execute(
            text(
                "INSERT INTO digest_run (period_start, period_end, channel, recipient, owner, status, "
                "started_at) VALUES (:s1, :e1, 'stdout', '', '', 'sent', :t), "
                "(:s2, :e2, 'stdout', '', '', 'failed', :t), (:s2, :e2, 'file', '', 'Li', 'failed', :t)"
            ),
            {
                "s1": date(2026, 11, 1),
                "e1": date(2026, 11, 10),
                "s2": date(2026, 11, 11),
                "e2": date(2026, 11, 12),
                "t": "2026-11-12 08:00:00",
            },
        )
        conn.execute(
            text(
                "INSERT INTO tier_movement (customer_id, changed_on, method, previous_tier, tier, "
                "reason, created_at) VALUES (:a, :on, 'abc', 'B', 'A', 'primary', :t)"
            ),
            {"a": a1, "on": date(2026, 11, 12), "t": "2026-11-12 08:00:00"},
        )
        for as_of, tier in ((date(2026, 10, 1), "B"), (date(2026, 11, 1), "A")):
            run = conn.execute(
                text(
                    'INSERT INTO tier_run (method, metric, "window", "by", as_of, parameters, '
                    "created_at) VALUES ('abc', 'revenue', '12m', 'customer', :on, '{}', :t) "
                    "RETURNING id"
                ),
                {"on": as_of, "t": "2026-11-12 08:00:00"},
            ).scalar()
            conn.execute(
                text(
                    "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, pinned) "
                    "VALUES (:r, :a, :tier, 1, 0.5, false), (:r, :b, 'B', 1, 0.5, false)"
                ),
                {"r": run, "a": a1, "b": b2, "tier": tier},
            )
    today = date(2026, 11, 20)
    for book in books(engine):
        # the day after the last success; before any success the first attempt; else today
        assert digest_store.next_period(book, "stdout", today) == (date(2026, 11, 11), today)
        assert digest_store.next_period(book, "file", today, owner="Li") == (
            date(2026, 11, 11),
            today,
        )
        assert digest_store.next_period(book, "email", today, "x@example.com") == (today, today)
        rows = digest_store.load_rows(book, date(2026, 11, 11), today, {zhang}, ("abc",))
        assert rows.customers == {a1: ("A1", "Alpha", "A", 100000), b2: ("B2", "Beta", "B", None)}
        # the digest's balances are the due loader's (it sums them for the collections)
        due_data = due_store.load_due_data(book, Settings(), today, today)
        # a refund is a negative payment: it raises the balance (round 11)
        assert due_data.balances == {a1: 5000 + 3000 - (1000 - 500), b2: 2000}
        assert rows.new_orders == [
            ("O1", a1, date(2026, 11, 15), 5000, "X", False)
        ]  # not late; B: no key tier
        assert rows.key_persons == {(a1, "Zhang"): ("123", "golf")}
        assert rows.tier_moves == [(a1, "abc", "B", "A", date(2026, 11, 12))]
        assert owner_rows.owner_emails(book) == {"Li": "li@example.com"}
        assert owner_rows.known_owner(book, "Wu") and owner_rows.known_owner(book, "Li")
        assert not owner_rows.known_owner(book, "Nobody")
        assert owner_rows.owner_customer_ids(book, "Li") == {a1}
        assert owner_rows.owner_customer_codes(book, "Li") == {"A1"}
        assert report_store.load_pareto_inputs(book, date(2026, 11, 1), today) == (
            {a1: 5000, b2: 2000},
            {a1: ("A1", "Alpha"), b2: ("B2", "Beta")},
        )
        assert report_store.customer_orders(book, a1, today) == {
            "order_date": [date(2026, 10, 1), date(2026, 11, 15)],
            "amount_cents": [3000, 5000],
            "quantity": [None, None],
        }
        previous, latest = report_store.load_movement(book, "abc", today)
        assert (previous.as_of, previous.tiers) == (date(2026, 10, 1), {a1: "B", b2: "B"})
        assert (latest.as_of, latest.tiers) == (date(2026, 11, 1), {a1: "A", b2: "B"})
