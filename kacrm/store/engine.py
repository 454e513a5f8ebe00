"""One place that turns ``--db``/``KACRM_DB`` into a ready engine: URL, SQLite pragmas, mode 0600, migrations;
and, for the read commands, a SQLite file at the newest schema opened through the stdlib driver (issue 19).

SQLAlchemy is imported inside the functions that build an engine: a read of a current SQLite file never loads it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from kacrm.errors import KacrmError, MissingDatabase, NotABook, worded
from kacrm.i18n import t
from kacrm.store.reader import SqliteBook

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The newest migration; kept here so that opening an up-to-date database never loads Alembic.
# tests/test_migrations.py checks that it equals Alembic's head.
SCHEMA_HEAD = "0010"

# How long a command waits for another kacrm that holds the SQLite write lock, and after how long it says so.
LOCK_WAIT_SECONDS = 30.0
LOCK_NOTICE_AFTER = 1.0


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kacrm", appauthor=False) / "kacrm.db"


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from a path or URL; ``None`` means the default file in the user data dir."""
    if db is None or str(db) == "":
        return f"sqlite:///{default_db_path()}"
    text_db = str(db)
    if "://" in text_db:
        if text_db.startswith("postgresql://"):  # the psycopg 3 driver is the one we ship
            text_db = "postgresql+psycopg://" + text_db[len("postgresql://") :]
        return text_db
    return f"sqlite:///{Path(text_db).expanduser()}"


def _sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def sqlite_file(db: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file ``db`` names (``None``: the default file), or None for a server URL or in-memory database."""
    return _sqlite_path(resolve_url(db))


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (it holds personal data).

    Only the default data directory is ever created: a typo in ``--db`` must not leave directories behind.
    """
    try:
        if not path.parent.is_dir():
            if path.parent != default_db_path().parent:
                raise KacrmError(
                    t("db_no_directory", "en", path=path, directory=path.parent),
                    t("db_no_directory", "zh", path=path, directory=path.parent),
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
    except OSError as exc:
        raise KacrmError(
            t("db_cannot_create", "en", path=path, reason=exc.strerror),
            t("db_cannot_create", "zh", path=path, reason=exc.strerror),
        ) from exc


def _sqlite_pragmas(*, read_only: bool):
    def set_pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_SECONDS * 1000)}")
        if not read_only:  # switching the journal mode writes to the file
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return set_pragmas


class _LockNotice:
    """Says once on stderr, when a statement has waited LOCK_NOTICE_AFTER seconds (SQLite's busy timeout: another
    kacrm holds the write lock), that kacrm is waiting and for how long at most; silent otherwise.

    One watcher thread per engine, started by the first statement; a statement only stamps its start time.
    """

    def __init__(self, path: Path, say: Callable[[Path, int], None]) -> None:
        self.path = path
        self.say = say
        self.started: float | None = None
        self.said = False
        self._thread: threading.Thread | None = None

    def before(self, *_args) -> None:
        self.started = time.monotonic()
        self._start_watching()

    def before_statement(self, _conn: object, cursor: object, *_args: object) -> None:
        """A statement inside a transaction that has already written holds the write lock: if it is slow, that
        is its own work (a large insert, a long scan), not a wait for another kacrm."""
        if getattr(getattr(cursor, "connection", None), "in_transaction", False):
            self.started = None
            return
        self.before()

    def progress(self) -> int:
        """SQLite's progress handler on the stdlib read path: called every few thousand steps of a statement that
        runs, never while it sleeps on another writer's lock; so a long query is not taken for a lock wait."""
        if self.started is not None:
            self.started = time.monotonic()
        return 0  # go on

    def _start_watching(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, daemon=True, name="kacrm-lock")
            self._thread.start()

    def after(self, *_args) -> None:
        self.started = None

    def _watch(self) -> None:
        while not self.said:
            time.sleep(0.2)
            started = self.started
            if started is not None and time.monotonic() - started >= LOCK_NOTICE_AFTER:
                self.said = True
                self.say(self.path, round(LOCK_WAIT_SECONDS))


def _watch_locks(engine: Engine, path: Path, say: Callable[[Path, int], None]) -> None:
    from sqlalchemy import event

    notice = _LockNotice(path, say)
    # the connection's pragmas may wait too (they run between these two)
    event.listen(engine, "connect", notice.before, insert=True)
    event.listen(engine, "connect", notice.after)
    event.listen(engine, "before_cursor_execute", notice.before_statement)
    event.listen(engine, "after_cursor_execute", notice.after)
    event.listen(engine, "handle_error", notice.after)
    event.listen(engine, "engine_disposed", lambda *_: setattr(notice, "said", True))


def make_engine(
    db: str | os.PathLike[str] | None,
    *,
    migrate: bool = True,
    create: bool = True,
    on_lock_wait: Callable[[Path, int], None] | None = None,
) -> Engine:
    """An engine on ``db``, with the schema created or upgraded to the newest version.

    ``create=False`` (every command but import, demo, customer add and init) refuses a SQLite file that does not
    exist, and a database without kacrm's tables (an empty server database), with MissingDatabase, creating
    nothing; a server database that does not exist is one message, whatever the command. A file this user cannot
    write is opened read-only: it can be read, and a write fails naming the file. ``on_lock_wait(path, seconds)``
    is called once when a statement has waited a second for another writer's lock.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, OperationalError

    url = resolve_url(db)
    sqlite_path = _sqlite_path(url)
    read_only = False
    if sqlite_path is not None:
        if not sqlite_path.exists():
            if not create:
                raise MissingDatabase(sqlite_path)
            _create_private_file(sqlite_path)
        elif not os.access(sqlite_path, os.W_OK):
            read_only = True
            url = f"sqlite:///file:{sqlite_path.resolve()}?mode=ro&uri=true"
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise KacrmError(f"cannot use database {db!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(read_only=read_only))
        if sqlite_path is not None and on_lock_wait is not None:
            _watch_locks(engine, sqlite_path, on_lock_wait)
    if migrate:
        try:
            revision = current_revision(engine)
            if read_only and revision != SCHEMA_HEAD:
                raise KacrmError(
                    t("db_read_only_old", "en", path=sqlite_path),
                    t("db_read_only_old", "zh", path=sqlite_path),
                )
            if revision is None and not create and not _has_kacrm_tables(engine):
                if sqlite_path is not None and sqlite_path.exists():  # a file, but not a book
                    raise NotABook(sqlite_path)
                # a server database without kacrm's tables is the missing file of SQLite (SPEC §2)
                raise MissingDatabase(
                    sqlite_path or engine.url.render_as_string(hide_password=True)
                )
            ensure_schema(engine, revision)
        except OperationalError as exc:
            where = engine.url.render_as_string(hide_password=True)
            if sqlite_path is None and _no_such_server_database(exc, engine.url.database):
                raise worded(
                    KacrmError, "db_server_missing", where=where, name=engine.url.database
                ) from exc
            raise worded(KacrmError, "db_cannot_open", where=where, reason=exc.orig) from exc
    return engine


def _has_kacrm_tables(engine: Engine) -> bool:
    """Whether the database holds kacrm's tables (a book, though without a schema version)."""
    from sqlalchemy import inspect

    return inspect(engine).has_table("customer")


def _no_such_server_database(exc: Exception, name: str | None) -> bool:
    """Whether the server refused the connection because the database ``name`` does not exist (a typo in the URL).
    PostgreSQL gives no SQLSTATE before the session starts, so this reads its (English) words; a server speaking
    another language gets the general message, which quotes the server's."""
    return bool(name) and f'database "{name}" does not exist' in str(exc)


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision by one query; None for a database without one (new, or not kacrm's)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            message = str(exc.orig)
            if "alembic_version" in message and (
                "no such table" in message or "does not exist" in message  # SQLite / PostgreSQL
            ):
                return None
            raise


def ensure_schema(engine: Engine, revision: str | None) -> None:
    """Create or migrate the schema (Alembic) from ``revision`` (``current_revision``); a no-op, without importing
    Alembic, when it is current."""
    if revision == SCHEMA_HEAD:
        return
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from kacrm.store.migrate import upgrade

    try:
        upgrade(engine)
    except CommandError as exc:  # a revision this kacrm does not know: the file is a newer kacrm's
        url = engine.url.render_as_string(hide_password=True)
        where = _sqlite_path(url) or url
        raise KacrmError(
            *(
                t("db_newer_schema", lang, where=where, revision=revision, head=SCHEMA_HEAD)
                for lang in ("en", "zh")
            )
        ) from exc
    except SQLAlchemyError as exc:
        raise KacrmError(f"cannot upgrade the database schema: {exc}") from exc


def _plain_sqlite_path(db: str | os.PathLike[str] | None) -> Path | None:
    """The file of a path, of ``None`` (the default file) or of a plain ``sqlite:///`` URL, as SQLAlchemy would
    read it (``sqlite:///rel.db``, ``sqlite:////abs.db``); None for anything else (a server, a driver name, a
    query string or an escape in the URL): the engine reads those."""
    text_db = "" if db is None else str(db)
    if text_db == "":
        return default_db_path()
    if "://" not in text_db:
        return Path(text_db).expanduser()
    rest = text_db.removeprefix("sqlite:///")
    if rest == text_db or not rest or any(c in rest for c in "?#%") or rest == ":memory:":
        return None
    return Path(rest)


def open_sqlite_book(
    db: str | os.PathLike[str] | None, *, on_lock_wait: Callable[[Path, int], None] | None = None
) -> SqliteBook | None:
    """The SQLite file ``db`` names (a path, or ``None``: the default file) open for reading through the stdlib
    driver, when its schema is SCHEMA_HEAD; None for a server URL (or a SQLite URL of more than a path) and for
    a file that needs an upgrade or has no kacrm schema, which the engine (``make_engine``) opens as before.

    What ``make_engine`` does for a read holds here too: a missing file is MissingDatabase, creating nothing
    (``mode=rw`` never creates); a file this user cannot write is opened read-only; a statement waits
    LOCK_WAIT_SECONDS for another writer's lock and ``on_lock_wait`` is told once after LOCK_NOTICE_AFTER.
    """
    path = _plain_sqlite_path(db)
    if path is None:
        return None
    if not path.exists():
        raise MissingDatabase(path)
    read_only = not os.access(path, os.W_OK)
    uri = f"file:{quote(str(path.resolve()))}?mode={'ro' if read_only else 'rw'}"
    import sqlite3  # here: `kacrm --help` does not need the driver

    notice = _LockNotice(path, on_lock_wait) if on_lock_wait is not None else None
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.OperationalError as exc:
        # a directory, a file in a directory this user cannot enter
        raise worded(KacrmError, "db_cannot_open", where=f"sqlite:///{path}", reason=exc) from exc
    book = SqliteBook(path, conn, notice, read_only)
    if notice is not None:
        book.conn.set_progress_handler(notice.progress, 10_000)
    try:
        if notice is not None:
            notice.before()
        book.conn.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_SECONDS * 1000)}")
        book.conn.execute("PRAGMA foreign_keys=ON")
        revision = book.conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        book.close()
        if "no such table: alembic_version" in str(exc):
            return None
        raise worded(KacrmError, "db_cannot_open", where=f"sqlite:///{path}", reason=exc) from exc
    except BaseException:
        book.close()
        raise
    finally:
        if notice is not None:
            notice.after()
    if revision is None or revision[0] != SCHEMA_HEAD:
        book.close()
        return None
    return book
