"""Big read-only queries straight through the DB-API cursor.

SQLAlchemy's result rows cost about a microsecond each; at a million rows that is most of a command's time. These
helpers compile a Core statement (or ``text()``) for the connection's dialect, run it on the raw cursor and hand
back plain tuples; ``as_date`` reads a stored date on either backend (SQLite returns it as ISO text, PostgreSQL
as ``date``)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sqlalchemy import Connection


class _Days(dict):
    """A day by what a driver returns for a DATE or DATETIME column (ISO text, date, datetime or None).

    SQLite returns dates as ISO text; a big book has a million date cells but only a few thousand days, so the day
    of each text (and each date a server returns) is kept: ``DAYS[value]`` is one dict lookup in C, which
    ``map(DAYS.__getitem__, column)`` does for a whole column (kacrm.store.reader)."""

    def __missing__(self, value: Any) -> date | None:
        if type(value) is str and len(value) == 10:
            day = self[value] = date.fromisoformat(value)
            return day
        if type(value) is date:
            self[value] = value
            return value
        if isinstance(value, datetime):
            return value.date()
        if type(value) is str and len(value) > 10 and value[10] in " T":
            return self[value[:10]]  # a DATETIME's text: its day
        return date.fromisoformat(str(value)[:10])


DAYS = _Days({None: None})


def as_date(value: Any) -> date | None:
    """A date from what a driver returns for a DATE or DATETIME column (ISO text, date, datetime or None)."""
    return DAYS[value]


def added_day(added_on: Any, created_at: Any) -> date | None:
    """The day a customer was added: ``added_on`` (schema 0010: --as-of, else the local date, when it was added),
    else, for a row written without one, the local date of its ``created_at`` (a UTC moment: naive text on
    SQLite, an aware datetime on PostgreSQL)."""
    if added_on is not None:
        return DAYS[added_on]
    if created_at is None:
        return None
    moment = created_at if isinstance(created_at, datetime) else datetime.fromisoformat(created_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


def raw_rows(
    conn: Connection, statement: Any, params: dict[str, Any] | None = None
) -> tuple[list[str], list[tuple]]:
    """(column names, rows as tuples) of ``statement``; date parameters are bound as ISO text on SQLite."""
    batches = raw_batches(conn, statement, params, size=0)
    try:
        return next(batches), next(batches, [])
    finally:
        batches.close()


def raw_batches(
    conn: Connection, statement: Any, params: dict[str, Any] | None = None, size: int = 50_000
) -> Iterator[Any]:
    """The column names of ``statement``, then its rows as lists of at most ``size`` tuples (all at once for 0)."""
    # render_postcompile: an expanding IN (...) becomes one parameter per value, as SQLAlchemy would send it
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    values = {**compiled.params, **(params or {})}
    if (
        compiled.positional
    ):  # sqlite3's qmark style; SQLAlchemy's SQLite dialect stores dates as ISO text
        bound: Any = tuple(sqlite_value(values[name]) for name in compiled.positiontup)
    else:
        bound = values
    cursor = conn.connection.cursor()
    try:
        with driver_errors(conn, str(compiled), bound):
            cursor.execute(str(compiled), bound)
            yield [d[0] for d in cursor.description]
            while rows := (cursor.fetchmany(size) if size else cursor.fetchall()):
                yield rows
                if not size:
                    return
    finally:
        cursor.close()


def driver_rows(conn: Connection, sql: str, params: Sequence[Any]) -> list[tuple]:
    """The rows of ``sql`` (``?`` placeholders, turned into ``%s`` for psycopg) with positional ``params`` of plain
    values, as tuples: no SQLAlchemy statement is built, which for a lookup of thousands of keys costs more than
    the query itself."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.cursor()
    try:
        with driver_errors(conn, sql, params):
            cursor.execute(sql, tuple(params))
            return cursor.fetchall()
    finally:
        cursor.close()


@contextmanager
def driver_errors(conn: Connection, sql: str, params: Any = None) -> Iterator[None]:
    """A DB-API error raised in the block (work done on the driver's cursor, past SQLAlchemy) raised as SQLAlchemy
    would raise it: kacrm.cli.app makes one message of those, where a driver's own error would be a traceback."""
    try:
        yield
    except conn.dialect.loaded_dbapi.Error as exc:
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error) from exc


def sqlite_value(value: Any) -> Any:
    """A parameter as SQLAlchemy's SQLite dialect binds it: a date as ISO text, a timestamp as its text with
    microseconds and without the offset (the models store them so; the stdlib driver's adapter adds the offset)."""
    if isinstance(value, datetime):  # the format of SQLAlchemy's SQLite DATETIME
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
        )
    return value.isoformat() if isinstance(value, date) else value
