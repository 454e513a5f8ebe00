"""A PostgreSQL database without kacrm's tables is the missing database of SPEC §2: every command but import,
demo, customer add and init refuses it, naming the URL without its password, and creates nothing; a database the
server does not have is one message. A real PostgreSQL server (tests/conftest.py)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kacrm.cli.app import app
from tests.conftest import _pg_execute
from tests.test_cli_database import READERS

runner = CliRunner()


def _tables(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [name for (name,) in rows]


def _with_password(url: str) -> str:
    """The URL with a password in it (the throwaway server trusts loopback, so any password connects)."""
    return url.replace("postgresql+psycopg://kacrm@", "postgresql://kacrm:s3cret@")


@pytest.fixture
def empty_pg(pg_admin_url: str | None) -> Iterator[str]:
    """A new, empty PostgreSQL database (what `createdb` makes), dropped afterwards."""
    if pg_admin_url is None or "kacrm@" not in pg_admin_url:
        pytest.skip("needs the throwaway PostgreSQL server of tests/conftest.py")
    name = f"kacrm_empty_{uuid.uuid4().hex[:8]}"
    _pg_execute(pg_admin_url, f"CREATE DATABASE {name}")
    yield pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
    _pg_execute(pg_admin_url, f"DROP DATABASE {name} WITH (FORCE)")


def test_every_reader_refuses_an_empty_server_database_and_creates_nothing(
    empty_pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = _with_password(empty_pg)
    shown = empty_pg.replace("kacrm@", "kacrm:***@")  # the driver's URL, the password masked
    for args in READERS:
        r = runner.invoke(app, ["--db", url, *args])
        assert r.exit_code == 1, (args, r.output)
        assert r.stderr.strip() == (
            f"Error: no database at {shown}; create one with kacrm init or kacrm import"
        ), args
        assert "s3cret" not in r.output
        assert _tables(empty_pg) == [], args
    assert list(tmp_path.iterdir()) == []  # no export either
    r = runner.invoke(app, ["--db", url, "--lang", "zh", "due"])
    assert r.exit_code == 1
    assert f"{shown} 处没有数据库" in r.stderr
    assert _tables(empty_pg) == []


def test_init_makes_the_empty_server_database_a_book(empty_pg: str) -> None:
    r = runner.invoke(app, ["--db", empty_pg, "init"])
    assert r.exit_code == 0, r.output
    assert f"Created the database {empty_pg}." in r.stderr
    assert "customer" in _tables(empty_pg)
    r = runner.invoke(app, ["--db", empty_pg, "init"])
    assert "already exists" in r.stderr
    r = runner.invoke(app, ["--db", empty_pg, "customer", "list", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [["due"], ["init"], ["customer", "add", "KH0001", "华南电子"]])
def test_a_database_the_server_does_not_have_is_one_message(empty_pg: str, args: list[str]) -> None:
    typo = _with_password(empty_pg) + "x"
    name = empty_pg.rsplit("/", 1)[1] + "x"
    r = runner.invoke(app, ["--db", typo, *args])
    assert r.exit_code == 1, r.output
    shown = empty_pg.replace("kacrm@", "kacrm:***@") + "x"
    assert r.stderr.strip() == (
        f"Error: no database at {shown}: the server has no database named {name}; check the name, or "
        f"create it (createdb {name}) and run kacrm init"
    )


def test_an_empty_sqlite_file_is_no_book_either(tmp_path: Path) -> None:
    db = tmp_path / "touched.db"
    db.touch()
    r = runner.invoke(app, ["--db", str(db), "due"])
    assert r.exit_code == 1
    assert f"{db} holds no kacrm book" in " ".join(r.stderr.split())  # a file there, but not a book
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    r = runner.invoke(app, ["--db", str(db), "init"])
    assert f"Created the database {db}." in r.stderr
