"""PostgreSQL for the benchmarks (``python -m bench.run --postgresql`` or ``--pg-url URL``).

``ThrowawayServer`` starts a private server the way tests/conftest.py does: Debian's initdb and pg_ctl in a
directory of its own, on a free loopback port, as the postgres user when run as root (initdb refuses root). Unlike
the test server it keeps PostgreSQL's durable defaults (fsync, synchronous commit on): the figures should be those
of a real server, not of one that may lose data. With ``--keep`` its directory is ``postgresql/`` in the kept work
dir and the next run starts the same cluster again, populated database included.

``Databases`` creates, copies (``CREATE DATABASE ... TEMPLATE``), renames and drops the benchmark's databases on a
server given by the URL of a maintenance database (a role allowed to CREATE DATABASE).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import BenchError


def pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL bin directory, or the one of initdb on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayServer:
    """A PostgreSQL cluster in ``root`` (a new temporary directory when None), started on a free port."""

    ROLE = "kacrm"

    def __init__(self, root: Path | None = None, keep: bool = False) -> None:
        bindir = pg_bindir()
        if bindir is None:
            raise BenchError(
                "no PostgreSQL here: install Debian's postgresql package, or pass --pg-url URL"
            )
        self.bindir = bindir
        self.keep = keep and root is not None
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="kacrm-bench-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            if shutil.which("runuser") is None:
                raise BenchError(
                    "running as root without runuser: cannot start PostgreSQL as the postgres user"
                )
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres", "postgres")

    def _pg(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [*self.as_user, str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and completed.returncode != 0:
            tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
            raise BenchError(f"{tool} failed ({completed.returncode}): " + " ".join(tail))
        return completed

    def start(self) -> str:
        """Start the server (initdb first when the directory holds no cluster); the admin URL."""
        if not (self.data / "PG_VERSION").exists():
            self._pg(
                "initdb",
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                self.ROLE,
                "-E",
                "UTF8",
                "--no-locale",
            )
        elif self._pg("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0:
            self._pg(
                "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"
            )  # left running by a killed run
        # the server's Unix socket goes beside the data, unless that path is too long for a socket (~107 bytes)
        sockets = self.root if len(str(self.root)) < 80 else Path(tempfile.gettempdir())
        options = f"-k {sockets} -p {self.port} -c listen_addresses=127.0.0.1"
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.root / "log"),
            "start",
        )
        return f"postgresql+psycopg://{self.ROLE}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server; remove its directory unless kept."""
        if (self.data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


class Databases:
    """Databases on the server of ``admin_url`` (an SQLAlchemy ``postgresql+psycopg://`` URL)."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        if self.admin_url.get_backend_name() != "postgresql":
            raise BenchError(
                f"--pg-url must be a PostgreSQL URL (postgresql+psycopg://...), not {admin_url!r}"
            )

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` (what `kacrm --db` takes)."""
        return self.admin_url.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )

    def _connect(self):
        import psycopg

        conninfo = self.admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True)

    def _execute(
        self, statement, params: tuple[object, ...] | None = None
    ) -> list[tuple[object, ...]]:
        with self._connect() as conn:
            cursor = conn.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def exists(self, name: str) -> bool:
        return bool(self._execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))

    def _unused(self, name: str, statement) -> None:
        """Run a statement that needs database ``name`` free of sessions (a kacrm process's backend may still be
        closing just after the process ended): end them, retry for a few seconds."""
        import psycopg

        for attempt in range(20):
            try:
                self._execute(statement)
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                self._execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                time.sleep(0.25)

    def create(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` if given); its URL."""
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is None:
            self._execute(statement)
            return self.url(name)
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        if int(str(self._execute("SHOW server_version_num")[0][0])) >= 150000:
            statement += sql.SQL(
                " STRATEGY FILE_COPY"
            )  # a checkpoint and a file copy, not WAL for every block
        self._unused(template, statement)
        return self.url(name)

    def rename(self, old: str, new: str) -> None:
        from psycopg import sql

        self._unused(
            old,
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(old), sql.Identifier(new)
            ),
        )

    def drop(self, name: str) -> None:
        from psycopg import sql

        self._unused(name, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
