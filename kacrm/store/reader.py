"""Textual SQL with named ``:params``, written once and run on either backend (issue 19).

A read command on a SQLite file at the newest schema reads through Python's ``sqlite3`` (a ``SqliteBook``, opened
by kacrm.store.engine.open_sqlite_book): importing SQLAlchemy costs more than a small book's whole answer.
PostgreSQL, and a SQLite file that needs an upgrade first, are read through a SQLAlchemy engine: the same SQL in
``text()`` on its raw DB-API cursor (kacrm.store.raw). Either way a query gives the same Python values: the
columns named as dates, flags or times are converted here (SQLite returns ISO text and 0/1), the others come as
the driver gives them.
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


class SqliteReader(Reader):
    def __init__(self, conn: sqlite3.Connection, notice: Notice | None = None) -> None:
        self.conn = conn
        self.notice = notice

    def execute(self, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
        return self._call(sql, params, lambda c: ([d[0] for d in c.description], c.fetchall()))

    def run(self, sql: str, **params: Any) -> None:
        self._call(sql, params, lambda c: None)

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

        self.conn.execute(text(sql), params)


@dataclass
class SqliteBook:
    """A SQLite file at the newest schema, open for reading through the stdlib driver."""

    path: Path
    conn: sqlite3.Connection
    notice: Any = None  # kacrm.store.engine's lock-wait notice, when someone listens

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
