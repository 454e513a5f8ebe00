"""What the public pool (公海, issue 18) reads and writes: the pool facts of every customer, the releases, claims
and assignments with their ownership history rows, the lock.

Releases are written so that two processes releasing at once release each account once: each account is taken
by an ``UPDATE … WHERE owner = :owner`` (the owner the process saw), and the history row is written only when
that update took the row. The second process waits for the first one's transaction (SQLite: the write lock;
PostgreSQL: the row lock, then the condition is checked again) and finds the owner gone.

The reads (`kacrm pool`, the card's lock and history, the report's counts) are textual SQL run by
kacrm.store.reader, so that they load neither the ORM nor SQLModel, and on a current SQLite file not even
SQLAlchemy (issue 19); the writes take the models' typed tables, which convert dates and times as every other
write does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kacrm.store.clock import utcnow
from kacrm.store.customer_rows import find_customer
from kacrm.store.raw import added_day, as_date
from kacrm.store.reader import SqliteBook, reading, writing

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _typed_tables() -> tuple[Any, Any]:
    """The customer and ownership tables of the models, for writes."""
    from kacrm.store.models import Customer, Ownership

    return Customer.__table__, Ownership.__table__


# Money still to collect, per customer, on the day :today (orders − payments, as kacrm.analysis.receivables).
_OWING = (
    "WITH ot AS (SELECT customer_id, SUM(amount_cents) AS total FROM orders WHERE order_date <= :today "
    "GROUP BY customer_id), "
    "pt AS (SELECT customer_id, SUM(amount_cents) AS paid FROM payment WHERE paid_on <= :today "
    "GROUP BY customer_id) "
    "SELECT ot.customer_id FROM ot LEFT JOIN pt ON pt.customer_id = ot.customer_id "
    "WHERE ot.total > COALESCE(pt.paid, 0)"
)


def load_pool_facts(
    book: SqliteBook | Engine, today: date, owner: str | None = None, customer_id: int | None = None
) -> list[dict[str, Any]]:
    """The pool facts of every customer (of ``owner``, or the one ``customer_id``), as of ``today``: the fields
    of kacrm.analysis.pool.PoolFacts (the app builds them; the store does not import the rules)."""
    where, params = [], {}
    if owner is not None:
        where.append("owner = :owner")
        params["owner"] = owner
    if customer_id is not None:
        where.append("id = :cid")
        params["cid"] = customer_id
    clause = " WHERE " + " AND ".join(where) if where else ""
    with reading(book) as reader:
        customers = reader.rows(
            "SELECT id, code, name, owner, COALESCE(tier_pinned, tier) AS tier, tier_pinned, created_at, "
            f"owner_since, pool_locked, status, type, added_on FROM customer{clause}",
            ("owner_since", "added_on"),
            times=("created_at",),
            **params,
        )
        if not customers:
            return []
        last_contact = dict(
            reader.rows(
                "SELECT customer_id, MAX(happened_on) AS d FROM interaction WHERE happened_on <= :today "
                "GROUP BY customer_id",
                today=today,
            )
        )
        last_order = dict(
            reader.rows(
                "SELECT customer_id, MAX(order_date) AS d FROM orders WHERE order_date <= :today "
                "GROUP BY customer_id",
                today=today,
            )
        )
        owing = {r[0] for r in reader.rows(_OWING, today=today)}
        released = dict(
            reader.rows(
                "SELECT customer_id, MAX(changed_on) AS d FROM ownership WHERE reason = 'released' "
                "AND changed_on <= :today GROUP BY customer_id",
                today=today,
            )
        )
    return [
        dict(
            customer_id=c.id,
            code=c.code,
            name=c.name,
            owner=c.owner,
            tier=c.tier,
            created_on=added_day(c.added_on, c.created_at) or today,
            owner_since=c.owner_since,
            last_interaction_on=as_date(last_contact.get(c.id)),
            last_order_on=as_date(last_order.get(c.id)),
            locked=bool(c.pool_locked),
            pinned=c.tier_pinned is not None,
            open_receivables=c.id in owing,
            status=c.status,
            type=c.type,
            released_on=as_date(released.get(c.id)),
        )
        for c in customers
    ]


def release(
    engine: Engine, accounts: list[tuple[int, str]], today: date, note: str | None = None
) -> list[int]:
    """Release each (customer id, owner seen) to the pool, unless its owner changed meanwhile; the ids released.

    One transaction whose first statement is a write, so that SQLite takes its write lock at once (a read first
    would make a second releaser fail instead of wait)."""
    done: list[int] = []
    if not accounts:
        return done
    now = utcnow()
    customer, _ = _typed_tables()
    with engine.begin() as conn:
        for cid, owner in accounts:
            taken = conn.execute(
                customer.update()
                .where(customer.c.id == cid, customer.c.owner == owner)
                .values(owner=None, owner_since=None, updated_at=now)
            )
            if taken.rowcount == 1:
                _history(conn, cid, today, "released", None, owner, note, now)
                done.append(cid)
    return done


def _history(
    conn: Any,
    cid: int,
    today: date,
    reason: str,
    owner: str | None,
    previous: str | None,
    note: str | None,
    now: Any,
) -> None:
    _, ownership = _typed_tables()
    conn.execute(
        ownership.insert().values(
            customer_id=cid,
            changed_on=today,
            reason=reason,
            owner=owner,
            previous_owner=previous,
            note=note,
            created_at=now,
        )
    )


@dataclass(frozen=True)
class Account:
    """A customer as a claim or an assignment sees it."""

    customer_id: int
    code: str
    name: str
    owner: str | None
    last_release: tuple[date, str | None] | None  # (day, previous owner) of the last release


def account(engine: Engine, code: str) -> Account:
    """The customer with ``code`` (or that name, as elsewhere) and its last release to the pool."""
    from sqlmodel import Session

    from kacrm.store.repo import customer_by_code

    with Session(engine) as session:
        c = customer_by_code(session, code)
        cid, code, name, owner = c.id, c.code, c.name, c.owner
    with reading(engine) as reader:
        rows = reader.rows(
            "SELECT changed_on, previous_owner FROM ownership WHERE customer_id = :cid "
            "AND reason = 'released' ORDER BY changed_on DESC, id DESC",
            ("changed_on",),
            cid=cid,
        )
    last = (rows[0].changed_on, rows[0].previous_owner) if rows else None
    return Account(cid, code, name, owner, last)


def holding(engine: Engine, owner: str) -> int:
    """How many customers ``owner`` holds."""
    with reading(engine) as reader:
        return int(
            reader.scalar("SELECT COUNT(*) FROM customer WHERE owner = :owner", owner=owner) or 0
        )


def owner_capacity(engine: Engine, owner: str) -> int | None:
    """The capacity stored for ``owner`` by `kacrm owner set --capacity` (0: no cap; None: none stored)."""
    with reading(engine) as reader:
        return reader.scalar("SELECT capacity FROM owner WHERE name = :owner", owner=owner)


def take(
    engine: Engine,
    acct: Account,
    new_owner: str | None,
    reason: str,
    today: date,
    note: str | None = None,
) -> bool:
    """Give the account to ``new_owner`` (None: to nobody, the pool; reason ``claimed``: only while it is still
    in the pool); False when someone else claimed it first."""
    now = utcnow()
    customer, _ = _typed_tables()
    which = [customer.c.id == acct.customer_id]
    if reason == "claimed":
        which.append(customer.c.owner.is_(None))
    with engine.begin() as conn:
        taken = conn.execute(
            customer.update()
            .where(*which)
            .values(owner=new_owner, owner_since=today if new_owner else None, updated_at=now)
        )
        if taken.rowcount != 1:
            return False
        _history(conn, acct.customer_id, today, reason, new_owner, acct.owner, note, now)
    return True


def set_lock(book: SqliteBook | Engine, code: str, locked: bool) -> tuple[str, str]:
    """Lock (or unlock) the account against release; its code and name. Textual SQL in one transaction
    (kacrm.store.reader.writing): a current SQLite file is written without importing SQLAlchemy."""
    with writing(book) as writer:
        found = find_customer(writer, code)
        writer.run(
            "UPDATE customer SET pool_locked = :locked, updated_at = :now WHERE id = :id",
            locked=locked,
            now=utcnow(),
            id=found.id,
        )
    return found.code, found.name


def pool_lock(book: SqliteBook | Engine, customer_id: int) -> bool:
    """Whether the account is locked against release."""
    with reading(book) as reader:
        locked = reader.scalar("SELECT pool_locked FROM customer WHERE id = :cid", cid=customer_id)
    return bool(locked)


def ownership_history(book: SqliteBook | Engine, customer_id: int) -> list[dict[str, Any]]:
    """The account's ownership history, oldest first."""
    with reading(book) as reader:
        rows = reader.rows(
            "SELECT changed_on, reason, owner, previous_owner, note FROM ownership "
            "WHERE customer_id = :cid ORDER BY changed_on, id",
            ("changed_on",),
            cid=customer_id,
        )
    return [
        {
            "on": r.changed_on,
            "reason": r.reason,
            "owner": r.owner,
            "previous_owner": r.previous_owner,
            "note": r.note,
        }
        for r in rows
    ]


def releases_between(
    book: SqliteBook | Engine, start: date, end: date
) -> list[tuple[int, date, str | None]]:
    """(customer id, day, previous owner) of every release to the pool in [start, end]."""
    with reading(book) as reader:
        rows = reader.rows(
            "SELECT customer_id, changed_on, previous_owner FROM ownership WHERE reason = 'released' "
            "AND changed_on >= :start AND changed_on <= :end ORDER BY changed_on, id",
            ("changed_on",),
            start=start,
            end=end,
        )
    return [(r.customer_id, r.changed_on, r.previous_owner) for r in rows]


def pool_counts(book: SqliteBook | Engine, start: date, end: date) -> dict[str, int]:
    """For `report`: accounts in the pool now (no owner) and releases to the pool in [start, end]."""
    with reading(book) as reader:
        pooled = reader.scalar("SELECT COUNT(*) FROM customer WHERE owner IS NULL")
        released = reader.scalar(
            "SELECT COUNT(*) FROM ownership WHERE reason = 'released' "
            "AND changed_on >= :start AND changed_on <= :end",
            start=start,
            end=end,
        )
    return {"pooled": int(pooled or 0), "released": int(released or 0)}
