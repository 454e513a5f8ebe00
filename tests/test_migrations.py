"""Every released schema upgrades to the current one with every row intact.

tests/fixtures/schema/<revision>.db is a database written by that release's schema (make_schema_fixture.py);
add one for each new released revision.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine

FIXTURES = sorted(Path(__file__).parent.joinpath("fixtures", "schema").glob("*.db"))
TABLES = (
    "customer",
    "contact",
    "orders",
    "payment",
    "interaction",
    "task",
    "plan",
    "tier_run",
    "tier_snapshot",
    "credit_review",
    "import_batch",
    "digest_run",
)


def test_there_is_a_fixture_for_the_first_release() -> None:
    assert [p.stem for p in FIXTURES][:1] == ["0001"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_released_database_upgrades_without_losing_rows(fixture: Path, tmp_path: Path) -> None:
    db = tmp_path / fixture.name
    shutil.copy(fixture, db)
    with make_engine(db, migrate=False).connect() as conn:
        before = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() for t in TABLES}
    engine = make_engine(db)
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as conn:
        after = {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar() for t in TABLES}
        assert after == before and all(n >= 1 for n in after.values())
        name, limit = conn.execute(
            text("SELECT name, credit_limit_cents FROM customer WHERE code='C001'")
        ).one()
        assert (name, limit) == ("深圳市华南电子有限公司", 5_000_000)
        # 0005: the name key of every stored customer is filled in from its name
        key = conn.execute(text("SELECT name_key FROM customer WHERE code='C001'")).scalar_one()
        assert key == "深圳市华南电子有限公司"
        amount, day = conn.execute(
            text("SELECT amount_cents, order_date FROM orders WHERE order_no='SO-1'")
        ).one()
        assert amount == 1_234_550 and str(day) == str(date(2026, 3, 5))
        indexes = {
            ix["name"]: ix["column_names"]
            for table in ("orders", "payment", "interaction", "tier_snapshot")
            for ix in inspect(conn).get_indexes(table)
        }
        assert indexes["ix_orders_customer_date"] == ["customer_id", "order_date", "amount_cents"]
        assert indexes["ix_payment_customer_date"] == [
            "customer_id",
            "paid_on",
            "amount_cents",
            "order_no",
        ]
        assert indexes["ix_payment_order_no"] == ["order_no"]
        assert indexes["ix_interaction_customer_date"] == ["customer_id", "happened_on", "kind"]
        assert indexes["ix_tier_snapshot_run_customer"] == ["run_id", "customer_id"]
        # 0004: the interaction entered by hand (no key before 0004) is keyed by its id
        assert (
            conn.execute(text("SELECT key FROM interaction WHERE id = 1")).scalar_one() == "log-1"
        )
        assert (
            "ix_tier_snapshot_customer" not in indexes and "ix_tier_snapshot_run_id" not in indexes
        )
    engine.dispose()


def test_a_database_of_a_newer_kacrm_is_refused_with_one_message(db_url: str, run) -> None:
    """A schema revision this kacrm has never heard of (the file was written by a newer release): one line that
    says so and exit 1, not Alembic's traceback; the file is left as it was."""
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        for args in (("due",), ("credit",), ("customer", "list")):
            result = run(*args)
            assert result.exit_code == 1, (args, result.output)
            assert (
                "newer kacrm (schema 9999; this kacrm knows up to " + SCHEMA_HEAD in result.output
            )
            assert "Traceback" not in result.output
        assert "由更新版本的 kacrm 写入" in run("--lang", "zh", "due").output
        assert current_revision(engine) == "9999"
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": SCHEMA_HEAD}
            )
        engine.dispose()


def _downgrade(engine, revision: str) -> None:
    from alembic import command

    from kacrm.store.migrate import alembic_config

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_schema_0010_keeps_the_stored_anniversaries_with_their_year(db_url: str) -> None:
    """A book at 0009 with an anniversary (read with its year, then the only way one was stored) and a customer
    written at 2026-03-04 23:30 UTC: after the upgrade the anniversary keeps its year, and the customer's added
    day is the local date of that moment (2026-03-05 in Asia/Shanghai, UTC+8, the zone this test sets); a done
    mark is marked the day it was done, a snooze stays unmarked (it counts on any day, as before)."""
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    engine = make_engine(db_url)
    try:
        _downgrade(engine, "0009")
        # as each backend stores a UTC timestamp: naive text on SQLite, timestamptz on PostgreSQL
        moment = "2026-03-04 23:30:00" + ("+00" if engine.dialect.name == "postgresql" else "")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO customer (code, name, type, status, created_at, updated_at) "
                    "VALUES ('C1', '华东机电', 'business', 'active', :t, :t)"
                ),
                {"t": moment},
            )
            cid = conn.execute(text("SELECT id FROM customer")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO contact (customer_id, name, birthday_has_year, lunar_birthday_leap, "
                    "anniversary, is_primary) VALUES (:cid, '王总', :yes, :no, :day, :no)"
                ),
                {"cid": cid, "yes": True, "no": False, "day": date(2001, 10, 1)},
            )
            # a done mark of 2026-03-06 and a snooze (which kept no day before 0010)
            conn.execute(
                text(
                    "INSERT INTO task (customer_id, due_on, kind, item_id, done_on, created_at) VALUES "
                    "(:cid, :day, 'done', 'cad-1-20260306', :day, :t), "
                    "(:cid, :until, 'snooze', 'cad-1-20260401', NULL, :t)"
                ),
                {"cid": cid, "day": date(2026, 3, 6), "until": date(2026, 4, 9), "t": moment},
            )
        engine.dispose()
        engine = make_engine(db_url)
        assert current_revision(engine) == SCHEMA_HEAD == "0010"
        with engine.connect() as conn:
            row = conn.execute(text("SELECT anniversary, anniversary_has_year FROM contact")).one()
            assert (str(row[0]), bool(row[1])) == ("2001-10-01", True)
            added = conn.execute(text("SELECT added_on FROM customer")).scalar_one()
            assert str(added) == str(date(2026, 3, 5))
            marks = conn.execute(text("SELECT kind, marked_on FROM task ORDER BY id")).all()
            assert [(k, None if d is None else str(d)) for k, d in marks] == [
                ("done", "2026-03-06"),
                ("snooze", None),
            ]
    finally:
        engine.dispose()
        if zone is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = zone
        time.tzset()
