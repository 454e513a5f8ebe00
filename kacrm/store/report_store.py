"""Loading what `kacrm report` reads: the book by column, the tier runs, and one customer's records.

Every read is textual SQL run by kacrm.store.reader on either backend (the stdlib driver on a current SQLite
file, SQLAlchemy's connection otherwise), with no ORM and no pandas (issue 19)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from kacrm.errors import KacrmError
from kacrm.i18n import t, text
from kacrm.store.credit_store import Columns, columns
from kacrm.store.due_store import EVERYONE, Scope
from kacrm.store.raw import as_date
from kacrm.store.reader import Reader, SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine


class RunTiers(NamedTuple):
    """One tier run: its id, method and as-of day, and each customer's tier in it."""

    run_id: int
    method: str
    as_of: date
    tiers: dict[int, str]  # customer_id -> tier


_RUNS = (
    "SELECT id, method, as_of FROM tier_run WHERE method = :method AND \"by\" = 'customer' "
    "AND as_of <= :today ORDER BY as_of DESC, id DESC LIMIT :count"
)


def last_runs(
    reader: Reader, method: str, today: date, count: int = 2, scope: Scope = EVERYONE
) -> list[RunTiers]:
    """The newest `count` customer-level runs of `method` dated up to today, newest first (as_of, then id);
    their tiers of the customers in ``scope`` (the runs are the book's either way)."""
    runs = []
    for run in reader.rows(_RUNS, ("as_of",), method=method, today=today, count=count):
        snapshots = reader.rows(
            "SELECT customer_id, tier FROM tier_snapshot WHERE run_id = :run"
            + scope.and_("customer_id"),
            run=run.id,
        )
        runs.append(
            RunTiers(run.id, run.method, run.as_of, {int(cid): tier for cid, tier in snapshots})
        )
    return runs


def load_movement(book: SqliteBook | Engine, method: str, today: date) -> tuple[RunTiers, RunTiers]:
    """(previous, latest) run of `method`; a KacrmError that says what to run when there are fewer than two."""
    with reading(book) as reader:
        runs = last_runs(reader, method, today)
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


def _tier_changes(
    reader: Reader, today: date, method: str, scope: Scope = EVERYONE
) -> dict[int, tuple[str, str]]:
    """customer_id -> (tier in the previous run, tier in the latest run) of ``method``, the primary method:
    only its tiers are the tiers in force (SPEC §6), so another method's run is no movement of the book."""
    runs = last_runs(reader, method, today, scope=scope)
    if len(runs) < 2:
        return {}
    latest, previous = runs[0].tiers, runs[1].tiers
    return {cid: (previous[cid], tier) for cid, tier in latest.items() if cid in previous}


def _p_alive(reader: Reader, today: date, scope: Scope = EVERYONE) -> dict[int, float]:
    """customer_id -> p_alive in the newest clv run (its snapshot details hold the model figures)."""
    runs = last_runs(reader, "clv", today, count=1, scope=Scope(()))  # the run alone
    if not runs:
        return {}
    details = reader.rows(
        "SELECT customer_id, details FROM tier_snapshot WHERE run_id = :run"
        + scope.and_("customer_id"),
        run=runs[0].run_id,
    )
    result = {}
    for cid, details_text in details:
        value = json.loads(details_text).get("p_alive") if details_text else None
        if isinstance(value, (int, float)):
            result[int(cid)] = float(value)
    return result


# The columns the report's analyses read (kacrm.analysis.report.ReportData), dated up to today. Orders, payments
# and interactions in no order: every analysis sums, counts or sorts them itself (the ledger sorts by customer and
# day, orders and payments by their unique numbers), and sorting them here cost a third of their reading.
_BOOK = {
    "customers": (
        "SELECT id AS customer_id, code AS customer_code, name AS customer_name, type, region, tier, "
        "cadence_days, payment_terms_days FROM customer ORDER BY code",
        (),
    ),
    "orders": (
        "SELECT customer_id, order_no, order_date, amount_cents, due_date FROM orders "
        "WHERE order_date <= :today",
        ("order_date", "due_date"),
    ),
    "payments": (
        "SELECT customer_id, payment_no, order_no, paid_on, amount_cents FROM payment "
        "WHERE paid_on <= :today",
        ("paid_on",),
    ),
    "interactions": (
        "SELECT customer_id, happened_on, kind, resolved_on FROM interaction "
        "WHERE happened_on <= :today",
        ("happened_on", "resolved_on"),
    ),
}


def _columns(reader: Reader, query: str, dates: tuple[str, ...] = (), **params: Any) -> Columns:
    """The rows of ``query`` as lists of values by column name, the columns in ``dates`` as ``date``."""
    found = columns(*reader.execute(query, params))
    for name in dates:
        found[name] = [as_date(v) for v in found[name]]
    return found


def load_report_data(book: SqliteBook | Engine, today: date, method: str) -> dict[str, Any]:
    """The book as of today, as the fields of analysis.report.ReportData (the due items left to the caller):
    customers, orders, payments and interactions dated up to today (by column, dates as ``date``), the tier
    changes of the primary ``method``'s last two runs and p_alive of the newest clv run."""
    with reading(book) as reader:
        return {
            **{
                name: _columns(
                    reader, query, dates, **({"today": today} if ":today" in query else {})
                )
                for name, (query, dates) in _BOOK.items()
            },
            "p_alive": _p_alive(reader, today),
            "tier_changes": _tier_changes(reader, today, method),
        }


_RISK_ORDERS = (
    "SELECT customer_id, "
    "SUM(CASE WHEN order_date >= :start THEN amount_cents ELSE 0 END) AS now_cents, "
    "SUM(CASE WHEN order_date >= :before_start AND order_date < :start THEN amount_cents ELSE 0 END) "
    "AS before_cents, MIN(order_date) AS first_on, MAX(order_date) AS last_on, "
    "COUNT(DISTINCT order_date) AS days FROM orders WHERE order_date <= :today{scope} GROUP BY customer_id"
)
_RISK_COMPLAINTS = (
    "SELECT customer_id, MIN(happened_on) AS since FROM interaction WHERE kind = 'complaint' "
    "AND happened_on <= :today AND (resolved_on IS NULL OR resolved_on > :today){scope} GROUP BY customer_id"
)


def load_risk_facts(
    book: SqliteBook | Engine,
    today: date,
    method: str,
    start: date,
    before_start: date,
    scope: Scope = EVERYONE,
) -> dict[str, Any]:
    """The fields of analysis.report.RiskFacts summed by the database, for the windows ``start`` … ``today`` and
    ``before_start`` … the day before ``start``: the digest's at-risk section without reading a million orders
    into pandas. The same facts as analysis.report.risk_facts computes from the report's frames, of the
    customers in ``scope`` (one owner's digest)."""
    with reading(book) as reader:
        changes = _tier_changes(reader, today, method, scope)
        p_alive = _p_alive(reader, today, scope)
        accounts = reader.rows("SELECT id, code, name, tier FROM customer" + scope.where("id"))
        orders = reader.rows(
            _RISK_ORDERS.format(scope=scope.and_("customer_id")),
            ("first_on", "last_on"),
            today=today,
            start=start,
            before_start=before_start,
        )
        complaints = reader.rows(
            _RISK_COMPLAINTS.format(scope=scope.and_("customer_id")), ("since",), today=today
        )
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


def customer_orders(book: SqliteBook | Engine, customer_id: int, today: date) -> Columns:
    """One customer's orders dated up to today, by column: order_date, amount_cents, quantity (None: unknown)."""
    query = (
        "SELECT order_date, amount_cents, quantity FROM orders "
        "WHERE customer_id = :cid AND order_date <= :today ORDER BY order_date, order_no"
    )
    with reading(book) as reader:
        return _columns(reader, query, ("order_date",), cid=customer_id, today=today)


_CARD = {
    "interactions": (
        "SELECT i.happened_on, i.kind, i.summary, i.outcome, i.cost_cents, i.resolved_on, i.next_due, "
        "c.name AS contact FROM interaction i LEFT JOIN contact c ON c.id = i.contact_id "
        "WHERE i.customer_id = :cid AND i.happened_on <= :today ORDER BY i.happened_on DESC, i.id DESC",
        ("happened_on", "resolved_on", "next_due"),
    ),
    "plans": (
        "SELECT id, horizon, goal, target_date, status, done_on FROM plan WHERE customer_id = :cid "
        "ORDER BY target_date, id",
        ("target_date", "done_on"),
    ),
    "reviews": (
        "SELECT reviewed_on, score FROM credit_review WHERE customer_id = :cid AND reviewed_on <= :today "
        "ORDER BY reviewed_on DESC, id DESC",
        ("reviewed_on",),
    ),
    # a seek per run (migration 0003): the IN keeps SQLite on the (run_id, customer_id) index
    "tier_history": (
        "SELECT r.as_of, r.method, s.tier, s.rank, s.share FROM tier_run r "
        "JOIN tier_snapshot s ON s.run_id = r.id WHERE s.customer_id = :cid AND r.as_of <= :today "
        "AND s.run_id IN (SELECT id FROM tier_run) ORDER BY r.as_of, r.id",
        ("as_of",),
    ),
}


def load_customer_records(book: SqliteBook | Engine, cid: int, today: date) -> dict[str, Any]:
    """The records of customer ``cid`` for the card, as rows with named fields: its id, interactions (newest
    first, with the key person's name as ``contact``), plans, credit reviews and tier history (oldest run
    first)."""
    with reading(book) as reader:
        found: dict[str, Any] = {
            name: reader.rows(query, dates, cid=cid, today=today)
            for name, (query, dates) in _CARD.items()
        }
    return {"customer_id": cid, **found}


def load_pareto_inputs(
    book: SqliteBook | Engine, start: date | None, end: date
) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
    """Revenue cents per customer for orders dated start … end (summed in the database), and every
    customer's (code, name)."""
    since = "" if start is None else " AND order_date >= :start"
    query = (
        "SELECT customer_id, SUM(amount_cents) AS cents FROM orders WHERE order_date <= :end"
        f"{since} GROUP BY customer_id"
    )
    with reading(book) as reader:
        sums = reader.rows(query, **({"end": end, "start": start} if start else {"end": end}))
        names = reader.rows("SELECT id, code, name FROM customer")
    return (
        {int(cid): int(cents) for cid, cents in sums},
        {int(cid): (code, name) for cid, code, name in names},
    )
