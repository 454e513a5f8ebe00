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
from functools import cache
from typing import TYPE_CHECKING, Any

from kacrm.domain import KEY_TIERS
from kacrm.errors import KacrmError
from kacrm.store.clock import utcnow
from kacrm.store.credit_store import limits_on
from kacrm.store.due_store import EVERYONE, Scope
from kacrm.store.raw import as_date
from kacrm.store.reader import AlchemyReader, Reader, SqliteBook, reading
from kacrm.store.report_store import last_runs

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Row

# The reads are textual SQL run by kacrm.store.reader, so that `digest --dry-run` on a current SQLite file does
# not import SQLAlchemy (issue 19); the lock and the run records are written through SQLAlchemy.


@cache
def _digest_run() -> Any:
    """The digest_run table by its columns (Core, typed where a value is converted as the models type it), for
    the lock's writes: they load neither the ORM nor SQLModel."""
    from sqlalchemy import Date, DateTime, column, table

    return table(
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


RUNNING, SENT, WRITTEN, SKIPPED, FAILED = "running", "sent", "written", "skipped", "failed"
SUCCESSFUL = (SENT, WRITTEN, SKIPPED)
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
    from sqlalchemy import text

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


# the digest_run rows of one recipient and scope (issue 15): channel, address ('' for a file or stdout) and owner
# ('' for the whole book)
_SCOPE = "channel = :channel AND recipient = :recipient AND owner = :owner"
_COVERED = (
    f"SELECT MAX(period_end) AS covered FROM digest_run WHERE {_SCOPE} "
    f"AND status IN ({', '.join(repr(status) for status in SUCCESSFUL)})"
)
_ATTEMPTED = f"SELECT MIN(period_start) AS attempted FROM digest_run WHERE {_SCOPE}"
_LAST_START = (
    f"SELECT period_start FROM digest_run WHERE {_SCOPE} "
    f"AND status IN ({', '.join(repr(status) for status in SUCCESSFUL)}) "
    "ORDER BY period_end DESC, id DESC LIMIT 1"
)


def _first_uncovered_in(
    reader: Reader, channel: str, recipient: str, owner: str, today: date
) -> date | None:
    scope = {"channel": channel, "recipient": recipient, "owner": owner}
    (covered,) = reader.rows(_COVERED, ("covered",), **scope)
    if covered.covered is not None:
        return covered.covered + timedelta(days=1)
    (attempted,) = reader.rows(_ATTEMPTED, ("attempted",), **scope)
    return min(attempted.attempted, today) if attempted.attempted is not None else None


def _first_uncovered(
    reader: Reader, channel: str, today: date, recipient: str = "", owner: str = ""
) -> date:
    """The day after the last successful digest of this recipient and scope; before any success, the start
    of the first (failed) attempt, or ``today`` for the first digest ever. An address with no run of its own
    continues the whole book's email record of schema 0005 and before (recipient ''), so that an upgrade
    neither repeats nor skips a day."""
    found = _first_uncovered_in(reader, channel, recipient, owner, today)
    if found is None and channel == "email" and recipient and not owner:
        found = _first_uncovered_in(reader, channel, "", "", today)
    return today if found is None else found


def _period_start(
    reader: Reader, channel: str, today: date, recipient: str, owner: str, again: bool
) -> date:
    """The first day not covered (after ``today`` when today is covered already); with ``again``, a covered
    ``today`` gives the start of the last successful run instead (that period is produced once more)."""
    start = _first_uncovered(reader, channel, today, recipient, owner)
    if start <= today or not again:
        return start
    scope = {"channel": channel, "recipient": recipient, "owner": owner}
    (last,) = reader.rows(_LAST_START, ("period_start",), **scope)
    return min(last.period_start, today)


def next_period(
    book: SqliteBook | Engine,
    channel: str,
    today: date,
    recipient: str = "",
    owner: str = "",
    again: bool = False,
) -> tuple[date, date]:
    """The period the next digest of this recipient and scope covers, up to ``today``; the start is after
    ``today`` when today is covered already (unless ``again``: see ``_period_start``)."""
    with reading(book) as reader:
        return _period_start(reader, channel, today, recipient, owner, again), today


def _running(conn: Connection, now: datetime, stale_after: timedelta) -> Row[Any] | None:
    """The live ``running`` row, if any; dead ones (older than ``stale_after``) are marked failed."""
    from sqlalchemy import select, update

    DIGEST_RUN = _digest_run()
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
    again: bool = False,
    wait_seconds: float = 60.0,
    stale_after: timedelta = STALE_AFTER,
    poll_seconds: float = 0.2,
) -> Claim | None:
    """Take the digest lock and record a ``running`` run for the period not yet covered for this recipient and
    scope (``channel``, ``recipient`` address or '', ``owner`` or '' for the whole book).

    Returns None when that period is empty (``today`` is covered already: nothing to send again); with
    ``again`` (a file: writing it twice sends nothing twice), the last covered period is claimed once more.
    Raises DigestBusy when another run holds the lock for longer than ``wait_seconds``.
    """
    from sqlalchemy import insert

    DIGEST_RUN = _digest_run()
    deadline = time.monotonic() + wait_seconds
    while True:
        with _exclusive(engine) as conn:
            now = utcnow()
            busy = _running(conn, now, stale_after)
            if busy is None:
                reader = AlchemyReader(conn)
                start = _period_start(reader, channel, today, recipient, owner, again)
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
    from sqlalchemy import update

    DIGEST_RUN = _digest_run()
    with engine.begin() as conn:
        conn.execute(
            update(DIGEST_RUN)
            .where(DIGEST_RUN.c.id == run_id)
            .values(status=status, detail=detail, finished_at=utcnow())
        )


# --- what the digest reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateBatches:
    """The orders import batches begun after a recipient's last digest (``late_batches``): the orders they
    inserted dated before the digest's period are its late arrivals."""

    ids: tuple[int, ...] = ()
    inserted: int = 0  # the orders they inserted (their import_batch rows' counts)


NO_LATE = LateBatches()


@dataclass(frozen=True)
class DigestRows:
    """What a digest reads from the database besides the due list, as plain rows."""

    # id -> code, name, tier in force, credit limit in force on the digest's day
    customers: dict[int, tuple[str, str, str | None, int | None]]
    # order_no, customer_id, date, cents, product, late (dated before the period, imported since the last digest)
    new_orders: list[tuple[str, int, date, int, str | None, bool]]
    # (customer_id, name) -> phone, hobbies
    key_persons: dict[tuple[int, str], tuple[str | None, str | None]]
    tier_moves: list[tuple[int, str, str | None, str | None, date]]  # id, method, from, to, as_of


def load_rows(
    book: SqliteBook | Engine,
    period_start: date,
    today: date,
    contact_ids: set[int],
    methods: tuple[str, ...] | None = None,
    scope: Scope = EVERYONE,
    late: LateBatches = NO_LATE,
) -> DigestRows:
    """The rows of the digest of ``period_start`` … ``today`` of the customers in ``scope`` (everyone, or one
    owner's); key persons are the contacts ``contact_ids``; ``late``: the orders import batches whose orders
    dated before the period are new to this recipient (``late_batches``)."""
    with reading(book) as reader:
        return DigestRows(
            _customers(reader, scope, today),
            _new_orders(reader, period_start, today, scope, late),
            _key_persons(reader, contact_ids),
            _tier_moves(reader, period_start, today, methods, scope),
        )


def customer_refs(
    book: SqliteBook | Engine, ids: set[int], today: date
) -> dict[int, tuple[str, str, str | None, int | None]]:
    """The code, name, tier in force and credit limit on ``today`` of the customers ``ids`` (those outside a
    digest's scope that one of its sections names)."""
    with reading(book) as reader:
        return _customers(reader, Scope(tuple(sorted(ids))), today)


def _customers(
    reader: Reader, scope: Scope, today: date
) -> dict[int, tuple[str, str, str | None, int | None]]:
    """The customers' code, name, tier in force and credit limit in force on ``today``: that of the newest
    review or decision up to the day where a later one exists (kacrm.store.credit_store.limits_on, as `credit
    check` reads it), else the stored one."""
    query = (
        "SELECT id, code, name, COALESCE(tier_pinned, tier) AS tier, credit_limit_cents FROM customer"
        + scope.where("id")
    )
    on_day = limits_on(reader, today)
    return {
        cid: (code, name, tier, on_day[cid] if cid in on_day else _cents(limit))
        for cid, code, name, tier, limit in reader.tuples(query)
    }


def _cents(limit: Any) -> int | None:
    return None if limit is None else int(limit)


# The day of the newest customer-level run of a method up to a day (report_store.last_runs picks the same run)
_NEWEST_RUN_DAY = (
    "SELECT as_of FROM tier_run WHERE method = :method AND \"by\" = 'customer' AND as_of <= :day "
    "ORDER BY as_of DESC, id DESC LIMIT 1"
)


def _tier_moves(
    reader: Reader,
    period_start: date,
    today: date,
    only: tuple[str, ...] | None = None,
    scope: Scope = EVERYONE,
) -> list[tuple[int, str, str | None, str | None, date]]:
    """Per method (those in ``only``: the primary one, whose tiers are in force), the newest run of the period
    against the run in force when the period began; nothing for a method not run in the period, or run for the
    first time (a first tiering is not a movement). Then the changes a switch of the primary method recorded in
    the period (tier_movement)."""
    moves: list[tuple[int, str, str | None, str | None, date]] = []
    methods = [
        r.method
        for r in reader.rows("SELECT DISTINCT method FROM tier_run WHERE \"by\" = 'customer'")
    ]
    if only is not None:
        methods = [m for m in methods if m in only]
        switched = reader.rows(
            "SELECT customer_id, method, previous_tier, tier, changed_on FROM tier_movement "
            "WHERE changed_on >= :start AND changed_on <= :today" + scope.and_("customer_id"),
            ("changed_on",),
            start=period_start,
            today=today,
        )
        moves += [tuple(row) for row in switched if row[3] is not None]
    eve = period_start - timedelta(days=1)
    for method in sorted(methods):
        # the runs' days first: most periods have no new run, and a run's tiers are a row per customer
        newest = as_date(reader.scalar(_NEWEST_RUN_DAY, method=method, day=today))
        if newest is None or newest < period_start:
            continue
        if reader.scalar(_NEWEST_RUN_DAY, method=method, day=eve) is None:
            continue
        latest = last_runs(reader, method, today, count=1, scope=scope)
        before = last_runs(reader, method, eve, count=1, scope=scope)
        old, new = before[0].tiers, latest[0].tiers
        moves += [
            (cid, method, old.get(cid), tier, latest[0].as_of)
            for cid, tier in new.items()
            if old.get(cid) != tier
        ]
    return moves


_KEY_TIERS = ", ".join(f"'{tier}'" for tier in KEY_TIERS)


_NEW_ORDERS = (
    "SELECT o.order_no, o.customer_id, o.order_date, o.amount_cents, o.product FROM {orders} o "
    "JOIN customer c ON c.id = o.customer_id WHERE {dated} "
    f"AND COALESCE(c.tier_pinned, c.tier) IN ({_KEY_TIERS}){{scope}}"
)


def _new_orders(
    reader: Reader, period_start: date, today: date, scope: Scope, late: LateBatches = NO_LATE
) -> list[tuple[str, int, date, int, str | None, bool]]:
    """Orders from customers whose tier in force is a key tier: dated in the period, and dated before it but
    brought by one of the import batches ``late`` (late arrivals: no digest of this recipient could show them)."""
    where = {"scope": scope.and_("o.customer_id")}
    dated = _NEW_ORDERS.format(
        orders="orders", dated="o.order_date >= :start AND o.order_date <= :today", **where
    )
    rows = reader.rows(dated, ("order_date",), start=period_start, today=today)
    found = [(no, cid, on, int(cents), product, False) for no, cid, on, cents, product in rows]
    if late.ids and late.inserted:
        batches = ", ".join(str(int(b)) for b in late.ids)
        # ids only grow: the orders the batches inserted are among the newest ``late.inserted`` (a seek at the end
        # of the table, where import_batch_id has no index and the order dates before the period are most of it)
        newest = (
            "(SELECT order_no, customer_id, order_date, amount_cents, product, import_batch_id "
            f"FROM orders ORDER BY id DESC LIMIT {int(late.inserted)})"
        )
        arrived = f"o.import_batch_id IN ({batches}) AND o.order_date < :start"
        query = _NEW_ORDERS.format(orders=newest, dated=arrived, **where)
        rows = reader.rows(query, ("order_date",), start=period_start)
        found += [(no, cid, on, int(cents), product, True) for no, cid, on, cents, product in rows]
    return found


# The last successful digest of one recipient and scope whose period ended before ``start``, and the orders
# import batches begun after it: the clock, not the --as-of day, tells what that digest could have read (an
# import at 10:00 after the digest of 8:00 the same day; docs/digest.md)
_PREVIOUS_RUN = (
    f"SELECT started_at FROM digest_run WHERE {_SCOPE} "
    f"AND status IN ({', '.join(repr(status) for status in SUCCESSFUL)}) AND period_end < :start "
    "ORDER BY period_end DESC, id DESC LIMIT 1"
)
_LATE_BATCHES = (
    "SELECT id, inserted FROM import_batch "
    f"WHERE kind = 'orders' AND started_at > ({_PREVIOUS_RUN}) ORDER BY id"
)


def late_batches(
    book: SqliteBook | Engine, channel: str, start: date, recipient: str = "", owner: str = ""
) -> LateBatches:
    """The orders import batches begun after the last successful digest of this recipient and scope before
    ``start`` (none before the first digest): the orders they brought dated before the period are late
    arrivals, new orders no digest of this recipient showed. An address with no run of its own continues the
    whole book's email record of schema 0005 and before, as ``_first_uncovered`` does."""
    scope = {"channel": channel, "recipient": recipient, "owner": owner, "start": start}
    with reading(book) as reader:
        legacy = channel == "email" and recipient and not owner
        if legacy and reader.scalar(_PREVIOUS_RUN, **scope) is None:
            scope = {**scope, "recipient": ""}
        rows = reader.rows(_LATE_BATCHES, **scope)
    return LateBatches(tuple(int(r.id) for r in rows), sum(int(r.inserted or 0) for r in rows))


def _key_persons(
    reader: Reader, ids: set[int]
) -> dict[tuple[int, str], tuple[str | None, str | None]]:
    """Phone and hobbies of the contacts ``ids``, by customer and name (the ids are integers from the
    database)."""
    if not ids:
        return {}
    listed = ", ".join(str(int(i)) for i in sorted(ids))
    query = f"SELECT customer_id, name, phone, hobbies FROM contact WHERE id IN ({listed})"
    return {(cid, name): (phone, hobbies) for cid, name, phone, hobbies in reader.rows(query)}
