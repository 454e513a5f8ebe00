"""Bulk upsert of typed DataFrames: compare with the stored rows in bulk, insert the new, update the changed.

No ORM object per row. New rows go in through the DB-API: ``executemany`` of plain tuples on SQLite (dates as ISO
text, the format SQLAlchemy's Date type stores), ``COPY`` on PostgreSQL. Changed rows are updated with SQLAlchemy
Core, a value of None meaning "keep what is stored" (an empty cell never erases data). Both backends give the same
rows. The caller owns the transaction (``begin`` takes SQLite's write lock up front).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import eq, itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, func, select, true, tuple_

from kacrm.store.raw import driver_errors, driver_rows, raw_batches, raw_rows
from kacrm.store.same_rows import stored_as_given

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CHUNK = 50_000
LOOKUP_CHUNK = 5_000
SCAN_RATIO = (
    4  # existing_rows scans the table when the keys asked for are at least a quarter of its rows
)
# On SQLite, inserting more rows than this (and more than the table holds) drops the table's plain indexes and
# builds them again afterwards, inside the same transaction: several times faster than updating them row by row.
REINDEX_THRESHOLD = 100_000

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"


@dataclass
class Diff:
    """What an upsert will do: the rows to insert, the rows to update (with ``id``) and each row's status."""

    inserts: pd.DataFrame
    updates: pd.DataFrame
    status: pd.Series  # inserted | updated | unchanged, by the index of the new frame


def begin(conn: Connection) -> None:
    """Start the transaction; on SQLite take the write lock now, so that nobody writes between diff and write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # other backends begin on the first statement


@contextmanager
def sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite's row-by-row foreign key checks off on this connection while the block runs (the pragma only works
    outside a transaction), on again afterwards, also on error. Other backends keep their checks.

    For writers that know every parent id they store exists: an import reads every customer, contact and referrer
    id inside the same write-locked transaction (checking each of a million inserted orders against the customer
    table cost as much as a third of the whole insert); a tier run checks its customers otherwise (0.15 s of the
    0.65 s that 100,000 snapshots take to insert): tier_frames in one query after the insert, tier_ranking by
    selecting the snapshots from the customer table inside the write transaction."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def existing_rows(
    conn: Connection,
    table: Table,
    key: Sequence[str],
    keys: pd.DataFrame,
    columns: Sequence[str],
    like: pd.DataFrame | None = None,
    upto: int | None = None,
) -> pd.DataFrame:
    """The stored rows (``id``, the key columns, ``columns``) whose key is among ``keys`` (a frame of key columns).

    When the keys are many against the table (a re-import), one scan of the table in batches, keeping the rows
    asked for, beats a lookup per key (1,000,000 stored orders: 2.6 s instead of 7 s); otherwise the keys are looked
    up in chunks. With ``like`` (the new rows), each batch is brought to their column types at once (_compact).
    With ``upto``, only rows with an id up to it count (those stored before a file whose earlier chunks are
    written: their keys are known not to repeat).
    """
    import pandas as pd

    wanted = ["id", *key, *[c for c in columns if c not in key]]
    if keys.empty:
        return pd.DataFrame(columns=wanted)
    # with ``upto``: only the rows stored before the file
    among = table.c.id <= upto if upto is not None else true()
    stored = conn.execute(select(func.count()).select_from(table).where(among)).scalar()
    if not stored:
        return pd.DataFrame(columns=wanted)
    unique = keys.drop_duplicates()
    cols = [table.c[c] for c in wanted]
    frames: list[pd.DataFrame] = []

    def keep(rows: list[tuple], asked: pd.Index | None = None) -> None:
        frame = pd.DataFrame.from_records(rows, columns=wanted)
        if asked is not None:
            found = asked.get_indexer(_key_index(frame, key))  # asked's hash table is built once
            frame = frame[found >= 0]
            if (
                len(key) == 1
            ):  # the new rows' own key strings: the stored copies are freed with the batch
                frame[key[0]] = asked.take(found[found >= 0]).to_numpy(dtype=object)
        frames.append(_compact(frame, like, key) if like is not None else frame)

    if len(unique) * SCAN_RATIO >= stored:
        batches = raw_batches(conn, select(*cols).where(among), size=CHUNK)
        next(batches)
        asked = _key_index(unique, key)
        for rows in batches:
            keep(rows, asked)
    else:
        found: list[tuple] = []
        if len(key) == 1:
            found = _lookup(conn, table, wanted, key[0], unique[key[0]].tolist(), upto)
        for start in range(0, len(unique), LOOKUP_CHUNK) if len(key) > 1 else ():
            part = unique.iloc[start : start + LOOKUP_CHUNK]
            cond = tuple_(*(table.c[k] for k in key)).in_(
                list(part.itertuples(index=False, name=None))
            )
            # plain tuples: no SQLAlchemy Row per stored row
            found.extend(raw_rows(conn, select(*cols).where(cond, among))[1])
        if found:  # one frame, brought to the new rows' types once
            keep(found)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=wanted)


def _lookup(
    conn: Connection, table: Table, wanted: list[str], key: str, values: list[Any], upto: int | None
) -> list[tuple]:
    """The stored rows (columns ``wanted``) whose ``key`` is among ``values`` (and id at most ``upto``), looked
    up LOOKUP_CHUNK keys at a time through the driver."""
    quote = conn.dialect.identifier_preparer.quote
    head = f"SELECT {', '.join(quote(c) for c in wanted)} FROM {quote(table.name)} WHERE {quote(key)} IN"
    bound = f" AND {quote('id')} <= {int(upto)}" if upto is not None else ""
    found: list[tuple] = []
    for start in range(0, len(values), LOOKUP_CHUNK):
        part = values[start : start + LOOKUP_CHUNK]
        found.extend(driver_rows(conn, f"{head} ({', '.join('?' * len(part))}){bound}", part))
    return found


def _id_span(
    conn: Connection, table: Table, key: str, keys: list[Any], upto: int | None
) -> tuple[int, int] | None:
    """The ids of the stored rows of the first and the last of ``keys`` (the last at most ``upto``), when that
    range holds at most twice as many rows as there are keys: a file imported again in the same order finds its
    rows there. None otherwise."""
    if not keys:
        return None
    quote = conn.dialect.identifier_preparer.quote
    ends = driver_rows(
        conn,
        f"SELECT min({quote('id')}), max({quote('id')}) FROM {quote(table.name)} "
        f"WHERE {quote(key)} IN (?, ?)",
        [keys[0], keys[-1]],
    )[0]
    if ends[0] is None or ends[1] - ends[0] + 1 > 2 * len(keys):
        return None
    return ends[0], min(ends[1], upto) if upto is not None else ends[1]


def _id_range(
    conn: Connection, table: Table, wanted: list[str], span: tuple[int, int]
) -> list[tuple]:
    """The stored rows (columns ``wanted``) of the ids of ``span``, read in one pass of the table (a third of
    SQLite's work for the same rows looked up by key). Rows of other keys come along and are never asked for;
    keys not in the range are left to ``_lookup``."""
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(c) for c in wanted)
    sql = f"SELECT {columns} FROM {quote(table.name)} WHERE {quote('id')} BETWEEN ? AND ?"
    return driver_rows(conn, sql, list(span))


def unchanged_rows(
    conn: Connection, table: Table, key: str, rows: pd.DataFrame, upto: int | None = None
) -> np.ndarray:
    """Which of ``rows`` (columns named as the table's, ``key`` unique) equal the stored row with their key value
    for value: the bulk of a re-import. A chunk stored as it is, in its order, is told inside SQLite
    (``same_rows.stored_as_given``); otherwise plain tuples are compared as the driver returns them (dates as ISO
    text on SQLite, ``date`` on PostgreSQL). Only the others need ``existing_rows`` and ``diff``, which compare
    typed columns (a blank cell keeping the stored value) at twice the cost."""
    import numpy as np

    if upto == 0 or rows.empty:  # nothing was stored before the file
        return np.zeros(len(rows), dtype=bool)
    names = [key, *(c for c in rows.columns if c != key)]
    keys = rows[key].tolist()
    span = _id_span(conn, table, key, keys, upto)
    if span is not None and stored_as_given(conn, table, rows[names], *span):
        return np.ones(len(rows), dtype=bool)
    new = list(
        zip(*_python_columns(rows[names], iso_dates=conn.dialect.name == "sqlite"), strict=True)
    )
    found = _id_range(conn, table, names, span) if span is not None else []
    # the common re-import: the file's rows, stored in its order, compared row by row in C
    if list(map(itemgetter(0), found)) == keys:
        return np.fromiter(map(eq, found, new), bool, len(new))
    stored = {row[0]: row for row in found}
    del found
    rest = [k for k in keys if k not in stored]
    stored.update((row[0], row) for row in _lookup(conn, table, names, key, rest, upto))
    if not stored:
        return np.zeros(len(rows), dtype=bool)
    return np.fromiter((stored.get(row[0]) == row for row in new), bool, len(new))


def _key_index(frame: pd.DataFrame, key: Sequence[str]) -> pd.Index:
    import pandas as pd

    return pd.Index(frame[key[0]]) if len(key) == 1 else pd.MultiIndex.from_frame(frame[list(key)])


def _compact(stored: pd.DataFrame, like: pd.DataFrame, key: Sequence[str]) -> pd.DataFrame:
    """Stored values in the types of the new rows' columns (dates as datetime64, numbers as float64) and repeated
    texts (product, salesperson, status) sharing one string: as Python objects, a million stored orders took
    about 500 MB while a re-import compared them. Values stay what _equal compares."""
    import pandas as pd

    for name in stored.columns:
        if name not in like.columns or name in key:
            continue
        dtype = like[name].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype) and not isinstance(
            dtype, pd.DatetimeTZDtype
        ):
            stored[name] = _days(stored[name])
        elif (
            isinstance(dtype, pd.Int64Dtype)
            or pd.api.types.is_float_dtype(dtype)
            or (pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))
        ):
            stored[name] = pd.to_numeric(stored[name]).astype("float64")
        elif not pd.api.types.is_numeric_dtype(stored[name]) and not pd.api.types.is_bool_dtype(
            stored[name]
        ):
            stored[name] = stored[name].astype("category").astype(object)
    return stored


def _days(values: pd.Series) -> pd.Series:
    """Stored dates (ISO text from SQLite, ``date`` from PostgreSQL, None) as datetime64: NumPy reads plain days
    at C speed, pandas anything else."""
    import numpy as np
    import pandas as pd

    try:
        days = np.array(values.to_numpy(dtype=object), dtype="datetime64[D]")
    except (ValueError, TypeError):
        return pd.to_datetime(values)
    return pd.Series(days.astype("datetime64[ns]"), index=values.index)


def diff(new: pd.DataFrame, old: pd.DataFrame, key: Sequence[str], columns: Sequence[str]) -> Diff:
    """Match ``new`` to ``old`` on ``key``; a row is updated when a value it gives differs from the stored one."""
    import pandas as pd

    if old.empty:  # a first import: every row is new (and no join of a million keys with nothing)
        return Diff(
            new,
            new.iloc[0:0].assign(id=pd.Series(dtype="int64")),
            pd.Series(INSERTED, index=new.index, dtype=object),
        )
    matched = new[list(key)].merge(old[["id", *key]], on=list(key), how="left")
    matched.index = new.index
    ids = matched["id"]
    is_new = ids.isna()
    status = pd.Series(UNCHANGED, index=new.index, dtype=object)
    status[is_new] = INSERTED
    present = new[~is_new]
    if present.empty:
        return Diff(new[is_new], new.iloc[0:0].assign(id=pd.Series(dtype="int64")), status)
    stored = old.set_index("id").loc[ids[~is_new].astype("int64")]
    stored.index = present.index
    changed_any = pd.Series(False, index=present.index)
    updates = pd.DataFrame({"id": ids[~is_new].astype("int64")}, index=present.index)
    for col in columns:
        if col in key:
            continue
        value = present[col]
        changed = value.notna() & ~_equal(value, stored[col])
        changed_any |= changed
        updates[col] = value.where(changed, None) if changed.any() else None
    status[changed_any[changed_any].index] = UPDATED
    return Diff(new[is_new], updates[changed_any], status)


def _equal(new: pd.Series, old: pd.Series) -> pd.Series:
    """Element-wise equality of new values and stored ones, after bringing the stored ones to the new type."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(new):
        old = pd.to_datetime(old)
        both = (new.notna() & old.notna()).to_numpy()
        same = both & (new.to_numpy(dtype="datetime64[ns]") == old.to_numpy(dtype="datetime64[ns]"))
        return pd.Series(same, index=new.index, dtype=bool)
    if isinstance(new.dtype, pd.Int64Dtype) or pd.api.types.is_float_dtype(new):
        old = pd.to_numeric(old)
        both = (new.notna() & old.notna()).to_numpy()
        # cents are below 2^53, so float64 holds them exactly
        same = both & (
            new.to_numpy(dtype="float64", na_value=np.nan)
            == old.to_numpy(dtype="float64", na_value=np.nan)
        )
        return pd.Series(same, index=new.index, dtype=bool)
    both = (new.notna() & old.notna()).to_numpy()
    left = new.astype(object).to_numpy()
    right = old.astype(object).to_numpy()
    same = both & np.equal(left, right, dtype=object).astype(bool)  # one C loop over the objects
    return pd.Series(same, index=new.index, dtype=bool)


def _python_columns(frame: pd.DataFrame, iso_dates: bool) -> list[list[Any]]:
    """Columns as lists of plain Python values: None for missing, dates as ISO text or ``datetime.date``."""
    import numpy as np
    import pandas as pd

    out: list[list[Any]] = []
    for name in frame.columns:
        col = frame[name]
        missing = col.isna().to_numpy()
        if isinstance(col.dtype, pd.DatetimeTZDtype):  # timestamps (created_at...) stay timestamps
            values = np.array(col.dt.to_pydatetime(), dtype=object)
        elif pd.api.types.is_datetime64_any_dtype(col):
            days = col.to_numpy(dtype="datetime64[D]")
            if iso_dates:  # each distinct day written once (a million orders fall on ~1,100 days)
                distinct, at = np.unique(days, return_inverse=True)
                values = np.datetime_as_string(distinct, unit="D").astype(object)[at]
            else:
                values = days.astype(object)
        elif isinstance(col.dtype, pd.Int64Dtype):
            if not missing.any():  # NumPy's tolist makes the Python ints in C
                out.append(col.to_numpy(dtype="int64").tolist())
                continue
            values = col.to_numpy(dtype=object, na_value=None)
        elif pd.api.types.is_float_dtype(col) and not missing.any():
            out.append(col.to_numpy().tolist())
            continue
        elif pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col):
            out.append(col.tolist())
            continue
        else:
            values = col.to_numpy(dtype=object)
        if missing.any():
            values = values.copy()
            values[missing] = None
        out.append(values.tolist())
    return out


def insert_rows(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert every row of ``frame`` (columns named as the table's) in one pass through the DB-API."""
    if frame.empty:
        return
    raw = conn.connection.dbapi_connection
    columns = list(frame.columns)
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if conn.dialect.name == "postgresql":
        statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
        with driver_errors(conn, statement), raw.cursor() as cur, cur.copy(statement) as copy:
            for start in range(0, len(frame), CHUNK):
                for row in zip(
                    *_python_columns(frame.iloc[start : start + CHUNK], iso_dates=True), strict=True
                ):
                    copy.write_row(row)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), records(frame))
        return
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * len(columns))})"
    cur = raw.cursor()
    try:
        rebuild = _drop_plain_indexes(cur, table.name) if len(frame) > REINDEX_THRESHOLD else []
        if rebuild and cur.execute(f"SELECT count(*) FROM {quote(table.name)}").fetchone()[0] > len(
            frame
        ):
            for statement in rebuild:
                cur.execute(statement)
            rebuild = []
        with driver_errors(conn, sql):
            for start in range(0, len(frame), CHUNK):
                part = frame.iloc[start : start + CHUNK]
                cur.executemany(sql, zip(*_python_columns(part, iso_dates=True), strict=True))
        for statement in rebuild:
            cur.execute(statement)
    finally:
        cur.close()


def drop_indexes_for(conn: Connection, table: Table, rows: int) -> list[str]:
    """On SQLite, before ``rows`` rows (an estimate) go into ``table`` chunk by chunk: when they are more than
    REINDEX_THRESHOLD and more than the table holds, drop its plain indexes, as ``insert_rows`` does for one
    long frame; the statements that build them again (``rebuild_indexes``, in the same transaction)."""
    if conn.dialect.name != "sqlite" or rows <= REINDEX_THRESHOLD:
        return []
    if conn.execute(select(func.count()).select_from(table)).scalar_one() > rows:
        return []
    cur = conn.connection.dbapi_connection.cursor()
    try:
        return _drop_plain_indexes(cur, table.name)
    finally:
        cur.close()


def rebuild_indexes(conn: Connection, statements: list[str]) -> None:
    """Run the statements of ``drop_indexes_for`` (on the driver's cursor, as ``insert_rows`` does: a build of
    several seconds is no wait for a lock, which kacrm's lock notice would take it for)."""
    if not statements:
        return
    cur = conn.connection.dbapi_connection.cursor()
    try:
        for statement in statements:
            cur.execute(statement)
    finally:
        cur.close()


def _drop_plain_indexes(cur: Any, table_name: str) -> list[str]:
    """Drop the table's non-unique indexes; return the statements that create them again."""
    rows = cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table_name,),
    ).fetchall()
    plain = [(name, sql) for name, sql in rows if not sql.upper().startswith("CREATE UNIQUE")]
    for name, _ in plain:
        cur.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in plain]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (dates as ``datetime.date``), for SQLAlchemy Core."""
    columns = list(frame.columns)
    return [
        dict(zip(columns, row, strict=True))
        for row in zip(*_python_columns(frame, iso_dates=False), strict=True)
    ]


def update_rows(
    conn: Connection, table: Table, updates: pd.DataFrame, extra: dict[str, Any] | None = None
) -> None:
    """Update rows by ``id``; a None value keeps the stored one. ``extra`` values are set on every row."""
    if updates.empty:
        return
    columns = [c for c in updates.columns if c != "id"]
    values = {
        c: func.coalesce(bindparam(f"v_{c}", type_=table.c[c].type), table.c[c]) for c in columns
    }
    statement = (
        table.update().where(table.c.id == bindparam("v_id")).values(**values, **(extra or {}))
    )
    params = [{f"v_{k}": v for k, v in rec.items()} for rec in records(updates[["id", *columns]])]
    for start in range(0, len(params), CHUNK):
        conn.execute(statement, params[start : start + CHUNK])
