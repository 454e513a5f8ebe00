"""The frames of tiering in pandas (CLV and ABC by region: the methods whose tiers are not ranks of a total kept
in the database): per-customer window aggregates read in SQL, and the run's snapshots stored in bulk."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kacrm.analysis.tier_rules import TierRequest
from kacrm.domain import METHODS, MONEY_METRICS
from kacrm.errors import KacrmError
from kacrm.i18n import t
from kacrm.store.clock import utcnow
from kacrm.store.reader import Reader, SqliteBook, reading
from kacrm.store.tier_history import insert_run, run_row
from kacrm.store.tier_ranking import in_window, values_sql, window_params

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def _frame(reader: Reader, sql: str, columns: list[str], **params: Any) -> pd.DataFrame:
    """A query's rows as a DataFrame, built column-wise (much faster than from Row objects)."""
    rows = reader.execute(sql, params)[1]
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pd.DataFrame({name: list(values) for name, values in zip(columns, data, strict=True)})


def load_customers(
    book: SqliteBook | Engine,
    previous_run_id: int | None,
    metric: str | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    names: bool = True,
    regions: bool = True,
    pin_method: str | None = None,
) -> pd.DataFrame:
    """Every customer (key, code, name, region, current tier and method, pin), its tier in the previous run and,
    with a metric, its value over the window (0 where it has none). Without ``names``/``regions`` those columns
    are None.

    Separate queries merged in pandas: SQLite joins a grouped subquery to 100,000 customers slower than this.
    """
    columns = ["key", "code", "name", "region", "current_tier", "current_method", "pinned"]
    # the pin of the method being run (tier_pin, issue 15); the method is one of domain.METHODS
    pin = (
        f"(SELECT p.tier FROM tier_pin p WHERE p.customer_id = customer.id AND p.method = '{pin_method}')"
        if pin_method in METHODS
        else "NULL"
    )
    sql = (
        f"SELECT id, code, {'name' if names else 'NULL'}, {'region' if regions else 'NULL'}, tier, tier_method, "
        f"{pin} FROM customer"
    )
    with reading(book) as reader:
        frame = pd.DataFrame.from_records(reader.execute(sql, {})[1], columns=columns)
        before = (
            dict(
                reader.execute(
                    "SELECT customer_id, tier FROM tier_snapshot WHERE run_id = :run",
                    {"run": previous_run_id},
                )[1]
            )
            if previous_run_id is not None
            else {}
        )
        frame["previous_tier"] = frame["key"].map(before).astype(object)
        if metric is not None:
            values = dict(reader.execute(values_sql(metric, start), window_params(start, end))[1])
            frame["value"] = (
                frame["key"]
                .map(values)
                .fillna(0)
                .astype("float64" if metric == "quantity" else "int64")
            )
    return frame


def purchase_days(book: SqliteBook | Engine, start: date | None, end: date) -> pd.DataFrame:
    """One row per customer and order day in (start, end] with the day's total: the input of the CLV model."""
    sql = (
        f"SELECT customer_id, order_date, SUM(amount_cents) FROM orders WHERE {in_window('order_date', start)} "
        "GROUP BY customer_id, order_date"
    )
    with reading(book) as reader:
        frame = _frame(
            reader, sql, ["customer_id", "order_date", "amount_cents"], **window_params(start, end)
        )
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    return frame


DETAIL_KEYS = {
    "clv": ("p_alive", "expected_purchases", "expected_order_value", "predicted_value"),
}


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy scalars as Python numbers, NaN and pd.NA as None."""
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _stored_values(request: TierRequest, values: pd.Series) -> list[float]:
    """Snapshot values are in yuan for money metrics (the column is a float), as is the clv prediction."""
    if request.method != "clv" and request.metric in MONEY_METRICS:
        return (values.astype("int64") / 100).tolist()
    return values.astype("float64").tolist()


_JSON = json.JSONEncoder(
    ensure_ascii=False
)  # json.dumps(…, ensure_ascii=False) builds a new encoder per call


def _plain_column(column: pd.Series) -> list[Any]:
    """A column as JSON-ready Python scalars: _plain for every value, done for the whole column at once."""
    values = column.to_numpy(dtype=object, na_value=None).tolist()
    if any(isinstance(value, np.generic) for value in values):
        values = [_plain(value) for value in values]
    return values


def _details(request: TierRequest, rows: pd.DataFrame) -> list[str | None]:
    """The details JSON per snapshot: clv figures, and the computed tier where a pin overrode it.

    Built column-wise (one conversion per column, one reused encoder): per row through to_dict and json.dumps it
    took 3 s for 100,000 snapshots.
    """
    keys = DETAIL_KEYS.get(request.method, ())
    overridden = (rows["pinned"] & (rows["computed_tier"] != rows["tier"])).tolist()
    if not keys and not any(overridden):
        return [None] * len(rows)
    columns = [_plain_column(rows[key]) for key in keys]
    out: list[str | None] = []
    encode = _JSON.encode
    for values, pinned, computed in zip(
        zip(*columns, strict=True) if keys else [()] * len(rows),
        overridden,
        rows["computed_tier"].tolist(),
        strict=True,
    ):
        details = dict(zip(keys, values, strict=True))
        if pinned:
            details["computed_tier"] = computed
        out.append(encode(details) if details else None)
    return out


def _executemany(conn: Connection, sql: str, rows: list[tuple]) -> None:
    """A bulk statement straight through the DB-API (SQLAlchemy's per-row parameter processing costs seconds at
    100,000 rows); ``sql`` has ? placeholders, turned into %s for psycopg."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    conn.exec_driver_sql(sql, rows)


def store_run(
    engine: Engine, request: TierRequest, today: date, rows: pd.DataFrame, *, in_force: bool = True
) -> int:
    """One transaction: the run, its snapshots and, for a run of the primary method (``in_force``), the
    customers whose tier in force or tier method changes."""
    from kacrm.store.bulk import sqlite_foreign_keys_off

    regions = None
    if request.by == "region":
        regions = [
            {"region": key, "tier": tier, "value": value, "rank": int(rank)}
            for key, tier, value, rank in zip(
                rows["key"],
                rows["tier"],
                _stored_values(request, rows["value"]),
                rows["rank"],
                strict=True,
            )
        ]
    with engine.connect() as conn, sqlite_foreign_keys_off(conn), conn.begin():
        run_id = conn.execute(insert_run(), run_row(request, today, regions)).scalar_one()
        if request.by == "customer" and len(rows):
            rows = rows.sort_values(
                "key"
            )  # inserting in key order keeps the (customer_id, run_id) index local
            snapshots = list(
                zip(
                    [run_id] * len(rows),
                    rows["key"].astype("int64").tolist(),
                    rows["tier"].tolist(),
                    _stored_values(request, rows["value"]),
                    rows["share"].astype(float).tolist(),
                    rows["rank"].astype("int64").tolist(),
                    rows["pinned"].astype(bool).tolist(),
                    _details(request, rows),
                    strict=True,
                )
            )
            _executemany(
                conn,
                "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, rank, "
                "pinned, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                snapshots,
            )
            if conn.dialect.name == "sqlite":
                _check_snapshot_customers(conn, run_id, len(snapshots))
            if in_force:
                _update_customer_tiers(conn, rows, request.method)
    return run_id


def _check_snapshot_customers(conn: Connection, run_id: int, count: int) -> None:
    """Every snapshot of the run refers to an existing customer: what the foreign key would have checked. Inside
    the write transaction, so no customer can be deleted between this check and the commit."""
    found = conn.exec_driver_sql(
        "SELECT COUNT(*) FROM tier_snapshot s JOIN customer c ON c.id = s.customer_id "
        "WHERE s.run_id = ?",
        (run_id,),
    ).scalar_one()
    if found != count:
        n = count - found
        raise KacrmError(
            t("tier_customers_deleted", "en", n=n), t("tier_customers_deleted", "zh", n=n)
        )


def _update_customer_tiers(conn: Connection, rows: pd.DataFrame, method: str) -> None:
    """customer.tier/tier_method from the run's tiers (which already hold the pins), only where they change
    (after the first run, usually for few customers: one UPDATE each)."""
    from sqlalchemy import DateTime

    changed = rows[(rows["tier"] != rows["current_tier"]) | (rows["current_method"] != method)]
    if not len(changed):
        return
    processor = conn.dialect.type_descriptor(DateTime()).bind_processor(conn.dialect)
    stamp = processor(utcnow()) if processor else utcnow()
    _executemany(
        conn,
        "UPDATE customer SET tier = ?, tier_method = ?, updated_at = ? WHERE id = ?",
        [
            (tier, method, stamp, key)
            for tier, key in zip(
                changed["tier"].tolist(), changed["key"].astype("int64").tolist(), strict=True
            )
        ],
    )
