"""Tiering against the database: window aggregates in SQL, the run and its snapshots stored in bulk, the
previous run for movements, customer.tier updates that respect pins, and one customer's tier history."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, func, insert, select, update
from sqlmodel import Session

from kacrm.analysis import tiering
from kacrm.errors import InputError
from kacrm.store.models import Customer, Interaction, Order, TierRun, TierSnapshot, utcnow
from kacrm.store.raw import raw_rows
from kacrm.store.repo import customer_by_code

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


def _window_filter(column, start: date | None, end: date) -> list:
    return [column <= end] + ([column > start] if start is not None else [])


def _frame(conn, query, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a DataFrame, built column-wise (much faster than from Row objects)."""
    rows = conn.execute(query).all()
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pd.DataFrame({name: list(values) for name, values in zip(columns, data, strict=True)})


def _totals_queries(metric: str, start: date | None, end: date) -> list:
    """Per-customer aggregates over (start, end] that the metric needs, summed in SQL."""
    wanted = {
        "revenue": [func.sum(Order.amount_cents).label("revenue_cents")],
        "orders": [func.count().label("orders")],
        "quantity": [func.sum(func.coalesce(Order.quantity, 0.0)).label("quantity")],
        "profit": [
            func.sum(case((Order.cost_cents.is_not(None), Order.amount_cents - Order.cost_cents), else_=0))
            .label("margin_cents"),
            func.sum(case((Order.cost_cents.is_(None), 1), else_=0)).label("unknown_cost"),
        ],
    }[metric]
    orders = select(Order.customer_id, *wanted).where(*_window_filter(Order.order_date, start, end))
    queries = [orders.group_by(Order.customer_id)]
    if metric == "profit":
        service = select(Interaction.customer_id, func.sum(Interaction.cost_cents).label("service_cents")).where(
            Interaction.cost_cents.is_not(None), *_window_filter(Interaction.happened_on, start, end))
        queries.append(service.group_by(Interaction.customer_id))
    return queries


def load_customers(engine: Engine, previous_run_id: int | None, totals: list | None = None) -> pd.DataFrame:
    """Every customer (key, code, name, region, current tier and method, pin), its tier in the previous run and
    the window totals (0 where it has none).

    Separate queries merged in pandas: SQLite joins a grouped subquery to 100,000 customers slower than this.
    """
    names = ["key", "code", "name", "region", "current_tier", "current_method", "pinned"]
    query = select(Customer.id, Customer.code, Customer.name, Customer.region, Customer.tier, Customer.tier_method,
                   Customer.tier_pinned)
    with engine.connect() as conn:
        frame = pd.DataFrame.from_records(raw_rows(conn, query)[1], columns=names)
        previous = select(TierSnapshot.customer_id, TierSnapshot.tier).where(TierSnapshot.run_id == previous_run_id)
        before = dict(raw_rows(conn, previous)[1]) if previous_run_id is not None else {}
        frame["previous_tier"] = frame["key"].map(before).astype(object)
        for query in totals or []:
            columns = [c.name for c in query.selected_columns]
            sums = pd.DataFrame.from_records(raw_rows(conn, query)[1], columns=columns).set_index("customer_id")
            for name in columns[1:]:
                frame[name] = frame["key"].map(sums[name]).fillna(0)
    return frame


def rfm_activity(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """Per customer with orders up to end: last order in the window, orders and revenue in it, and whether
    any order precedes the window."""
    in_window = Order.order_date > start if start is not None else Order.order_date.is_not(None)
    query = (
        select(
            Order.customer_id,
            func.max(case((in_window, Order.order_date))),
            func.sum(case((in_window, 1), else_=0)),
            func.sum(case((in_window, Order.amount_cents), else_=0)),
            func.sum(case((in_window, 0), else_=1)),
        )
        .where(Order.order_date <= end)
        .group_by(Order.customer_id)
    )
    with engine.connect() as conn:
        frame = _frame(conn, query, ["customer_id", "last_order_on", "orders", "revenue_cents", "before"])
    frame["ordered_before"] = frame.pop("before") > 0
    return frame.set_index("customer_id")


def purchase_days(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """One row per customer and order day in (start, end] with the day's total: the input of the CLV model."""
    query = (
        select(Order.customer_id, Order.order_date, func.sum(Order.amount_cents))
        .where(*_window_filter(Order.order_date, start, end))
        .group_by(Order.customer_id, Order.order_date)
    )
    with engine.connect() as conn:
        frame = _frame(conn, query, ["customer_id", "order_date", "amount_cents"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    return frame


def _previous_run(engine: Engine, method: str, by: str) -> TierRun | None:
    with Session(engine) as session:
        query = select(TierRun).where(TierRun.method == method, TierRun.by == by).order_by(TierRun.id.desc())
        return session.scalars(query.limit(1)).first()


def _entities(engine: Engine, request: TierRequest, today: date, previous: TierRun | None,
              notes: list[str]) -> tuple[pd.DataFrame, Any]:
    """The customers with their value (and rfm/clv columns); returns also the clv prediction, if any."""
    start = tiering.window_start(tiering.parse_window(request.window), today)
    previous_id = previous.id if previous is not None and previous.by == "customer" else None
    if request.method == "clv":
        from kacrm.analysis.clv import predict_clv, purchase_history

        frame = load_customers(engine, previous_id)
        history = purchase_history(purchase_days(engine, start, today), today, request.time_unit)
        prediction = predict_clv(history, request.horizon_days, request.time_unit)
        extra = prediction.frame.reindex(frame["key"]).set_axis(frame.index)
        frame = frame.join(extra)
        frame["value"] = frame["predicted_value"].fillna(0.0)
        return frame, prediction
    frame = load_customers(engine, previous_id, _totals_queries(request.metric, start, today))
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


def _by_region(customers: pd.DataFrame, previous: TierRun | None) -> pd.DataFrame:
    regions = customers.assign(region=customers["region"].fillna(NO_REGION))
    grouped = regions.groupby("region", as_index=False)["value"].sum()
    before = {r["region"]: r["tier"] for r in json.loads(previous.parameters).get("regions", [])} if previous else {}
    return grouped.assign(key=grouped["region"], code=grouped["region"], name=None, pinned=None,
                          previous_tier=grouped["region"].map(before))


def run_tiering(engine: Engine, request: TierRequest, today: date) -> TierOutcome:
    """Compute a tiering, compare it with the previous run of the same method, and store it (unless dry run)."""
    if request.by not in ("customer", "region"):
        raise InputError(f"--by: {request.by!r} must be customer or region")
    if request.by == "region" and request.method != "abc":
        raise InputError("--by region works with --method abc only (ABC sales areas)")
    notes: list[str] = []
    previous = _previous_run(engine, request.method, request.by)
    entities, prediction = _entities(engine, request, today, previous, notes)
    if request.by == "region":
        entities = _by_region(entities, previous)
    rows = tiering.tier_rows(entities, request.method, request.thresholds, request.percentages)
    outcome = TierOutcome(
        request, today, rows, tiering.tier_summary(rows, request.method), notes=notes,
        previous_run={"id": previous.id, "as_of": previous.as_of} if previous else None,
        fit=fit_object(prediction, request.time_unit) if prediction else None,
    )
    if not request.dry_run:
        outcome.run_id = _store(engine, request, today, rows)
    return outcome


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


def _details(request: TierRequest, rows: pd.DataFrame) -> list[str | None]:
    """The details JSON per snapshot: rfm/clv figures, and the computed tier where a pin overrode it."""
    keys = DETAIL_KEYS.get(request.method, ())
    overridden = (rows["pinned"] & (rows["computed_tier"] != rows["tier"])).tolist()
    if not keys and not any(overridden):
        return [None] * len(rows)
    out: list[str | None] = []
    for record, pinned in zip(rows[[*keys, "computed_tier"]].to_dict("records"), overridden, strict=True):
        details = {k: _plain(record[k]) for k in keys}
        if details.get("monetary") is not None:
            details["monetary"] = details["monetary"] / 100
        if pinned:
            details["computed_tier"] = record["computed_tier"]
        out.append(json.dumps(details, ensure_ascii=False) if details else None)
    return out


def _executemany(conn, table, columns: list[str], rows: list[tuple]) -> None:
    """A bulk insert straight through the DB-API (SQLAlchemy's per-row parameter processing costs seconds at
    100,000 rows); the placeholder follows the driver: ? for sqlite3, %s for psycopg."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    conn.exec_driver_sql(sql, rows)


def _store(engine: Engine, request: TierRequest, today: date, rows: pd.DataFrame) -> int:
    """One transaction: the run, its snapshots and the changed customer tiers (one set-based UPDATE)."""
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
    with engine.begin() as conn:
        run_id = conn.execute(insert(TierRun.__table__).values(**run).returning(TierRun.__table__.c.id)).scalar_one()
        if request.by == "customer" and len(rows):
            rows = rows.sort_values("key")  # inserting in key order keeps the (customer_id, run_id) index local
            columns = ["run_id", "customer_id", "tier", "value", "share", "rank", "pinned", "details"]
            snapshots = list(zip([run_id] * len(rows), rows["key"].astype("int64").tolist(), rows["tier"].tolist(),
                                 _stored_values(request, rows["value"]), rows["share"].astype(float).tolist(),
                                 rows["rank"].astype("int64").tolist(), rows["pinned"].astype(bool).tolist(),
                                 _details(request, rows), strict=True))
            _executemany(conn, TierSnapshot.__table__, columns, snapshots)
            _update_customer_tiers(conn, run_id, request.method)
    return run_id


def _update_customer_tiers(conn, run_id: int, method: str) -> None:
    """customer.tier/tier_method from the run's snapshots (which already hold the pinned tiers), only where they
    change."""
    customer, snap = Customer.__table__, TierSnapshot.__table__
    of_customer = (snap.c.run_id == run_id) & (snap.c.customer_id == customer.c.id)
    new_tier = select(snap.c.tier).where(of_customer).scalar_subquery()
    changed = select(snap.c.id).where(
        of_customer, snap.c.tier.is_distinct_from(customer.c.tier) | customer.c.tier_method.is_distinct_from(method))
    conn.execute(update(customer).where(changed.exists())
                 .values(tier=new_tier, tier_method=method, updated_at=utcnow()))


def customer_history(engine: Engine, code: str) -> list[dict[str, Any]]:
    """One customer's tier in every stored run, oldest first."""
    with Session(engine) as session:
        customer = customer_by_code(session, code)
        query = (
            select(TierRun, TierSnapshot)
            .join(TierSnapshot, TierSnapshot.run_id == TierRun.id)
            .where(TierSnapshot.customer_id == customer.id)
            .order_by(TierRun.as_of, TierRun.id)
        )
        return [
            {"run": run.id, "as_of": run.as_of, "method": run.method, "metric": run.metric, "window": run.window,
             "tier": snap.tier, "value": snap.value, "share": snap.share, "rank": snap.rank, "pinned": snap.pinned}
            for run, snap in session.execute(query)
        ]


def pin_tier(engine: Engine, code: str, tier: str | None) -> tuple[str, str | None]:
    """Pin a customer's tier (re-tiering leaves it alone) or unpin it (tier None); returns (code, old pin).

    Pinning also sets the current tier; unpinning leaves it until the next run.
    """
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
