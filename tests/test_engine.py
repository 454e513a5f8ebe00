"""The store: file mode, SQLite pragmas, migrations, URLs, the default location."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kacrm.errors import KacrmError
from kacrm.store.engine import SCHEMA_HEAD, current_revision, make_engine, resolve_url
from kacrm.store.migrate import head_revision

SPEC_TABLES = {
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
}


def test_schema_head_constant_matches_alembic_head() -> None:
    assert SCHEMA_HEAD == head_revision()


def test_new_database_has_every_table_and_the_head_revision(engine) -> None:
    assert SPEC_TABLES <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == SCHEMA_HEAD


def test_sqlite_file_is_private_and_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "k.db"
    path.parent.mkdir()  # only the default data directory is ever created (SPEC §2)
    engine = make_engine(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_reopening_a_current_database_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    make_engine(path).dispose()
    mtime = path.stat().st_mtime_ns
    engine = make_engine(path)
    assert current_revision(engine) == SCHEMA_HEAD
    engine.dispose()
    assert path.stat().st_mtime_ns == mtime


def test_resolve_url_forms(tmp_path: Path) -> None:
    assert resolve_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_default_database_lives_in_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'kacrm' / 'kacrm.db'}"


def test_unknown_driver_is_a_clear_error() -> None:
    with pytest.raises(KacrmError, match="cannot use database"):
        make_engine("nosuchdb://x/y")


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(KacrmError, match="cannot open database"):
        make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_a_database_error_on_the_raw_path_is_one_message(tmp_path: Path) -> None:
    """Big reads bypass SQLAlchemy's cursor (kacrm.store.raw); their errors still arrive as SQLAlchemy's, which the
    CLI turns into one "database error" line instead of a traceback."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from kacrm.store.raw import raw_rows

    engine = make_engine(tmp_path / "k.db")
    with engine.connect() as conn, pytest.raises(OperationalError, match="no such table: nowhere"):
        raw_rows(conn, text("SELECT * FROM nowhere"))
    engine.dispose()


def test_a_damaged_database_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kacrm.cli.app import app

    path = tmp_path / "k.db"
    engine = make_engine(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customer (code, name, type, status, created_at, updated_at) "
            "VALUES ('C1', 'One', 'business', 'active', '2024-01-01', '2024-01-01')"
        )
        conn.exec_driver_sql(
            "DROP TABLE interaction"
        )  # what a damaged or hand-edited file can look like
    engine.dispose()
    result = CliRunner().invoke(app, ["--db", str(path), "due", "--format", "json"])
    assert result.exit_code == 1
    assert "database error: no such table: interaction" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
