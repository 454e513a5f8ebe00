"""Issue 19: the read paths of a small book start fast. What each read command imports, the Core-only customer
list against the tables it names, and the schema version read by one query."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from kacrm.store import customer_rows
from kacrm.store.engine import current_revision, make_engine
from kacrm.store.models import SQLModel

REPO = Path(__file__).resolve().parent.parent

# runs the CLI in a fresh interpreter, then prints which of the heavy modules it loaded
PROBE = """\
import sys
from kacrm.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    heavy = ("sqlmodel", "sqlalchemy.orm", "kacrm.store.models", "alembic", "pandas")
    print("LOADED", ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def loaded_modules(*args: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(REPO)},
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    line = [x for x in completed.stderr.splitlines() if x.startswith("LOADED")][-1]
    return set(filter(None, line.removeprefix("LOADED").strip().split(",")))


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
    [("due", "--week"), ("customer", "list"), ("tier", "--dry-run")],
    ids=["due", "customer-list", "tier-dry-run"],
)
def test_read_commands_load_neither_the_orm_nor_alembic_nor_pandas(small_db, args) -> None:
    loaded = loaded_modules("--db", small_db, "--as-of", "2026-11-20", *args)
    assert loaded == set()


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


def test_the_probe_sees_a_command_that_does_load_the_orm(small_db) -> None:
    # the same probe on `customer show`, which still reads the customer through the ORM: the test above can fail
    assert "kacrm.store.models" in loaded_modules("--db", small_db, "customer", "show", "C1")


def test_customer_rows_names_columns_the_models_define() -> None:
    for name, table in (
        ("customer", customer_rows.customer),
        ("orders", customer_rows.orders),
        ("payment", customer_rows.payment),
        ("interaction", customer_rows.interaction),
    ):
        defined = set(SQLModel.metadata.tables[name].columns.keys())
        assert set(table.c.keys()) <= defined, name


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
    rows = customer_rows.customer_summaries(engine, date(2026, 11, 20))
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
        for r in customer_rows.customer_summaries(engine, date(2026, 11, 20), search="bet")
    ] == ["B2"]


def test_current_revision_is_none_without_the_version_table(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "bare.db"), migrate=False)
    assert current_revision(engine) is None
