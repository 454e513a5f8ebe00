"""Tier runs in the database: the previous run (for movements), the run row, one customer's tier history, and
pins. abc and the pyramid by customer are ranked and stored in SQL (tier_ranking); the other methods and regions
are stored in bulk by tier_frames. app.tiering decides which path a run takes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.analysis.tier_rules import TierRequest
from kacrm.domain import MONEY_METRICS, money
from kacrm.store.clock import utcnow
from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine, TextClause


@dataclass(frozen=True)
class PreviousRun:
    id: int
    as_of: date
    by: str
    parameters: str


def previous_run(
    book: SqliteBook | Engine, method: str, by: str, as_of: date
) -> PreviousRun | None:
    """The run a new run of ``as_of`` is compared with: the newest stored run of the method and grouping dated
    up to that day (by day, then the newest of a day), so that a run of a past day stored since (history, `tier
    --as-of`) is not the baseline of today's, nor today's of it; textual SQL run by kacrm.store.reader, so that
    `tier --dry-run` on a current SQLite file loads no SQLAlchemy (issue 19)."""
    with reading(book) as reader:
        rows = reader.rows(
            'SELECT id, as_of, "by", parameters FROM tier_run WHERE method = :method '
            'AND "by" = :by AND as_of <= :as_of ORDER BY as_of DESC, id DESC LIMIT 1',
            ("as_of",),
            method=method,
            by=by,
            as_of=as_of,
        )
    if not rows:
        return None
    run_id, as_of, run_by, parameters = rows[0]
    return PreviousRun(run_id, as_of, run_by, parameters)


def newest_run_day(book: SqliteBook | Engine, method: str) -> date | None:
    """The as-of day of the newest stored run of ``method`` by customer: the one whose tiers are in force when
    ``method`` is primary (a run dated before it is history, kacrm.app.tiering)."""
    with reading(book) as reader:
        rows = reader.rows(
            "SELECT as_of FROM tier_run WHERE method = :method AND \"by\" = 'customer' "
            "ORDER BY as_of DESC LIMIT 1",
            ("as_of",),
            method=method,
        )
    return rows[0][0] if rows else None


def customer_names(book: SqliteBook | Engine, keys: list[int]) -> dict[int, str]:
    """The names of a few customers by key (for output of a run made with rows=False)."""
    if not keys:
        return {}
    listed = ", ".join(str(int(key)) for key in keys)  # integers read from the database
    with reading(book) as reader:
        return dict(reader.execute(f"SELECT id, name FROM customer WHERE id IN ({listed})", {})[1])


def insert_run() -> TextClause:
    """The insert of a tier_run row (run_row's values), giving its id."""
    from sqlalchemy import Date, DateTime, bindparam, text

    return text(
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
    if metric in (*MONEY_METRICS, "predicted_value"):
        return money(round(value * 100))
    return value
