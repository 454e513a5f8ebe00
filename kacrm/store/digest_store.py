"""The digest in the database (SPEC §10): the period not yet covered, the run lock, the digest_run rows, and
loading what one digest is assembled from.

The lock lives in the database, so it works for every process that shares it (two cron jobs, a cron job and
a user at the terminal) on SQLite and PostgreSQL alike, without a schema change:

- A short critical section serialises the claim: SQLite ``BEGIN IMMEDIATE`` (one writer at a time) or a
  PostgreSQL transaction-scoped advisory lock. Inside it, a run checks for a digest_run row with status
  ``running``; if there is none, it computes its period and inserts its own ``running`` row, then commits.
- That ``running`` row is the lock for the long part (gathering, rendering, sending). A second run waits for it
  to finish, polling, up to ``wait_seconds``, then gives up with a clear message (``DigestBusy``).
- A ``running`` row older than ``STALE_AFTER`` belongs to a run that died (killed, power cut): it is marked
  ``failed`` and no longer blocks.
- The period is computed inside the critical section from the runs that succeeded, so a run that waited for
  another one sees what that one covered and never sends the same period twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Row,
    column,
    func,
    insert,
    select,
    table,
    text,
    update,
)

from kacrm.domain import KEY_TIERS
from kacrm.errors import KacrmError
from kacrm.store.clock import utcnow
from kacrm.store.report_store import last_runs

# The tables named by their columns (Core, as store/customer_rows.py), typed where a value is converted as the
# models type it, so that a digest loads neither the ORM nor SQLModel (issue 19).
DIGEST_RUN = table(
    "digest_run",
    column("id"),
    column("period_start", Date),
    column("period_end", Date),
    column("channel"),
    column("recipient"),
    column("owner"),
    column("status"),
    column("detail"),
    column("started_at", DateTime),
    column("finished_at", DateTime),
)
CUSTOMER = table(
    "customer",
    *(column(name) for name in ("id", "code", "name", "tier", "tier_pinned", "credit_limit_cents")),
)
ORDERS = table(
    "orders",
    column("order_no"),
    column("customer_id"),
    column("order_date", Date),
    column("amount_cents"),
    column("product"),
)
PAYMENT = table("payment", column("customer_id"), column("paid_on", Date), column("amount_cents"))
CONTACT = table(
    "contact",
    column("id"),
    column("customer_id"),
    column("name"),
    column("phone"),
    column("hobbies"),
)
TIER_RUN = table("tier_run", column("method"), column("by"))
TIER_MOVEMENT = table(
    "tier_movement",
    column("customer_id"),
    column("method"),
    column("previous_tier"),
    column("tier"),
    column("changed_on", Date),
)

RUNNING, SENT, WRITTEN, SKIPPED, FAILED = "running", "sent", "written", "skipped", "failed"
SUCCESSFUL = (SENT, WRITTEN, SKIPPED)
CHANNELS = ("email", "file", "stdout")
STALE_AFTER = timedelta(minutes=30)
# An arbitrary 64-bit key for pg_advisory_xact_lock: "kacrm digest".
_PG_LOCK_KEY = 0x6B6163726D_6467


class DigestBusy(KacrmError):
    """Another digest is running and did not finish within the waiting time."""


@dataclass(frozen=True)
class Claim:
    """A digest run that holds the lock for its period."""

    run_id: int
    period_start: date
    period_end: date
    channel: str


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other digest claim runs concurrently with (committed on success)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        yield conn
        conn.commit()


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _scope(channel: str, recipient: str, owner: str) -> list[Any]:
    """The digest_run rows of one recipient and scope (issue 15): channel, address ('' for a file or stdout)
    and owner ('' for the whole book)."""
    return [
        DIGEST_RUN.c.channel == channel,
        DIGEST_RUN.c.recipient == recipient,
        DIGEST_RUN.c.owner == owner,
    ]


def _first_uncovered_in(conn: Connection, where: list[Any], today: date) -> date | None:
    covered = conn.execute(
        select(func.max(DIGEST_RUN.c.period_end)).where(*where, DIGEST_RUN.c.status.in_(SUCCESSFUL))
    ).scalar()
    if covered is not None:
        return covered + timedelta(days=1)
    attempted = conn.execute(select(func.min(DIGEST_RUN.c.period_start)).where(*where)).scalar()
    return min(attempted, today) if attempted is not None else None


def _first_uncovered(
    conn: Connection, channel: str, today: date, recipient: str = "", owner: str = ""
) -> date:
    """The day after the last successful digest of this recipient and scope; before any success, the start
    of the first (failed) attempt, or ``today`` for the first digest ever. An address with no run of its own
    continues the whole book's email record of schema 0005 and before (recipient ''), so that an upgrade
    neither repeats nor skips a day."""
    found = _first_uncovered_in(conn, _scope(channel, recipient, owner), today)
    if found is None and channel == "email" and recipient and not owner:
        found = _first_uncovered_in(conn, _scope(channel, "", ""), today)
    return today if found is None else found


def next_period(
    engine: Engine, channel: str, today: date, recipient: str = "", owner: str = ""
) -> tuple[date, date]:
    """The period the next digest of this recipient and scope covers, up to ``today``; the start is after
    ``today`` when today is covered already."""
    with engine.connect() as conn:
        return _first_uncovered(conn, channel, today, recipient, owner), today


def _running(conn: Connection, now: datetime, stale_after: timedelta) -> Row[Any] | None:
    """The live ``running`` row, if any; dead ones (older than ``stale_after``) are marked failed."""
    rows = conn.execute(
        select(DIGEST_RUN).where(DIGEST_RUN.c.status == RUNNING).order_by(DIGEST_RUN.c.id)
    ).all()
    live = None
    for row in rows:
        if now - _aware(row.started_at) > stale_after:
            conn.execute(
                update(DIGEST_RUN)
                .where(DIGEST_RUN.c.id == row.id)
                .values(
                    status=FAILED,
                    finished_at=now,
                    detail=f"stale lock: unfinished after {stale_after}",
                )
            )
        elif live is None:
            live = row
    return live


def claim(
    engine: Engine,
    channel: str,
    today: date,
    *,
    recipient: str = "",
    owner: str = "",
    wait_seconds: float = 60.0,
    stale_after: timedelta = STALE_AFTER,
    poll_seconds: float = 0.2,
) -> Claim | None:
    """Take the digest lock and record a ``running`` run for the period not yet covered for this recipient and
    scope (``channel``, ``recipient`` address or '', ``owner`` or '' for the whole book).

    Returns None when that period is empty (``today`` is covered already: nothing to send again).
    Raises DigestBusy when another run holds the lock for longer than ``wait_seconds``.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        with _exclusive(engine) as conn:
            now = utcnow()
            busy = _running(conn, now, stale_after)
            if busy is None:
                start = _first_uncovered(conn, channel, today, recipient, owner)
                if start > today:
                    return None
                values = dict(
                    period_start=start,
                    period_end=today,
                    channel=channel,
                    recipient=recipient,
                    owner=owner,
                    status=RUNNING,
                    started_at=now,
                )
                run_id = conn.execute(
                    insert(DIGEST_RUN).values(**values).returning(DIGEST_RUN.c.id)
                ).scalar_one()
                return Claim(run_id, start, today, channel)
        if time.monotonic() >= deadline:
            since = _aware(busy.started_at).strftime("%Y-%m-%d %H:%M:%S UTC")
            raise DigestBusy(
                f"another digest (run #{busy.id}, {busy.channel}) has been running since {since}; "
                f"try again later or wait longer with --wait SECONDS"
            )
        time.sleep(poll_seconds)


def finish(engine: Engine, run_id: int, status: str, detail: str | None = None) -> None:
    """Record how a claimed run ended: sent, written, skipped or failed (which releases the lock)."""
    with engine.begin() as conn:
        conn.execute(
            update(DIGEST_RUN)
            .where(DIGEST_RUN.c.id == run_id)
            .values(status=status, detail=detail, finished_at=utcnow())
        )


def runs(engine: Engine) -> list[Row[Any]]:
    """Every digest run, newest first."""
    with engine.connect() as conn:
        return list(conn.execute(select(DIGEST_RUN).order_by(DIGEST_RUN.c.id.desc())).all())


# --- what the digest reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestRows:
    """What a digest reads from the database besides the due list, as plain rows."""

    customers: dict[
        int, tuple[str, str, str | None, int | None]
    ]  # id -> code, name, tier in force, limit
    balances: dict[
        int, int
    ]  # customer_id -> orders − payments up to today, cents, for those who owe
    new_orders: list[
        tuple[str, int, date, int, str | None]
    ]  # order_no, customer_id, date, cents, product
    key_persons: dict[
        tuple[int, str], tuple[str | None, str | None]
    ]  # (customer_id, name) -> phone, hobbies
    tier_moves: list[tuple[int, str, str | None, str | None, date]]  # id, method, from, to, as_of


def load_rows(
    engine: Engine,
    period_start: date,
    today: date,
    contact_ids: set[int],
    methods: tuple[str, ...] | None = None,
) -> DigestRows:
    """The rows of the digest of ``period_start`` … ``today``; key persons are the contacts ``contact_ids``."""
    with engine.connect() as conn:
        customers = _customers(conn)
        balances = _balances(conn, today)
        new_orders = _new_orders(conn, period_start, today)
        key_persons = _key_persons(conn, contact_ids)
    return DigestRows(
        customers,
        balances,
        new_orders,
        key_persons,
        _tier_moves(engine, period_start, today, methods),
    )


def _customers(conn: Connection) -> dict[int, tuple[str, str, str | None, int | None]]:
    """Every customer's code, name, tier in force and credit limit."""
    query = select(
        CUSTOMER.c.id,
        CUSTOMER.c.code,
        CUSTOMER.c.name,
        func.coalesce(CUSTOMER.c.tier_pinned, CUSTOMER.c.tier),
        CUSTOMER.c.credit_limit_cents,
    )
    return {
        cid: (code, name, tier, None if limit is None else int(limit))
        for cid, code, name, tier, limit in conn.execute(query)
    }


def _balances(conn: Connection, today: date) -> dict[int, int]:
    """customer_id -> orders − payments up to today, for those who owe anything (as kacrm.analysis.receivables
    counts: credit notes reduce the orders, refunds of zero or less are not payments)."""
    orders = (
        select(ORDERS.c.customer_id, func.sum(ORDERS.c.amount_cents).label("total"))
        .where(ORDERS.c.order_date <= today)
        .group_by(ORDERS.c.customer_id)
        .subquery()
    )
    paid = (
        select(PAYMENT.c.customer_id, func.sum(PAYMENT.c.amount_cents).label("paid"))
        .where(PAYMENT.c.paid_on <= today, PAYMENT.c.amount_cents > 0)
        .group_by(PAYMENT.c.customer_id)
        .subquery()
    )
    balance = orders.c.total - func.coalesce(paid.c.paid, 0)
    query = select(orders.c.customer_id, balance).outerjoin(
        paid, paid.c.customer_id == orders.c.customer_id
    )
    return {int(cid): int(cents) for cid, cents in conn.execute(query.where(balance > 0))}


def _tier_moves(
    engine: Engine, period_start: date, today: date, only: tuple[str, ...] | None = None
) -> list[tuple[int, str, str | None, str | None, date]]:
    """Per method (those in ``only``: the primary one, whose tiers are in force), the newest run of the period
    against the run in force when the period began; nothing for a method not run in the period, or run for the
    first time (a first tiering is not a movement). Then the changes a switch of the primary method recorded in
    the period (tier_movement)."""
    moves: list[tuple[int, str, str | None, str | None, date]] = []
    with engine.connect() as conn:
        methods = conn.scalars(
            select(TIER_RUN.c.method).where(TIER_RUN.c.by == "customer").distinct()
        ).all()
        if only is not None:
            methods = [m for m in methods if m in only]
            switched = conn.execute(
                select(
                    TIER_MOVEMENT.c.customer_id,
                    TIER_MOVEMENT.c.method,
                    TIER_MOVEMENT.c.previous_tier,
                    TIER_MOVEMENT.c.tier,
                    TIER_MOVEMENT.c.changed_on,
                ).where(
                    TIER_MOVEMENT.c.changed_on >= period_start, TIER_MOVEMENT.c.changed_on <= today
                )
            ).all()
            moves += [tuple(row) for row in switched if row[3] is not None]
        for method in sorted(methods):
            latest = last_runs(conn, method, today, count=1)
            if not latest or latest[0].as_of < period_start:
                continue
            before = last_runs(conn, method, period_start - timedelta(days=1), count=1)
            if not before:
                continue
            old, new = before[0].tiers, latest[0].tiers
            moves += [
                (cid, method, old.get(cid), tier, latest[0].as_of)
                for cid, tier in new.items()
                if old.get(cid) != tier
            ]
    return moves


def _new_orders(
    conn: Connection, period_start: date, today: date
) -> list[tuple[str, int, date, int, str | None]]:
    """Orders dated in the period from customers whose tier in force is a key tier."""
    query = (
        select(
            ORDERS.c.order_no,
            ORDERS.c.customer_id,
            ORDERS.c.order_date,
            ORDERS.c.amount_cents,
            ORDERS.c.product,
        )
        .join(CUSTOMER, CUSTOMER.c.id == ORDERS.c.customer_id)
        .where(
            ORDERS.c.order_date >= period_start,
            ORDERS.c.order_date <= today,
            func.coalesce(CUSTOMER.c.tier_pinned, CUSTOMER.c.tier).in_(KEY_TIERS),
        )
    )
    return [
        (no, cid, on, int(cents), product) for no, cid, on, cents, product in conn.execute(query)
    ]


def _key_persons(
    conn: Connection, ids: set[int]
) -> dict[tuple[int, str], tuple[str | None, str | None]]:
    """Phone and hobbies of the contacts ``ids``, by customer and name."""
    if not ids:
        return {}
    query = select(CONTACT.c.customer_id, CONTACT.c.name, CONTACT.c.phone, CONTACT.c.hobbies).where(
        CONTACT.c.id.in_(ids)
    )
    return {(cid, name): (phone, hobbies) for cid, name, phone, hobbies in conn.execute(query)}
