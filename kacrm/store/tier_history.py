"""Tiering against the database: the run as a whole (which path ranks it, the previous run for movements, the
run row), one customer's tier history, and pins. abc and the pyramid by customer are ranked and stored in SQL
(tier_ranking); the other methods and regions in pandas (tier_frames), imported only for them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, Engine, bindparam, text

from kacrm.analysis import tier_rules
from kacrm.analysis.windows import parse_window, window_after
from kacrm.errors import InputError
from kacrm.store.clock import utcnow
from kacrm.store.raw import as_date, raw_rows
from kacrm.store.tier_ranking import (
    drop_temporary_tables,
    rank_in_database,
    unknown_cost_sql,
    window_params,
)

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Connection


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
        params: dict[str, Any] = (
            {"thresholds": list(self.thresholds)} if self.method in ("abc", "clv") else {}
        )
        if self.method == "pyramid":
            params["percentages"] = list(self.percentages)
        if self.method == "clv":
            params.update(horizon_days=self.horizon_days, time_unit=self.time_unit)
        return params


SHOWN = 20  # moved customers and pin overrides listed under the summary table


@dataclass
class TierOutcome:
    request: TierRequest
    as_of: date
    summary: list[dict[str, Any]]
    movement_counts: dict[str, int]  # new | same | up | down | changed -> customers (or regions)
    moved: list[
        dict[str, Any]
    ]  # the first SHOWN that moved, by rank: code, name, previous_tier, tier, movement
    pin_overrides: list[
        dict[str, Any]
    ]  # the first SHOWN whose pin overrode the computed tier: code, tier, computed
    rows: pd.DataFrame | None = (
        None  # every row (tiering.tier_rows columns, name, rfm/clv columns) when asked for
    )
    run_id: int | None = None  # None with --dry-run
    previous_run: dict[str, Any] | None = None  # id and as_of of the run compared with
    unknown_costs: int = 0  # profit: orders in the window without a cost, left out
    fit: dict[str, Any] | None = None  # clv: the fitted model


def fetch_rows(conn: Connection, sql: str, **params: Any) -> list[tuple]:
    return raw_rows(conn, text(sql), params)[1]


@dataclass(frozen=True)
class PreviousRun:
    id: int
    as_of: date
    by: str
    parameters: str


def _previous_run(engine: Engine, method: str, by: str) -> PreviousRun | None:
    with engine.connect() as conn:
        rows = fetch_rows(
            conn,
            'SELECT id, as_of, "by", parameters FROM tier_run WHERE method = :method '
            'AND "by" = :by ORDER BY id DESC LIMIT 1',
            method=method,
            by=by,
        )
    if not rows:
        return None
    run_id, as_of, run_by, parameters = rows[0]
    return PreviousRun(run_id, as_date(as_of), run_by, parameters)


def _unknown_costs(engine: Engine, request: TierRequest, start: date | None, today: date) -> int:
    """How many orders in the window profit leaves out for want of a cost (0 for other metrics)."""
    if request.metric != "profit" or request.method == "clv":
        return 0
    with engine.connect() as conn:
        return int(
            conn.execute(text(unknown_cost_sql(start)), window_params(start, today)).scalar_one()
        )


def run_tiering(
    engine: Engine, request: TierRequest, today: date, *, rows: bool = True
) -> TierOutcome:
    """Compute a tiering, compare it with the previous run of the same method, and store it (unless dry run).

    ``rows=False`` may leave ``outcome.rows`` out: for output that shows the summary and a few rows only. abc and
    the pyramid by customer are ranked in the database (store.tier_ranking); the other methods and regions in
    pandas.
    """
    if request.by not in ("customer", "region"):
        raise InputError(f"--by: {request.by!r} must be customer or region")
    if request.by == "region" and request.method != "abc":
        raise InputError("--by region works with --method abc only (ABC sales areas)")
    if request.method not in tier_rules.METHODS:
        raise InputError(
            f"--method: {request.method!r} is not one of {', '.join(tier_rules.METHODS)}"
        )
    previous = _previous_run(engine, request.method, request.by)
    start = window_after(parse_window(request.window), today)
    unknown_costs = _unknown_costs(engine, request, start, today)
    if request.by == "customer" and request.method in ("abc", "pyramid"):
        outcome = _run_in_database(
            engine, request, start, today, previous.id if previous else None, rows
        )
    else:
        from kacrm.store.tier_frames import run_in_pandas

        outcome = run_in_pandas(engine, request, start, today, previous, rows)
    outcome.unknown_costs = unknown_costs
    outcome.previous_run = {"id": previous.id, "as_of": previous.as_of} if previous else None
    return outcome


def _run_in_database(
    engine: Engine,
    request: TierRequest,
    start: date | None,
    today: date,
    previous_id: int | None,
    rows: bool,
) -> TierOutcome:
    """abc or the pyramid by customer, ranked and stored in one transaction (rolled back by a dry run)."""
    with engine.connect() as conn, sqlite_foreign_keys_off(conn):
        with conn.begin() as transaction:
            # the run first: on SQLite its insert takes the write lock before anything is read
            run_id = (
                None
                if request.dry_run
                else conn.execute(INSERT_RUN, run_row(request, today)).scalar_one()
            )
            ranking = rank_in_database(conn, request, start, today, previous_id)
            summary, counts = ranking.summary()
            outcome = TierOutcome(
                request,
                today,
                summary,
                counts,
                ranking.moved(SHOWN),
                ranking.pin_overrides(SHOWN),
                rows=ranking.rows() if rows else None,
                run_id=run_id,
            )
            if run_id is not None:
                ranking.store(run_id, utcnow())
            if request.dry_run:
                transaction.rollback()
        drop_temporary_tables(conn)  # they outlive a commit, and on SQLite a rollback too
        conn.commit()
    return outcome


def customer_names(engine: Engine, keys: list[int]) -> dict[int, str]:
    """The names of a few customers by key (for output of a run made with rows=False)."""
    if not keys:
        return {}
    statement = text("SELECT id, name FROM customer WHERE id IN :keys").bindparams(
        bindparam("keys", expanding=True)
    )
    with engine.connect() as conn:
        return {
            key: name for key, name in conn.execute(statement, {"keys": [int(k) for k in keys]})
        }


INSERT_RUN = text(
    'INSERT INTO tier_run (method, metric, "window", "by", as_of, parameters, created_at) '
    "VALUES (:method, :metric, :window, :by, :as_of, :parameters, :created_at) RETURNING id"
).bindparams(bindparam("as_of", type_=Date()), bindparam("created_at", type_=DateTime()))


def run_row(
    request: TierRequest, today: date, regions: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The tier_run row of a request (its parameters as JSON, with the regions' tiers for --by region)."""
    parameters = request.parameters() | ({"regions": regions} if regions is not None else {})
    return {
        "method": request.method,
        "metric": "predicted_value" if request.method == "clv" else request.metric,
        "window": request.window,
        "by": request.by,
        "as_of": today,
        "created_at": utcnow(),
        "parameters": json.dumps(parameters, ensure_ascii=False),
    }


@contextmanager
def sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite checks the two foreign keys of every snapshot row one by one: 0.15 s of the 0.65 s that 100,000
    snapshots take to insert. Off for the run's transaction (the pragma only works outside one), on again
    afterwards on this connection. The customers are checked otherwise: tier_frames checks them in one query after
    the insert; tier_ranking inserts snapshots selected from the customer table inside the write transaction."""
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
            .where(
                TierSnapshot.customer_id == customer.id, TierSnapshot.run_id.in_(select(TierRun.id))
            )  # a seek per run (migration 0003)
            .order_by(TierRun.as_of, TierRun.id)
        )
        return [
            {
                "customer_code": customer.code,
                "customer_name": customer.name,
                "run": run.id,
                "as_of": run.as_of,
                "method": run.method,
                "metric": run.metric,
                "window": run.window,
                "tier": snap.tier,
                "value": _history_value(run.metric, snap.value),
                "share": snap.share,
                "rank": snap.rank,
                "pinned": snap.pinned,
            }
            for run, snap in session.execute(query)
        ]


def _history_value(metric: str, value: float) -> Any:
    """Money (revenue, profit, a clv prediction) as exact yuan to the cent, SPEC §2; counts as stored."""
    from kacrm.domain import money

    if metric in (*tier_rules.MONEY_METRICS, "predicted_value"):
        return money(round(value * 100))
    return value


def pin_tier(engine: Engine, code: str, tier: str | None) -> tuple[str, str | None]:
    """Pin a customer's tier (re-tiering leaves it alone) or unpin it (tier None); returns (code, old pin).

    Pinning also sets the current tier; unpinning leaves it until the next run.
    """
    from sqlmodel import Session

    from kacrm.store.repo import customer_by_code

    if tier is not None and tier not in tier_rules.ALL_TIERS:
        raise InputError(
            f"{tier!r} is not a tier; use A, B, C, platinum, gold, iron, lead or an rfm segment"
        )
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
