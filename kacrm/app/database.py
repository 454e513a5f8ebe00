"""The database a command works on: its engine from ``--db``/``KACRM_DB`` and a session per unit of work; for
the read commands, the SQLite file read through the stdlib driver when it needs no upgrade (issue 19)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kacrm.errors import KacrmError, MissingDatabase
from kacrm.i18n import t
from kacrm.store import engine as engine_module
from kacrm.store.engine import make_engine, open_sqlite_book, resolve_url, sqlite_file
from kacrm.store.reader import SqliteBook

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


def open_engine(
    db: str | None,
    *,
    create: bool = False,
    on_lock_wait: Callable[[Path, int], None] | None = None,
) -> Engine:
    """The ready engine (pragmas, mode 0600, migrations) for a path, URL or ``None`` (the default file).

    Only ``create=True`` (import, demo, customer add, init) makes a new SQLite file; otherwise a missing file is
    MissingDatabase (exit 1), so that a typo in ``--db`` never answers with an empty book.
    """
    return make_engine(db, create=create, on_lock_wait=on_lock_wait)


def open_reads(
    db: str | None, *, on_lock_wait: Callable[[Path, int], None] | None = None
) -> SqliteBook | None:
    """The SQLite file ``db`` names, open for the read commands without SQLAlchemy, when it is a file at the
    newest schema; None when the engine must open it (a server URL, a file to upgrade). A missing file is
    MissingDatabase."""
    return open_sqlite_book(db, on_lock_wait=on_lock_wait)


def new_sqlite_file(db: str | None) -> Path | None:
    """The SQLite file ``db`` names when it does not exist yet (a command with ``create=True`` would make it)."""
    path = sqlite_file(db)
    return path if path is not None and not path.exists() else None


def discard_new_file(path: Path) -> None:
    """Remove a database file that a failed command created, with SQLite's side files, when it holds no row
    but the schema version: a rejected first import must not leave an empty database that later commands would
    take for the user's book. (An import writes all its files in one transaction: a failed one leaves no row.)"""
    import sqlite3

    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = [
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                if name != "alembic_version"
            ]
            if any(conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables):
                return
    except sqlite3.Error:
        return  # not ours to judge: leave the file as it is
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    # SQLModel (with the ORM and pydantic, ~0.4 s) only for the commands that open a session: the read paths
    # that query through SQLAlchemy Core never load it
    from sqlmodel import Session

    with Session(engine) as current:
        yield current


def init_database(db: str | None) -> tuple[str, bool, Path | None]:
    """Create (or upgrade) the database ``db`` names: where it is, whether it is new, and the directory made for
    it (`kacrm init`, the one command that creates what it is told to: `kacrm --db ~/kacrm/book.db init` makes
    ~/kacrm; any other command refuses a file in a missing directory, a typo's)."""
    path = sqlite_file(db)
    made = None
    if path is not None and not path.parent.is_dir():
        made = _missing_ancestor(path.parent)
        try:
            path.parent.mkdir(parents=True)
        except OSError as exc:
            raise KacrmError(
                t("db_cannot_create", "en", path=path, reason=exc.strerror),
                t("db_cannot_create", "zh", path=path, reason=exc.strerror),
            ) from exc
    try:
        engine, existed = make_engine(db, create=False), True
    except MissingDatabase:  # no file, or a server database without kacrm's tables
        engine, existed = make_engine(db, create=True), False
    where = str(path) if path is not None else engine.url.render_as_string(hide_password=True)
    engine.dispose()
    return where, not existed, made


def _missing_ancestor(directory: Path) -> Path:
    """The outermost directory of ``directory``'s path that does not exist yet."""
    while not directory.parent.exists() and directory.parent != directory:
        directory = directory.parent
    return directory


def database_name(db: str | None) -> str:
    """The file (or the URL without its password) that ``db`` names, for messages."""
    path = sqlite_file(db)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(resolve_url(db)).render_as_string(hide_password=True)


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the database's refusal (SQLAlchemy's error, or the stdlib driver's on a read), which
    the CLI turns into one message."""
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    if "sqlalchemy" not in sys.modules:  # never loaded: the error cannot be one of its
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


def lock_wait_seconds() -> int:
    """How long a command waits for another writer's lock before it gives up (for the message)."""
    return round(engine_module.LOCK_WAIT_SECONDS)
