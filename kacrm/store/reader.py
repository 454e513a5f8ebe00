"""Textual SQL with named ``:params``, written once and run on either backend (issue 19); the writes of a
salesperson's day (``writing``) too.

A read command on a SQLite file at the newest schema reads through Python's ``sqlite3`` (a ``SqliteBook``, opened
by kacrm.store.engine.open_sqlite_book): importing SQLAlchemy costs more than a small book's whole answer.
PostgreSQL, and a SQLite file that needs an upgrade first, are read through a SQLAlchemy engine: the same SQL in
``text()`` on its raw DB-API cursor (kacrm.store.raw). Either way a query gives the same Python values: the
columns named as dates, flags or times are converted here (SQLite returns ISO text and 0/1), the others come as
the driver gives them. Parameters are bound as the models store them on SQLite (kacrm.store.raw.sqlite_value:
dates and timestamps as SQLAlchemy's text), so that a row written here is the row the ORM wrote.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kacrm.store.raw import DAYS, raw_rows, sqlite_value

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Connection, Engine


class Notice(Protocol):
    """Stamps a statement's start and end (kacrm.store.engine's lock-wait notice)."""

    def before(self) -> None: ...

    def after(self) -> None: ...


def as_flag(value: Any) -> bool | None:
    """A BOOLEAN column's value as the models read it: SQLite's 0/1 as a bool, NULL as None."""
    return None if value is None else bool(value)


def as_utc(value: Any) -> datetime | None:
    """A timestamp as the models' UTCDateTime reads it: aware, in UTC (SQLite stores ISO text without an
    offset, PostgreSQL gives an aware datetime in the session's zone)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


@cache
def _record(names: tuple[str, ...]) -> Any:
    """The named tuple of a query's columns, made once per distinct column list."""
    return namedtuple("Record", names)  # type: ignore[misc]


class Reader:
    """Runs a query and hands back its rows as named tuples (``rows``) or plain tuples (``tuples``),
    converting the columns named in ``dates``, ``flags`` and ``times``."""

    dialect = "sqlite"  # the backend's name, where the SQL must differ (a collation)

    def execute(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        raise NotImplementedError

    def run(self, sql: str, **params: Any) -> None:
        """A statement without rows: the temporary tables of a dry run (`tier --dry-run`)."""
        raise NotImplementedError

    def rows(
        self,
        sql: str,
        dates: tuple[str, ...] = (),
        *,
        flags: tuple[str, ...] = (),
        times: tuple[str, ...] = (),
        **params: Any,
    ) -> list[Any]:
        """The rows as named tuples of the query's column names (one class per column list)."""
        names, rows = self._converted(sql, dates, flags, times, params)
        return list(map(_record(tuple(names))._make, rows))

    def tuples(
        self,
        sql: str,
        dates: tuple[str, ...] = (),
        *,
        flags: tuple[str, ...] = (),
        times: tuple[str, ...] = (),
        **params: Any,
    ) -> list[tuple]:
        """The rows as plain tuples, converted as ``rows`` converts them: for a loop that unpacks each row, which
        a hundred thousand rows make cheaper than reading them by name."""
        return self._converted(sql, dates, flags, times, params)[1]

    def _converted(
        self,
        sql: str,
        dates: tuple[str, ...],
        flags: tuple[str, ...],
        times: tuple[str, ...],
        params: dict[str, Any],
    ) -> tuple[list[str], list[tuple]]:
        names, rows = self.execute(sql, params)
        convert = [
            (names.index(name), how)
            for columns, how in ((dates, DAYS.__getitem__), (flags, as_flag), (times, as_utc))
            for name in columns
        ]
        if not convert or not rows:
            return names, rows
        # a column at a time: one map in C per converted column instead of a Python loop over every cell
        columns = list(zip(*rows, strict=True))
        for pos, how in convert:
            columns[pos] = tuple(map(how, columns[pos]))
        return names, list(zip(*columns, strict=True))

    def scalar(self, sql: str, **params: Any) -> Any:
        """The first column of the first row, None without a row."""
        _, rows = self.execute(sql, params)
        return rows[0][0] if rows else None

    def insert(self, table: str, **values: Any) -> int:
        """Insert one row of ``values`` (column names) into ``table``; its new ``id``."""
        raise NotImplementedError

    @staticmethod
    def insert_sql(table: str, names: Any) -> str:
        columns = ", ".join(names)
        return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(f':{n}' for n in names)})"


class SqliteReader(Reader):
    def __init__(self, conn: sqlite3.Connection, notice: Notice | None = None) -> None:
        self.conn = conn
        self.notice = notice

    def execute(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        return self._call(sql, params, lambda c: ([d[0] for d in c.description], c.fetchall()))

    def run(self, sql: str, **params: Any) -> None:
        self._call(sql, params, lambda c: None)

    def insert(self, table: str, **values: Any) -> int:
        return self._call(self.insert_sql(table, values), values, lambda c: c.lastrowid)

    def _call(self, sql: str, params: dict[str, Any], then: Any) -> Any:
        bound = {name: sqlite_value(value) for name, value in params.items()}
        if self.notice is not None:
            self.notice.before()
        try:
            return then(self.conn.execute(sql, bound))
        finally:
            if self.notice is not None:
                self.notice.after()


class AlchemyReader(Reader):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name

    def execute(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        from sqlalchemy import text

        return raw_rows(self.conn, text(sql), params)

    def run(self, sql: str, **params: Any) -> None:
        from sqlalchemy import text

        self.conn.execute(text(sql), self._bound(params))

    def insert(self, table: str, **values: Any) -> int:
        from sqlalchemy import text

        sql = self.insert_sql(table, values)
        if self.dialect == "postgresql":
            return self.conn.execute(text(sql + " RETURNING id"), values).scalar_one()
        return self.conn.execute(text(sql), self._bound(values)).lastrowid

    def _bound(self, params: dict[str, Any]) -> dict[str, Any]:
        """On SQLite, dates and timestamps as the models store them (the driver's own adapters differ)."""
        if self.dialect != "sqlite":
            return params
        return {name: sqlite_value(value) for name, value in params.items()}


@dataclass
class SqliteBook:
    """A SQLite file at the newest schema, open for reading through the stdlib driver."""

    path: Path
    conn: sqlite3.Connection
    notice: Any = None  # kacrm.store.engine's lock-wait notice, when someone listens
    read_only: bool = False  # opened with mode=ro: this user cannot write the file

    def close(self) -> None:
        if self.notice is not None:
            self.notice.said = True  # ends its watcher
        self.conn.close()


@contextmanager
def reading(book: SqliteBook | Engine) -> Iterator[Reader]:
    """A reader on ``book``: its stdlib connection, or a connection of the engine for the block."""
    if isinstance(book, SqliteBook):
        yield SqliteReader(book.conn, book.notice)
        return
    with book.connect() as conn:
        yield AlchemyReader(conn)


@contextmanager
def writing(book: SqliteBook | Engine) -> Iterator[Reader]:
    """One write transaction on ``book``, committed when the block ends, rolled back on an error (the checks the
    block makes first then change nothing). On SQLite it begins IMMEDIATE: the write lock is taken before
    anything is read, so that nobody writes between the checks and the write, waiting for another writer as the
    engine waits (LOCK_WAIT_SECONDS, the notice after a second); the file's journal is WAL, as the engine sets it.
    Without SQLAlchemy on a current SQLite file, as the reads (issue 19)."""
    if not isinstance(book, SqliteBook):
        with book.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(
                    "BEGIN IMMEDIATE"
                )  # other backends begin on the first statement
            yield AlchemyReader(conn)
            conn.commit()
        return
    writer = SqliteReader(book.conn, book.notice)
    if not book.read_only:  # a read-only file fails on its first write, with the engine's message
        writer.run("PRAGMA journal_mode=WAL")
        writer.run("PRAGMA synchronous=NORMAL")
    writer.run("BEGIN IMMEDIATE")
    try:
        yield writer
    except BaseException:
        if book.conn.in_transaction:
            book.conn.execute("ROLLBACK")
        raise
    writer.run("COMMIT")
