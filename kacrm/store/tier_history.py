"""Tiering against the database: window aggregates in SQL, the run and its snapshots stored in bulk, the
previous run for movements, customer.tier updates that respect pins, and one customer's tier history."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, bindparam, case, func, insert, select, update
from sqlmodel import Session

from kacrm.analysis import tiering
from kacrm.errors import InputError
from kacrm.store.models import Customer, Interaction, Order, TierRun, TierSnapshot, utcnow
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


def window_totals(engine: Engine, metric: str, start: date | None, end: date) -> pd.DataFrame:
    """Per customer with orders in (start, end]: only the aggregates the metric needs, summed in SQL."""
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
    query = select(Order.customer_id, *wanted).where(*_window_filter(Order.order_date, start, end))
    with engine.connect() as conn:
        rows = conn.execute(query.group_by(Order.customer_id)).all()
        frame = pd.DataFrame(rows, columns=["customer_id", *(c.name for c in wanted)]).set_index("customer_id")
        if metric == "profit":
            service = select(Interaction.customer_id, func.sum(Interaction.cost_cents)).where(
                Interaction.cost_cents.is_not(None), *_window_filter(Interaction.happened_on, start, end)
            )
            costs = dict(conn.execute(service.group_by(Interaction.customer_id)).all())
            frame = frame.reindex(frame.index.union(pd.Index(list(costs), name="customer_id")), fill_value=0)
            frame["service_cents"] = frame.index.map(lambda cid: int(costs.get(cid, 0)))
    return frame


def rfm_activity(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """Per customer with orders up to end: last order in the window, orders and revenue in it, and whether
    any order precedes the window."""
    in_window = Order.order_date > start if start is not None else Order.order_date.is_not(None)
    query = (
        select(
            Order.customer_id,
            func.max(case((in_window, Order.order_date))).label("last_order_on"),
            func.sum(case((in_window, 1), else_=0)).label("orders"),
            func.sum(case((in_window, Order.amount_cents), else_=0)).label("revenue_cents"),
            func.sum(case((in_window, 0), else_=1)).label("before"),
        )
        .where(Order.order_date <= end)
        .group_by(Order.customer_id)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(),
                             columns=["customer_id", "last_order_on", "orders", "revenue_cents", "before"])
    frame["ordered_before"] = frame.pop("before") > 0
    return frame.set_index("customer_id")


def purchase_days(engine: Engine, start: date | None, end: date) -> pd.DataFrame:
    """One row per customer and order day in (start, end] with the day's total: the input of the CLV model."""
    query = (
        select(Order.customer_id, Order.order_date, func.sum(Order.amount_cents).label("amount_cents"))
        .where(*_window_filter(Order.order_date, start, end))
        .group_by(Order.customer_id, Order.order_date)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=["customer_id", "order_date", "amount_cents"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    frame["amount_cents"] = frame["amount_cents"].astype("int64")
    return frame


def _customers(engine: Engine) -> pd.DataFrame:
    query = select(Customer.id, Customer.code, Customer.name, Customer.region, Customer.tier,
                   Customer.tier_method, Customer.tier_pinned)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["key", "code", "name", "region", "current_tier", "current_method", "pinned"])


def _previous_run(engine: Engine, method: str, by: str) -> TierRun | None:
    with Session(engine) as session:
        query = select(TierRun).where(TierRun.method == method, TierRun.by == by).order_by(TierRun.id.desc())
        return session.scalars(query.limit(1)).first()


def _previous_tiers(engine: Engine, run: TierRun | None) -> dict[Any, str]:
    if run is None:
        return {}
    if run.by == "region":
        return {r["region"]: r["tier"] for r in json.loads(run.parameters).get("regions", [])}
    query = select(TierSnapshot.customer_id, TierSnapshot.tier).where(TierSnapshot.run_id == run.id)
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def _entities(engine: Engine, request: TierRequest, today: date, notes: list[str]) -> tuple[pd.DataFrame, Any]:
    """The customers with their value (and rfm/clv columns); returns also the clv prediction, if any."""
    customers = _customers(engine)
    start = tiering.window_start(tiering.parse_window(request.window), today)
    prediction = None
    if request.method == "rfm":
        extra = tiering.rfm_scores(rfm_activity(engine, start, today).reindex(customers["key"]).assign(
            orders=lambda f: f["orders"].fillna(0), revenue_cents=lambda f: f["revenue_cents"].fillna(0),
            ordered_before=lambda f: f["ordered_before"].fillna(False).astype(bool)), today)
        totals = window_totals(engine, request.metric, start, today)
    elif request.method == "clv":
        from kacrm.analysis.clv import predict_clv, purchase_history

        history = purchase_history(purchase_days(engine, start, today), today, request.time_unit)
        prediction = predict_clv(history, request.horizon_days, request.time_unit)
        extra = prediction.frame.reindex(customers["key"])
        totals = None
    else:
        extra, totals = None, window_totals(engine, request.metric, start, today)
    frame = customers.set_index("key", drop=False)
    if totals is not None:
        if request.metric == "profit" and int(totals["unknown_cost"].sum()):
            notes.append(f"{int(totals['unknown_cost'].sum())} orders in the window have no cost and are left out "
                         "of profit")
        totals = totals.reindex(frame.index, fill_value=0)
        frame["value"] = tiering.customer_values(totals, request.metric)
    else:
        frame["value"] = extra["predicted_value"].fillna(0.0).to_numpy()
    if extra is not None:
        frame = frame.join(extra.set_axis(frame.index))
    return frame.reset_index(drop=True), prediction


def _by_region(customers: pd.DataFrame) -> pd.DataFrame:
    regions = customers.assign(region=customers["region"].fillna(NO_REGION))
    grouped = regions.groupby("region", as_index=False)["value"].sum()
    return grouped.assign(key=grouped["region"], code=grouped["region"], name=None, pinned=None)


def run_tiering(engine: Engine, request: TierRequest, today: date) -> TierOutcome:
    """Compute a tiering, compare it with the previous run of the same method, and store it (unless dry run)."""
    if request.by not in ("customer", "region"):
        raise InputError(f"--by: {request.by!r} must be customer or region")
    if request.by == "region" and request.method != "abc":
        raise InputError("--by region works with --method abc only (ABC sales areas)")
    notes: list[str] = []
    entities, prediction = _entities(engine, request, today, notes)
    if request.by == "region":
        entities = _by_region(entities)
    previous_run = _previous_run(engine, request.method, request.by)
    rows = tiering.tier_rows(entities, request.method, request.thresholds, request.percentages,
                             _previous_tiers(engine, previous_run))
    outcome = TierOutcome(
        request, today, rows, tiering.tier_summary(rows, request.method), notes=notes,
        previous_run={"id": previous_run.id, "as_of": previous_run.as_of} if previous_run else None,
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


def _stored_value(request: TierRequest, value: Any) -> float:
    """Snapshot values are in yuan for money metrics (the column is a float), as is the clv prediction."""
    if request.method != "clv" and request.metric in tiering.MONEY_METRICS:
        return int(value) / 100
    return float(value)


def _details(request: TierRequest, row: dict[str, Any]) -> str | None:
    details = {k: _plain(row[k]) for k in DETAIL_KEYS.get(request.method, ())}
    if request.method == "rfm" and details["monetary"] is not None:
        details["monetary"] = details["monetary"] / 100
    if row["pinned"] and row["computed_tier"] != row["tier"]:
        details["computed_tier"] = row["computed_tier"]
    return json.dumps(details, ensure_ascii=False) if details else None


def _store(engine: Engine, request: TierRequest, today: date, rows: pd.DataFrame) -> int:
    """One transaction: the run, its snapshots (Core executemany) and the changed customer tiers."""
    parameters = request.parameters()
    if request.by == "region":
        parameters["regions"] = [
            {"region": r["key"], "tier": r["tier"], "value": _stored_value(request, r["value"]), "rank": int(r["rank"])}
            for r in rows.to_dict("records")
        ]
    run = {"method": request.method, "metric": "predicted_value" if request.method == "clv" else request.metric,
           "window": request.window, "by": request.by, "as_of": today, "created_at": utcnow(),
           "parameters": json.dumps(parameters, ensure_ascii=False)}
    with engine.begin() as conn:
        run_id = conn.execute(insert(TierRun.__table__).values(**run).returning(TierRun.__table__.c.id)).scalar_one()
        if request.by == "customer" and len(rows):
            records = rows.to_dict("records")
            snapshots = [
                {"run_id": run_id, "customer_id": int(r["key"]), "tier": r["tier"],
                 "value": _stored_value(request, r["value"]), "share": float(r["share"]), "rank": int(r["rank"]),
                 "pinned": bool(r["pinned"]), "details": _details(request, r)}
                for r in records
            ]
            conn.execute(insert(TierSnapshot.__table__), snapshots)
            changed = [
                {"b_id": int(r["key"]), "b_tier": r["tier"], "b_method": request.method}
                for r in records
                if r["tier"] != r["current_tier"] or r["current_method"] != request.method
            ]
            if changed:
                table = Customer.__table__
                statement = (update(table).where(table.c.id == bindparam("b_id"))
                             .values(tier=bindparam("b_tier"), tier_method=bindparam("b_method"), updated_at=utcnow()))
                conn.execute(statement, changed)
    return run_id


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
