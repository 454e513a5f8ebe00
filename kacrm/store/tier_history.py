"""Tiering against the database: window aggregates in SQL, the run and its snapshots stored in bulk, the
previous run for movements, customer.tier updates that respect pins, and one customer's tier history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, DateTime, Engine, bindparam, text

from kacrm.analysis import tiering
from kacrm.errors import InputError, KacrmError
from kacrm.store.clock import utcnow
from kacrm.store.raw import as_date, raw_rows

if TYPE_CHECKING:
    from sqlalchemy import Connection

NO_REGION = "(none)"


@dataclass(frozen=True)
class TierRequest:
    method: str = "abc"
    metric: str = "revenue"
    window: str = "12m"
    by: str = "customer"
    thresholds: tuple[float, float] = (80.0, 95.0)
    percentages: tuple[float, ...] = (1.0, 4.0, 15.0, 80.0)
    horizon_days: int = 365
    time_unit: str = "week"
    dry_run: bool = False

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {"thresholds": list(self.thresholds)} if self.method in ("abc", "clv") else {}
        if self.method == "pyramid":
            params["percentages"] = list(self.percentages)
        if self.method == "clv":
            params.update(horizon_days=self.horizon_days, time_unit=self.time_unit)
        return params


@dataclass
class TierOutcome:
    request: TierRequest
    as_of: date
    rows: pd.DataFrame  # tiering.tier_rows output plus name and the rfm/clv columns
    summary: list[dict[str, Any]]
    run_id: int | None = None  # None with --dry-run
    previous_run: dict[str, Any] | None = None  # id and as_of of the run compared with
    notes: list[str] = field(default_factory=list)
    fit: dict[str, Any] | None = None  # clv: the fitted model
    names: bool = True  # False: rows["name"] is None (run_tiering(names=False)); see customer_names


def _window(column: str, start: date | None) -> str:
    """The SQL condition for column in (start, end]: bind parameters :start and :end."""
    return f"{column} <= :end" + (f" AND {column} > :start" if start is not None else "")


def _window_params(start: date | None, end: date) -> dict[str, date]:
    """The bind parameters of _window's condition."""
    return {"end": end} | ({"start": start} if start is not None else {})


def _rows(conn: Connection, sql: str, **params: Any) -> list[tuple]:
    return raw_rows(conn, text(sql), params)[1]


def _frame(conn: Connection, sql: str, columns: list[str], **params: Any) -> pd.DataFrame:
    """A query's rows as a DataFrame, built column-wise (much faster than from Row objects)."""
    rows = _rows(conn, sql, **params)
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pd.DataFrame({name: list(values) for name, values in zip(columns, data, strict=True)})


TOTALS = {  # per metric: (SQL aggregate, column name)
    "revenue": [("SUM(amount_cents)", "revenue_cents")],
    "orders": [("COUNT(*)", "orders")],
    "quantity": [("SUM(COALESCE(quantity, 0.0))", "quantity")],
    "profit": [("SUM(CASE WHEN cost_cents IS NOT NULL THEN amount_cents - cost_cents ELSE 0 END)", "margin_cents"),
               ("SUM(CASE WHEN cost_cents IS NULL THEN 1 ELSE 0 END)", "unknown_cost")],
}


def _totals_queries(metric: str, start: date | None) -> list[tuple[str, list[str]]]:
    """Per-customer aggregates over (start, end] that the metric needs, summed in SQL: (sql, column names)."""
    aggregates = ", ".join(f"{expression} AS {name}" for expression, name in TOTALS[metric])
    queries = [(f"SELECT customer_id, {aggregates} FROM orders WHERE {_window('order_date', start)} "
                "GROUP BY customer_id", ["customer_id"] + [name for _, name in TOTALS[metric]])]
    if metric == "profit":
        queries.append(("SELECT customer_id, SUM(cost_cents) AS service_cents FROM interaction "
                        f"WHERE cost_cents IS NOT NULL AND {_window('happened_on', start)} GROUP BY customer_id",
                        ["customer_id", "service_cents"]))
    return queries


def load_customers(engine: Engine, previous_run_id: int | None, totals: list | None = None,
                   start: date | None = None, end: date | None = None, *, names: bool = True,
                   regions: bool = True) -> pd.DataFrame:
    """Every customer (key, code, name, region, current tier and method, pin), its tier in the previous run and
    the window totals (0 where it has none). Without ``names``/``regions`` those columns are None: reading and
    converting 100,000 names and regions costs 0.07 s, and the table output shows at most 20 names.

    Separate queries merged in pandas: SQLite joins a grouped subquery to 100,000 customers slower than this.
    """
    columns = ["key", "code", "name", "region", "current_tier", "current_method", "pinned"]
    sql = (f"SELECT id, code, {'name' if names else 'NULL'}, {'region' if regions else 'NULL'}, tier, tier_method, "
           "tier_pinned FROM customer")
    with engine.connect() as conn:
        frame = pd.DataFrame.from_records(_rows(conn, sql), columns=columns)
        before = dict(_rows(conn, "SELECT customer_id, tier FROM tier_snapshot WHERE run_id = :run",
                            run=previous_run_id)) if previous_run_id is not None else {}
        frame["previous_tier"] = frame["key"].map(before).astype(object)
        for sql, columns in totals or []:
            sums = pd.DataFrame.from_records(_rows(conn, sql, **_window_params(start, end)), columns=columns)
            sums = sums.set_index("customer_id")
            for name in columns[1:]:
                frame[name] = frame["key"].map(sums[name]).fillna(0)
    return frame


def rfm_activity(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """Per customer with orders up to end: last order in the window, orders and revenue in it, and whether
    any order precedes the window."""
    in_window = "order_date > :start" if start is not None else "order_date IS NOT NULL"
    sql = (f"SELECT customer_id, MAX(CASE WHEN {in_window} THEN order_date END), "
           f"SUM(CASE WHEN {in_window} THEN 1 ELSE 0 END), SUM(CASE WHEN {in_window} THEN amount_cents ELSE 0 END), "
           f"SUM(CASE WHEN {in_window} THEN 0 ELSE 1 END) FROM orders WHERE order_date <= :end GROUP BY customer_id")
    with engine.connect() as conn:
        frame = _frame(conn, sql, ["customer_id", "last_order_on", "orders", "revenue_cents", "before"],
                       **_window_params(start, end))
    frame["ordered_before"] = frame.pop("before") > 0
    return frame.set_index("customer_id")


def purchase_days(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """One row per customer and order day in (start, end] with the day's total: the input of the CLV model."""
    sql = (f"SELECT customer_id, order_date, SUM(amount_cents) FROM orders WHERE {_window('order_date', start)} "
           "GROUP BY customer_id, order_date")
    with engine.connect() as conn:
        frame = _frame(conn, sql, ["customer_id", "order_date", "amount_cents"], **_window_params(start, end))
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    return frame


@dataclass(frozen=True)
class PreviousRun:
    id: int
    as_of: date
    by: str
    parameters: str


def _previous_run(engine: Engine, method: str, by: str) -> PreviousRun | None:
    with engine.connect() as conn:
        rows = _rows(conn, 'SELECT id, as_of, "by", parameters FROM tier_run WHERE method = :method AND "by" = :by '
                     "ORDER BY id DESC LIMIT 1", method=method, by=by)
    if not rows:
        return None
    run_id, as_of, run_by, parameters = rows[0]
    return PreviousRun(run_id, as_date(as_of), run_by, parameters)


def _entities(engine: Engine, request: TierRequest, today: date, previous: PreviousRun | None,
              notes: list[str], names: bool) -> tuple[pd.DataFrame, Any]:
    """The customers with their value (and rfm/clv columns); returns also the clv prediction, if any."""
    start = tiering.window_start(tiering.parse_window(request.window), today)
    previous_id = previous.id if previous is not None and previous.by == "customer" else None
    if request.method == "clv":
        from kacrm.analysis.clv import predict_clv, purchase_history

        frame = load_customers(engine, previous_id, names=names, regions=False)
        history = purchase_history(purchase_days(engine, start, today), today, request.time_unit)
        prediction = predict_clv(history, request.horizon_days, request.time_unit)
        extra = prediction.frame.reindex(frame["key"]).set_axis(frame.index)
        frame = frame.join(extra)
        frame["value"] = frame["predicted_value"].fillna(0.0)
        return frame, prediction
    frame = load_customers(engine, previous_id, _totals_queries(request.metric, start), start, today, names=names,
                           regions=request.by == "region")
    frame["value"] = tiering.customer_values(frame, request.metric)
    unknown = int(frame["unknown_cost"].sum()) if request.metric == "profit" else 0
    if unknown:
        notes.append(f"{unknown} orders in the window have no cost and are left out of profit")
    if request.method == "rfm":
        activity = rfm_activity(engine, start, today).reindex(frame["key"])
        activity = activity.assign(orders=activity["orders"].fillna(0), ordered_before=activity["ordered_before"]
                                   .astype("boolean").fillna(False), revenue_cents=activity["revenue_cents"].fillna(0))
        frame = frame.join(tiering.rfm_scores(activity, today).set_axis(frame.index))
    return frame, None


def _by_region(customers: pd.DataFrame, previous: PreviousRun | None) -> pd.DataFrame:
    regions = customers.assign(region=customers["region"].fillna(NO_REGION))
    grouped = regions.groupby("region", as_index=False)["value"].sum()
    before = {r["region"]: r["tier"] for r in json.loads(previous.parameters).get("regions", [])} if previous else {}
    return grouped.assign(key=grouped["region"], code=grouped["region"], name=None, pinned=None,
                          previous_tier=grouped["region"].map(before))


def run_tiering(engine: Engine, request: TierRequest, today: date, *, names: bool = True) -> TierOutcome:
    """Compute a tiering, compare it with the previous run of the same method, and store it (unless dry run).

    ``names=False`` leaves the customers' names out of ``rows`` (None): for output that shows only a few of them,
    looked up with customer_names.
    """
    if request.by not in ("customer", "region"):
        raise InputError(f"--by: {request.by!r} must be customer or region")
    if request.by == "region" and request.method != "abc":
        raise InputError("--by region works with --method abc only (ABC sales areas)")
    notes: list[str] = []
    previous = _previous_run(engine, request.method, request.by)
    entities, prediction = _entities(engine, request, today, previous, notes, names)
    if request.by == "region":
        entities = _by_region(entities, previous)
    rows = tiering.tier_rows(entities, request.method, request.thresholds, request.percentages)
    outcome = TierOutcome(
        request, today, rows, tiering.tier_summary(rows, request.method), notes=notes,
        previous_run={"id": previous.id, "as_of": previous.as_of} if previous else None,
        fit=fit_object(prediction, request.time_unit) if prediction else None, names=names,
    )
    if not request.dry_run:
        outcome.run_id = _store(engine, request, today, rows)
    return outcome


def customer_names(engine: Engine, keys: list[int]) -> dict[int, str]:
    """The names of a few customers by key (for output of a run made with names=False)."""
    if not keys:
        return {}
    statement = text("SELECT id, name FROM customer WHERE id IN :keys").bindparams(bindparam("keys", expanding=True))
    with engine.connect() as conn:
        return {key: name for key, name in conn.execute(statement, {"keys": [int(k) for k in keys]})}


def fit_object(prediction: Any, time_unit: str) -> dict[str, Any]:
    """The fitted models as SPEC §6's `tier fit` object (plus convergence, which the CLI shows separately)."""
    bg, gg = prediction.bgnbd, prediction.gamma_gamma
    return {
        "time_unit": time_unit, "customers": bg.customers, "r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b,
        "log_likelihood": bg.log_likelihood, "p": gg.p, "q": gg.q, "v": gg.v,
        "converged": bg.converged and gg.converged, "iterations": bg.iterations + gg.iterations,
    }


def fit_models(engine: Engine, window: str, today: date, time_unit: str) -> dict[str, Any]:
    """`tier fit`: both models fitted on the orders in the window up to today, without storing anything."""
    from kacrm.analysis.clv import predict_clv, purchase_history

    start = tiering.window_start(tiering.parse_window(window), today)
    history = purchase_history(purchase_days(engine, start, today), today, time_unit)
    return fit_object(predict_clv(history, 365, time_unit), time_unit)


DETAIL_KEYS = {
    "rfm": ("recency", "frequency", "monetary", "r", "f", "m", "rfm_code", "segment"),
    "clv": ("p_alive", "expected_purchases", "expected_order_value", "predicted_value"),
}


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy scalars as Python numbers, NaN and pd.NA as None."""
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _stored_values(request: TierRequest, values: pd.Series) -> list[float]:
    """Snapshot values are in yuan for money metrics (the column is a float), as is the clv prediction."""
    if request.method != "clv" and request.metric in tiering.MONEY_METRICS:
        return (values.astype("int64") / 100).tolist()
    return values.astype("float64").tolist()


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(…, ensure_ascii=False) builds a new encoder per call


def _plain_column(column: pd.Series) -> list[Any]:
    """A column as JSON-ready Python scalars: _plain for every value, done for the whole column at once."""
    values = column.to_numpy(dtype=object, na_value=None).tolist()
    if any(isinstance(value, np.generic) for value in values):
        values = [_plain(value) for value in values]
    return values


def _details(request: TierRequest, rows: pd.DataFrame) -> list[str | None]:
    """The details JSON per snapshot: rfm/clv figures, and the computed tier where a pin overrode it.

    Built column-wise (one conversion per column, one reused encoder): per row through to_dict and json.dumps it
    took 3 s for 100,000 rfm snapshots.
    """
    keys = DETAIL_KEYS.get(request.method, ())
    overridden = (rows["pinned"] & (rows["computed_tier"] != rows["tier"])).tolist()
    if not keys and not any(overridden):
        return [None] * len(rows)
    columns = [_plain_column(rows[key]) for key in keys]
    if "monetary" in keys:
        position = keys.index("monetary")
        columns[position] = [None if value is None else value / 100 for value in columns[position]]
    out: list[str | None] = []
    encode = _JSON.encode
    for values, pinned, computed in zip(zip(*columns, strict=True) if keys else [()] * len(rows), overridden,
                                        rows["computed_tier"].tolist(), strict=True):
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


INSERT_RUN = text(
    'INSERT INTO tier_run (method, metric, "window", "by", as_of, parameters, created_at) '
    "VALUES (:method, :metric, :window, :by, :as_of, :parameters, :created_at) RETURNING id"
).bindparams(bindparam("as_of", type_=Date()), bindparam("created_at", type_=DateTime()))


def _store(engine: Engine, request: TierRequest, today: date, rows: pd.DataFrame) -> int:
    """One transaction: the run, its snapshots and the customers whose tier or tier method changes."""
    parameters = request.parameters()
    if request.by == "region":
        parameters["regions"] = [
            {"region": key, "tier": tier, "value": value, "rank": int(rank)}
            for key, tier, value, rank in zip(rows["key"], rows["tier"], _stored_values(request, rows["value"]),
                                              rows["rank"], strict=True)
        ]
    run = {"method": request.method, "metric": "predicted_value" if request.method == "clv" else request.metric,
           "window": request.window, "by": request.by, "as_of": today, "created_at": utcnow(),
           "parameters": json.dumps(parameters, ensure_ascii=False)}
    with engine.connect() as conn, _sqlite_foreign_keys_off(conn), conn.begin():
        run_id = conn.execute(INSERT_RUN, run).scalar_one()
        if request.by == "customer" and len(rows):
            rows = rows.sort_values("key")  # inserting in key order keeps the (customer_id, run_id) index local
            snapshots = list(zip([run_id] * len(rows), rows["key"].astype("int64").tolist(),
                                 rows["tier"].tolist(), _stored_values(request, rows["value"]),
                                 rows["share"].astype(float).tolist(), rows["rank"].astype("int64").tolist(),
                                 rows["pinned"].astype(bool).tolist(), _details(request, rows), strict=True))
            _executemany(conn, "INSERT INTO tier_snapshot (run_id, customer_id, tier, value, share, rank, "
                         "pinned, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", snapshots)
            if conn.dialect.name == "sqlite":
                _check_snapshot_customers(conn, run_id, len(snapshots))
            _update_customer_tiers(conn, rows, request.method)
    return run_id


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite checks the two foreign keys of every snapshot row one by one: 0.15 s of the 0.65 s that 100,000
    snapshots take to insert. Off for the run's transaction (the pragma only works outside one), on again
    afterwards on this connection; _check_snapshot_customers does the customer check in one query instead (the
    run id is the one just inserted)."""
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


def _check_snapshot_customers(conn: Connection, run_id: int, count: int) -> None:
    """Every snapshot of the run refers to an existing customer: what the foreign key would have checked. Inside
    the write transaction, so no customer can be deleted between this check and the commit."""
    found = conn.exec_driver_sql("SELECT COUNT(*) FROM tier_snapshot s JOIN customer c ON c.id = s.customer_id "
                                 "WHERE s.run_id = ?", (run_id,)).scalar_one()
    if found != count:
        raise KacrmError(f"{count - found} customers were deleted while the tiering ran; nothing was stored, "
                         "run it again")


def _update_customer_tiers(conn: Connection, rows: pd.DataFrame, method: str) -> None:
    """customer.tier/tier_method from the run's tiers (which already hold the pins), only where they change
    (after the first run, usually for few customers: one UPDATE each)."""
    changed = rows[(rows["tier"] != rows["current_tier"]) | (rows["current_method"] != method)]
    if not len(changed):
        return
    processor = conn.dialect.type_descriptor(DateTime()).bind_processor(conn.dialect)
    stamp = processor(utcnow()) if processor else utcnow()
    _executemany(conn, "UPDATE customer SET tier = ?, tier_method = ?, updated_at = ? WHERE id = ?",
                 [(tier, method, stamp, key) for tier, key in
                  zip(changed["tier"].tolist(), changed["key"].astype("int64").tolist(), strict=True)])


def customer_history(engine: Engine, code: str) -> list[dict[str, Any]]:
    """One customer's tier in every stored run, oldest first."""
    from sqlalchemy import select
    from sqlmodel import Session

    from kacrm.store.models import TierRun, TierSnapshot
    from kacrm.store.repo import customer_by_code

    with Session(engine) as session:
        customer = customer_by_code(session, code)
        query = (
            select(TierRun, TierSnapshot)
            .join(TierSnapshot, TierSnapshot.run_id == TierRun.id)
            .where(TierSnapshot.customer_id == customer.id,
                   TierSnapshot.run_id.in_(select(TierRun.id)))  # a seek per run (migration 0003)
            .order_by(TierRun.as_of, TierRun.id)
        )
        return [
            {"customer_code": customer.code, "customer_name": customer.name, "run": run.id, "as_of": run.as_of,
             "method": run.method, "metric": run.metric, "window": run.window, "tier": snap.tier,
             "value": _history_value(run.metric, snap.value), "share": snap.share, "rank": snap.rank,
             "pinned": snap.pinned}
            for run, snap in session.execute(query)
        ]


def _history_value(metric: str, value: float) -> Any:
    """Money (revenue, profit, a clv prediction) as exact yuan to the cent, SPEC §2; counts as stored."""
    from kacrm.render.listing import money

    if metric in (*tiering.MONEY_METRICS, "predicted_value"):
        return money(round(value * 100))
    return value


def pin_tier(engine: Engine, code: str, tier: str | None) -> tuple[str, str | None]:
    """Pin a customer's tier (re-tiering leaves it alone) or unpin it (tier None); returns (code, old pin).

    Pinning also sets the current tier; unpinning leaves it until the next run.
    """
    from sqlmodel import Session

    from kacrm.store.repo import customer_by_code

    if tier is not None and tier not in tiering.ALL_TIERS:
        raise InputError(f"{tier!r} is not a tier; use A, B, C, platinum, gold, iron, lead or an rfm segment")
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        old = customer.tier_pinned
        customer.tier_pinned = tier
        if tier is not None:
            customer.tier = tier
        customer.updated_at = utcnow()
        session.add(customer)
        session.commit()
        return customer.code, old
