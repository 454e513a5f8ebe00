"""What a customers file's owner column reads and writes beyond the customer rows (docs/team.md): every customer's
owner and ownership history, the `imported` history rows of the owners a file changes, and who holds how many.

Whole tables are read, as kacrm.store.import_write reads the pins: an IN list of a long file's ids would pass
SQLite's limit of bound variables."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Owner, Ownership


def stored_owners(conn: Connection) -> dict[str, tuple[int, str | None]]:
    """Every customer's code → (id, owner)."""
    rows = conn.execute(select(Customer.code, Customer.id, Customer.owner)).all()
    return {code: (cid, owner) for code, cid, owner in rows}


def ownership_trails(conn: Connection) -> dict[int, list[tuple[str, str | None]]]:
    """Customer id → its ownership history as (reason, previous owner), in the order it was written."""
    trails: dict[int, list[tuple[str, str | None]]] = {}
    query = select(Ownership.customer_id, Ownership.reason, Ownership.previous_owner).order_by(
        Ownership.id
    )
    for cid, reason, previous in conn.execute(query).all():
        trails.setdefault(cid, []).append((reason, previous))
    return trails


def record_imported(
    conn: Connection, moves: list[tuple[int, str, str | None]], today: date
) -> None:
    """For each (customer id, new owner, previous owner) a file changed: the history row (reason `imported`) and
    the day the new owner got the account, which restarts the pool clock as a claim or an assignment does."""
    if not moves:
        return
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {"cid": cid, "new": new, "previous": previous} for cid, new, previous in moves
    ]
    conn.execute(
        Ownership.__table__.insert().values(
            customer_id=bindparam("cid"),
            changed_on=today,
            reason="imported",
            owner=bindparam("new"),
            previous_owner=bindparam("previous"),
            created_at=now,
        ),
        rows,
    )
    conn.execute(
        update(Customer).where(Customer.id == bindparam("cid")).values(owner_since=today),
        [{"cid": cid} for cid, _, _ in moves],
    )


def holdings(conn: Connection) -> dict[str, int]:
    """Owner → how many customers they hold."""
    query = select(Customer.owner, func.count()).where(Customer.owner.is_not(None))
    return dict(conn.execute(query.group_by(Customer.owner)).all())


def own_capacities(conn: Connection) -> dict[str, int | None]:
    """Owner → the capacity `kacrm owner set --capacity` stored (None: none stored)."""
    return dict(conn.execute(select(Owner.name, Owner.capacity)).all())
