"""Owners (salespeople) in the database (issue 15): storing one through the ORM. Their list, and the reads a
read command's ``--owner`` needs, are in kacrm.store.owner_rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session

from kacrm.store.clock import utcnow
from kacrm.store.models import Owner

UNSET: Any = object()  # an option not given: the stored value stays


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
