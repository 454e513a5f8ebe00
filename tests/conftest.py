"""Shared fixtures: a fresh database on each backend (a real SQLite file, a real PostgreSQL server) and the CLI.

PostgreSQL: set KACRM_TEST_PG_URL to an existing server's URL (a role allowed to CREATE DATABASE), or let this
file start a throwaway server from Debian's postgresql package (initdb + pg_ctl in a temporary directory, on
loopback). Without a server the PostgreSQL variants are skipped with the reason, unless KACRM_REQUIRE_PG=1
or CI=true, where that is an error: CI must test both backends.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from kacrm.cli.app import app
from kacrm.store.engine import make_engine

BACKENDS = ["sqlite", "postgresql"]

# Tables written to a pipe take COLUMNS, else the controlling terminal's width (kacrm.cli.common._pipe_width).
# pytest-xdist's workers export COLUMNS=80, and a developer's terminal has its own size: every test, and every
# fixture of any scope, gets cron's width instead (a test that wants another width passes its own COLUMNS).
os.environ["COLUMNS"] = "200"

# Typer rebuilds the whole click command tree on every CliRunner.invoke (~0.3 s for kacrm); build it once.
typer.testing._get_command = functools.cache(typer.main.get_command)


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the developer's own config, database or language."""
    home = tmp_path_factory.mktemp("home")
    for var in ("KACRM_DB", "KACRM_CONFIG", "KACRM_LANG", "KACRM_TODAY", "KACRM_SMTP_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


def _pg_required() -> bool:
    return bool(os.environ.get("KACRM_REQUIRE_PG")) or os.environ.get("CI", "").lower() == "true"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory, fast and unsafe (fsync off), for this test session."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="kacrm-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "kacrm",
            "-E",
            "UTF8",
            "--no-locale",
        )
        options = (
            f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.dir / "log"),
            "start",
        )
        return f"postgresql+psycopg://kacrm@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str | None]:
    """The URL of a maintenance database on a PostgreSQL server, or None where there is none."""
    given = os.environ.get("KACRM_TEST_PG_URL")
    if given:
        yield given
        return
    bindir = _pg_bin()
    if bindir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        yield None
        return
    server = ThrowawayPostgres(bindir)
    try:
        url = server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, LookupError) as exc:
        server.stop()
        if _pg_required():
            raise RuntimeError(f"cannot start PostgreSQL: {exc}") from exc
        yield None
        return
    yield url
    server.stop()


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def pg_test_url(pg_admin_url: str | None) -> str | None:
    """One migrated database per test process; each test gets it emptied (CREATE DATABASE costs seconds).

    Its collation is ICU's English one, as on a typical server (the cluster itself is --no-locale): ORDER BY on
    text then sorts "a" before "B", unlike Python, so code that needs Python's order must say COLLATE "C".
    """
    if pg_admin_url is None:
        return None
    name = f"kacrm_test_{uuid.uuid4().hex[:8]}"
    _pg_execute(
        pg_admin_url,
        f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'",
    )
    url = pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
    make_engine(url).dispose()
    return url


def _empty_pg_database(admin_url: str, url: str) -> None:
    """Truncate every kacrm table, first ending any connection a test left open."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    _pg_execute(
        admin_url,
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            conn.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend (SQLite: a new file, migrated on first use)."""
    if request.param == "sqlite":
        # an existing, empty book (kacrm init): only import, demo and customer add create a missing one
        make_engine(tmp_path / "kacrm.db").dispose()
        yield f"sqlite:///{tmp_path / 'kacrm.db'}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    if admin is None:
        if _pg_required():
            pytest.fail(
                "PostgreSQL is required here (CI or KACRM_REQUIRE_PG) but no server could be started"
            )
        pytest.skip(
            "no PostgreSQL server here (install Debian's postgresql package or set KACRM_TEST_PG_URL)"
        )
    url = request.getfixturevalue("pg_test_url")
    _empty_pg_database(admin, url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kacrm.db'}"


@pytest.fixture
def engine(db_url: str):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def run(db_url: str):
    """Invoke the kacrm CLI against the test database: run("customer", "list", "--format", "json")."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        return runner.invoke(
            app, ["--db", db_url, *args], input=input, env=env, catch_exceptions=True
        )

    return invoke
