"""Tell inside SQLite that a chunk of a re-import is stored exactly as the file gives it (issue 19).

Re-importing an unchanged file is mostly rows stored exactly as they are. Reading them back through the driver
makes a Python object of every stored cell (eight million for a million orders: about 2 s of CPU, a third of the
re-import). Here SQLite writes each stored row as a JSON array (``json_array``) and Arrow writes each new row the
same way, in C. A chunk whose range of ids holds its rows in its order is compared whole: the range's arrays
joined by ``group_concat`` into one text, one query, one comparison. Otherwise (a changed or new row, another
order) each new row's text is compared with its stored row's, found by id range and by key: two Python objects
per stored row instead of eight. Only where the texts cannot tell (a value written otherwise, below) does the
caller compare the rows as the driver returns them.

Why equal texts mean unchanged rows. A JSON text is read one way only and a JSON array ends where it ends, so
equal texts are the same arrays, value for value, row for row; the key is among the values, so each new row is
set beside the stored row of its key, whatever order SQLite read the range in. The new values are written: a text
as a JSON string of itself (refused, so that the chunk goes row by row, when one holds a character JSON escapes:
``"``, ``\\`` or a control character), an integer in decimal, a date as the string ``YYYY-MM-DD``, a whole float
below 2^53 as an integer (any other float refused), a missing value as ``null``. A stored value written as the
new one is that value: SQLite writes a text as a string (escaping those characters), an integer in decimal, a
real with a ``.`` or an ``e`` (and the type affinity of an INTEGER column stores a whole number as an integer);
a REAL column is written as the integer it equals, or ``null`` when it equals none (which only a new ``null``
matches: a blank cell keeps what is stored, so its row is unchanged either way); a blob makes ``json_array``
fail (the chunk then goes row by row). So a chunk proven here is one the row-by-row comparison calls unchanged
in every row.
"""

from __future__ import annotations

from datetime import date
from operator import eq
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

from kacrm.store.raw import driver_rows

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

WHOLE_LIMIT = 2**53  # floats below it are integers exactly
LOOKUP_CHUNK = 5_000  # keys looked up at a time


def same_as_stored(
    conn: Connection,
    table: Table,
    key: str,
    keys: list[Any],
    rows: pd.DataFrame,
    span: tuple[int, int] | None,
    upto: int | None,
) -> np.ndarray | None:
    """Which of ``rows`` (columns named as the table's, ``key`` unique, its values ``keys``) are stored as they
    are: the whole chunk at once when the ids of ``span`` hold it in its order (``stored_as_given``), else each
    row's text against the stored row of its key (read by the ids of ``span``, the others looked up, ids at most
    ``upto``). None when the texts cannot tell (not SQLite, a column or a value not written here, a stored blob):
    the caller compares the rows as the driver returns them."""
    import numpy as np

    if conn.dialect.name != "sqlite":
        return None
    kinds = {name: _kind(table.c[name].type) for name in rows.columns}
    if None in kinds.values():
        return None
    texts = _json_arrays(rows, kinds)
    if texts is None:
        return None
    try:
        if span is not None and stored_as_given(conn, table, kinds, texts, *span):
            return np.ones(len(rows), dtype=bool)
        stored = dict(_stored_by_id(conn, table, key, kinds, span)) if span is not None else {}
        stored.update(
            _stored_by_key(conn, table, key, kinds, [k for k in keys if k not in stored], upto)
        )
    except DBAPIError:  # a blob, or a SQLite without JSON
        return None
    return np.fromiter(map(eq, map(stored.get, keys), texts.to_pylist()), bool, len(keys))


def stored_as_given(
    conn: Connection, table: Table, kinds: dict[str, str], texts: pa.Array, first: int, last: int
) -> bool:
    """Whether the rows of ``table`` with ids ``first`` to ``last`` are the rows written as ``texts`` (one JSON
    array each, ``_json_arrays``), in some order: one query, one text compared."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sql = (
        f"SELECT count(*), CAST(group_concat(json_array({_values(conn, kinds)})) AS BLOB) "
        f"FROM {_quote(conn, table.name)} WHERE {_quote(conn, 'id')} BETWEEN ? AND ?"
    )
    count, stored = driver_rows(conn, sql, [first, last])[0]
    if count != len(texts):
        return False
    text = pa.large_string()
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(texts)], pa.int64()), texts)
    return stored == pc.binary_join(whole, pa.scalar(",", text))[0].as_buffer().to_pybytes()


def _stored_by_id(
    conn: Connection, table: Table, key: str, kinds: dict[str, str], span: tuple[int, int]
) -> list[tuple]:
    """(key, JSON text) of the stored rows with the ids of ``span``."""
    sql = (
        f"SELECT {_quote(conn, key)}, json_array({_values(conn, kinds)}) FROM {_quote(conn, table.name)} "
        f"WHERE {_quote(conn, 'id')} BETWEEN ? AND ?"
    )
    return driver_rows(conn, sql, list(span))


def _stored_by_key(
    conn: Connection,
    table: Table,
    key: str,
    kinds: dict[str, str],
    keys: list[Any],
    upto: int | None,
) -> list[tuple]:
    """(key, JSON text) of the stored rows of ``keys`` (ids at most ``upto``), LOOKUP_CHUNK keys at a time."""
    head = (
        f"SELECT {_quote(conn, key)}, json_array({_values(conn, kinds)}) FROM {_quote(conn, table.name)} "
        f"WHERE {_quote(conn, key)} IN"
    )
    bound = f" AND {_quote(conn, 'id')} <= {int(upto)}" if upto is not None else ""
    found: list[tuple] = []
    for start in range(0, len(keys), LOOKUP_CHUNK):
        part = keys[start : start + LOOKUP_CHUNK]
        found.extend(driver_rows(conn, f"{head} ({', '.join('?' * len(part))}){bound}", part))
    return found


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _values(conn: Connection, kinds: dict[str, str]) -> str:
    """The stored values as ``json_array``'s arguments: a REAL column as the integer it equals, else null."""
    whole = "CASE WHEN {0} = CAST({0} AS INTEGER) THEN CAST({0} AS INTEGER) END"
    return ", ".join(
        whole.format(_quote(conn, n)) if kind == "real" else _quote(conn, n)
        for n, kind in kinds.items()
    )


def _kind(sql_type: Any) -> str | None:
    """How a column of this type is compared here: integer, real, text, date, or None (not here). A type
    decorator (SQLModel's AutoString) by the type it stores."""
    try:
        python = getattr(sql_type, "impl_instance", sql_type).python_type
    except NotImplementedError:
        return None
    return {int: "integer", float: "real", str: "text", date: "date"}.get(python)


def _json_arrays(rows: pd.DataFrame, kinds: dict[str, str]) -> pa.Array | None:
    """Each row as ``json_array`` writes the stored one (large strings); None when a value cannot be written
    so."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    # the row's pieces, joined with nothing: literal brackets, commas and quotes between the values
    pieces: list[Any] = []
    literal = "["
    for name, kind in kinds.items():
        values = _json_values(rows[name], kind)
        if values is None:
            return None
        if kind in ("text", "date") and values.null_count == 0:
            # no null to write bare: the quotes go with the literal pieces
            pieces += [pa.scalar(literal + '"', text), values]
            literal = '",'
        else:
            if kind in ("text", "date"):
                quote = pa.scalar('"', text)
                values = pc.binary_join_element_wise(quote, values, quote, pa.scalar("", text))
            pieces += [pa.scalar(literal, text), pc.fill_null(values, "null")]
            literal = ","
    pieces.append(pa.scalar(literal[:-1] + "]", text))
    return pc.binary_join_element_wise(*pieces, pa.scalar("", text))


def _json_values(column: pd.Series, kind: str) -> pa.Array | None:
    """The column's values as JSON writes them, texts and dates without their quotes (large strings, a missing
    value null); None when one cannot be written so."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    dtype = column.dtype
    if kind == "text":
        if not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
            return None
        try:  # a column of blanks too (Arrow would make it of type null)
            values = pa.array(column, type=text, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all texts
            return None
        return None if _escaped(values) else values
    if kind == "date":
        if not pd.api.types.is_datetime64_dtype(dtype):  # naive datetimes only
            return None
        # the day, as the row-by-row comparison and the insert write it (kacrm.store.bulk._python_columns)
        days = pc.dictionary_encode(pa.array(column, from_pandas=True).cast(pa.date32()))
        return pc.take(days.dictionary.cast(text), days.indices)  # each day written once
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    if pd.api.types.is_float_dtype(dtype):
        floats = column.to_numpy(dtype="float64", na_value=np.nan)
        given = ~np.isnan(floats)
        whole = floats[given]
        if not (np.abs(whole) < WHOLE_LIMIT).all() or (np.floor(whole) != whole).any():
            return None
        return pa.array(np.where(given, floats, 0).astype("int64"), mask=~given).cast(text)
    try:
        return pa.array(column, from_pandas=True).cast(pa.int64()).cast(text)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # beyond 64 bits
        return None


def _escaped(values: pa.Array) -> bool:
    """Whether a text holds a character JSON escapes (a quote, a backslash, a control character), told on the
    bytes of the values (those of a slice's whole buffer: then it refuses more, never less)."""
    import numpy as np

    data = values.buffers()[2]
    if data is None:
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    return bool(((raw < 0x20) | (raw == 0x22) | (raw == 0x5C)).any())
