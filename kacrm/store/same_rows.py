"""Tell inside SQLite that a chunk of a re-import is stored exactly as the file gives it (issue 19).

Re-importing an unchanged file is mostly rows stored exactly as they are. Reading them back through the driver
makes a Python object of every stored cell (eight million for a million orders: about 2 s of CPU, a third of the
re-import). Here SQLite writes the chunk's range of ids as one text, each row a JSON array (``json_array``, joined
by ``group_concat``), and Arrow writes the new rows the same way, both in C: when the two texts are equal, the
chunk is stored as it is. Otherwise (a changed or new row, another order, a value written otherwise) the caller
compares the chunk row by row as before: nothing is decided here but "all the same".

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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

from kacrm.store.raw import driver_rows

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

WHOLE_LIMIT = 2**53  # floats below it are integers exactly


def stored_as_given(
    conn: Connection, table: Table, rows: pd.DataFrame, first: int, last: int
) -> bool:
    """Whether the rows of ``table`` with ids ``first`` to ``last`` are ``rows`` (columns named as the table's, the
    key among them), every row unchanged as the row-by-row comparison would find it; False when not, or not proven
    this way."""
    if conn.dialect.name != "sqlite" or rows.empty:
        return False
    kinds = {name: _kind(table.c[name].type) for name in rows.columns}
    if None in kinds.values():
        return False
    new = _json_rows(rows, kinds)
    if new is None:
        return False
    quote = conn.dialect.identifier_preparer.quote
    values = ", ".join(
        f"CASE WHEN {quote(n)} = CAST({quote(n)} AS INTEGER) THEN CAST({quote(n)} AS INTEGER) END"
        if kind == "real"
        else quote(n)
        for n, kind in kinds.items()
    )
    sql = (
        f"SELECT count(*), CAST(group_concat(json_array({values})) AS BLOB) FROM {quote(table.name)} "
        f"WHERE {quote('id')} BETWEEN ? AND ?"
    )
    try:
        count, stored = driver_rows(conn, sql, [first, last])[0]
    except DBAPIError:  # a blob, or a SQLite without JSON: row by row
        return False
    return count == len(rows) and stored == new


def _kind(sql_type: Any) -> str | None:
    """How a column of this type is compared here: integer, real, text, date, or None (not here). A type
    decorator (SQLModel's AutoString) by the type it stores."""
    try:
        python = getattr(sql_type, "impl_instance", sql_type).python_type
    except NotImplementedError:
        return None
    return {int: "integer", float: "real", str: "text", date: "date"}.get(python)


def _json_rows(rows: pd.DataFrame, kinds: dict[str, str]) -> bytes | None:
    """The rows as SQLite's query writes them (JSON arrays joined by commas, UTF-8); None when a value cannot
    be."""
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
    arrays = pc.binary_join_element_wise(*pieces, pa.scalar("", text))
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(arrays)], pa.int64()), arrays)
    return pc.binary_join(whole, pa.scalar(",", text))[0].as_buffer().to_pybytes()


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
