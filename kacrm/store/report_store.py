"""Loading what `kacrm report` reads: the frames of the book, the tier runs, and one customer's records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy import text as sql
from sqlmodel import Session

from kacrm.errors import KacrmError
from kacrm.i18n import t, text
from kacrm.store import repo
from kacrm.store.models import (
    Contact,
    CreditReview,
    Customer,
    Interaction,
    Order,
    Plan,
    TierRun,
    TierSnapshot,
)
from kacrm.store.raw import records


@dataclass(frozen=True)
class RunTiers:
    """One tier run: its id, method and as-of day, and each customer's tier in it."""

    run_id: int
    method: str
    as_of: date
    tiers: dict[int, str]  # customer_id -> tier


def last_runs(session: Session, method: str, today: date, count: int = 2) -> list[RunTiers]:
    """The newest `count` customer-level runs of `method` dated up to today, newest first (as_of, then id)."""
    query = (
        select(TierRun)
        .where(TierRun.method == method, TierRun.by == "customer", TierRun.as_of <= today)
        .order_by(TierRun.as_of.desc(), TierRun.id.desc())
        .limit(count)
    )
    runs = []
    for run in session.scalars(query):
        snapshots = session.execute(
            select(TierSnapshot.customer_id, TierSnapshot.tier).where(TierSnapshot.run_id == run.id)
        )
        runs.append(
            RunTiers(run.id, run.method, run.as_of, {int(cid): tier for cid, tier in snapshots})
        )
    return runs


def load_movement(engine: Engine, method: str, today: date) -> tuple[RunTiers, RunTiers]:
    """(previous, latest) run of `method`; a KacrmError that says what to run when there are fewer than two."""
    with Session(engine) as session:
        runs = last_runs(session, method, today)
    if len(runs) < 2:
        values = {
            "method": method,
            "method_zh": text(f"method_{method}", "zh"),
            "today": today.isoformat(),
            "found": len(runs),
        }
        raise KacrmError(
            t("report_movement_needs_runs", "en", **values),
            t("report_movement_needs_runs", "zh", **values),
        )
    return runs[1], runs[0]


def _tier_changes(session: Session, today: date, method: str) -> dict[int, tuple[str, str]]:
    """customer_id -> (tier in the previous run, tier in the latest run) of ``method``, the primary method:
    only its tiers are the tiers in force (SPEC §6), so another method's run is no movement of the book."""
    runs = last_runs(session, method, today)
    if len(runs) < 2:
        return {}
    latest, previous = runs[0].tiers, runs[1].tiers
    return {cid: (previous[cid], tier) for cid, tier in latest.items() if cid in previous}


def _p_alive(session: Session, today: date) -> dict[int, float]:
    """customer_id -> p_alive in the newest clv run (its snapshot details hold the model figures)."""
    runs = last_runs(session, "clv", today, count=1)
    if not runs:
        return {}
    details = session.execute(
        select(TierSnapshot.customer_id, TierSnapshot.details).where(
            TierSnapshot.run_id == runs[0].run_id
        )
    )
    result = {}
    for cid, details_text in details:
        value = json.loads(details_text).get("p_alive") if details_text else None
        if isinstance(value, (int, float)):
            result[int(cid)] = float(value)
    return result


def load_report_data(engine: Engine, today: date, method: str) -> dict[str, Any]:
    """The book as of today, as the fields of analysis.report.ReportData (the due items left to the caller):
    customers, orders, payments and interactions dated up to today, the tier changes of the primary ``method``'s
    last two runs and p_alive of the newest clv run."""
    with Session(engine) as session:
        changes = _tier_changes(session, today, method)
        p_alive = _p_alive(session, today)
    return {
        "customers": repo.customers_frame(engine),
        "orders": repo.orders_frame(engine, end=today),
        "payments": repo.payments_frame(engine, end=today),
        "interactions": repo.interactions_frame(engine, end=today),
        "p_alive": p_alive,
        "tier_changes": changes,
    }


_RISK_ORDERS = (
    "SELECT customer_id, "
    "SUM(CASE WHEN order_date >= :start THEN amount_cents ELSE 0 END) AS now_cents, "
    "SUM(CASE WHEN order_date >= :before_start AND order_date < :start THEN amount_cents ELSE 0 END) "
    "AS before_cents, MIN(order_date) AS first_on, MAX(order_date) AS last_on, "
    "COUNT(DISTINCT order_date) AS days FROM orders WHERE order_date <= :today GROUP BY customer_id"
)
_RISK_COMPLAINTS = (
    "SELECT customer_id, MIN(happened_on) AS since FROM interaction WHERE kind = 'complaint' "
    "AND happened_on <= :today AND (resolved_on IS NULL OR resolved_on > :today) GROUP BY customer_id"
)


def load_risk_facts(
    engine: Engine, today: date, method: str, start: date, before_start: date
) -> dict[str, Any]:
    """The fields of analysis.report.RiskFacts summed by the database, for the windows ``start`` … ``today`` and
    ``before_start`` … the day before ``start``: the digest's at-risk section without reading a million orders
    into pandas. The same facts as analysis.report.risk_facts computes from the report's frames."""
    with Session(engine) as session:
        changes = _tier_changes(session, today, method)
        p_alive = _p_alive(session, today)
    with engine.connect() as conn:
        accounts = records(conn, sql("SELECT id, code, name, tier FROM customer"))
        orders = records(
            conn,
            sql(_RISK_ORDERS),
            ("first_on", "last_on"),
            today=today,
            start=start,
            before_start=before_start,
        )
        complaints = records(conn, sql(_RISK_COMPLAINTS), ("since",), today=today)
    return {
        "accounts": [(int(r.id), r.code, r.name, r.tier) for r in accounts],
        "revenue_now": {int(r.customer_id): int(r.now_cents) for r in orders},
        "revenue_before": {int(r.customer_id): int(r.before_cents) for r in orders},
        "rhythm": {
            int(r.customer_id): (
                r.last_on,
                (r.last_on - r.first_on).days / (r.days - 1) if r.days > 1 else None,
            )
            for r in orders
        },
        "complaints": {int(r.customer_id): r.since for r in complaints},
        "p_alive": p_alive,
        "tier_changes": changes,
    }


def load_customer_records(engine: Engine, code: str, today: date) -> dict[str, Any]:
    """One customer's records for the card: its id, interactions (newest first, with the key person's name),
    plans, credit reviews and tier history (oldest run first)."""
    with Session(engine) as session:
        customer = repo.customer_by_code(session, code)
        cid = customer.id
        interactions = session.execute(
            select(Interaction, Contact.name)
            .outerjoin(Contact, Contact.id == Interaction.contact_id)
            .where(Interaction.customer_id == cid, Interaction.happened_on <= today)
            .order_by(Interaction.happened_on.desc(), Interaction.id.desc())
        ).all()
        plans = session.scalars(
            select(Plan).where(Plan.customer_id == cid).order_by(Plan.target_date, Plan.id)
        ).all()
        reviews = session.scalars(
            select(CreditReview)
            .where(CreditReview.customer_id == cid, CreditReview.reviewed_on <= today)
            .order_by(CreditReview.reviewed_on.desc(), CreditReview.id.desc())
        ).all()
        history = session.execute(
            select(TierRun, TierSnapshot)
            .join(TierSnapshot, TierSnapshot.run_id == TierRun.id)
            .where(
                TierSnapshot.customer_id == cid,
                TierRun.as_of <= today,
                TierSnapshot.run_id.in_(select(TierRun.id)),
            )  # a seek per run (migration 0003)
            .order_by(TierRun.as_of, TierRun.id)
        ).all()
        return {
            "customer_id": cid,
            "interactions": [(i, name) for i, name in interactions],
            "plans": list(plans),
            "reviews": list(reviews),
            "tier_history": [(run, snap) for run, snap in history],
        }


def load_pareto_inputs(
    engine: Engine, start: date | None, end: date
) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
    """Revenue cents per customer for orders dated start … end (summed in the database), and every
    customer's (code, name)."""
    query = select(Order.customer_id, func.sum(Order.amount_cents)).where(Order.order_date <= end)
    if start is not None:
        query = query.where(Order.order_date >= start)
    with Session(engine) as session:
        revenue = {
            int(cid): int(cents)
            for cid, cents in session.execute(query.group_by(Order.customer_id))
        }
        names = {
            int(cid): (code, name)
            for cid, code, name in session.execute(
                select(Customer.id, Customer.code, Customer.name)
            )
        }
    return revenue, names
