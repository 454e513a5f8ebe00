"""Owners (salespeople) in the database (issue 15): the stored rows and the counts of their customers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlmodel import Session

from kacrm.domain import KEY_TIERS
from kacrm.store.clock import utcnow
from kacrm.store.models import Customer, Owner

UNSET: Any = object()  # an option not given: the stored value stays


def owner_rows(engine: Engine) -> list[dict[str, Any]]:
    """Every owner named by a customer or stored by ``owner set``: name, email, capacity, customers, key
    accounts (customers whose tier in force is a key tier), by name."""
    tier = func.coalesce(Customer.tier_pinned, Customer.tier)
    counts = (
        select(
            Customer.owner,
            func.count(Customer.id),
            func.sum(case((tier.in_(KEY_TIERS), 1), else_=0)),
        )
        .where(Customer.owner.is_not(None), Customer.owner != "")
        .group_by(Customer.owner)
    )
    with Session(engine) as session:
        named = {name: (n, int(key or 0)) for name, n, key in session.execute(counts)}
        stored = {o.name: o for o in session.scalars(select(Owner))}
    rows = []
    for name in sorted(named.keys() | stored.keys()):
        owner = stored.get(name)
        customers, key_accounts = named.get(name, (0, 0))
        rows.append(
            {
                "owner": name,
                "email": owner.email if owner else None,
                "customers": customers,
                "key_accounts": key_accounts,
                "capacity": owner.capacity if owner else None,
            }
        )
    return rows


def set_owner(
    engine: Engine, name: str, *, email: str | None = UNSET, capacity: int | None = UNSET
) -> Owner:
    """Create or change one owner; options not given keep their stored value."""
    with Session(engine) as session:
        owner = session.scalars(select(Owner).where(Owner.name == name)).first()
        now = utcnow()
        if owner is None:
            owner = Owner(name=name, created_at=now, updated_at=now)
        if email is not UNSET:
            owner.email = email
        if capacity is not UNSET:
            owner.capacity = capacity
        owner.updated_at = now
        session.add(owner)
        session.commit()
        session.refresh(owner)
        session.expunge(owner)
        return owner
