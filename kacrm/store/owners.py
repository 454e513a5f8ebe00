"""Owners (salespeople) in the database (issue 15): storing one, by textual SQL in one transaction
(kacrm.store.reader.writing: a current SQLite file is written without importing SQLAlchemy). Their list, and the
reads a read command's ``--owner`` needs, are in kacrm.store.owner_rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kacrm.store.clock import utcnow
from kacrm.store.reader import SqliteBook, writing

if TYPE_CHECKING:
    from sqlalchemy import Engine

UNSET: Any = object()  # an option not given: the stored value stays


@dataclass(frozen=True)
class StoredOwner:
    """An owner as stored: the name, the address of their digest, how many accounts they may hold."""

    name: str
    email: str | None
    capacity: int | None


def set_owner(
    book: SqliteBook | Engine,
    name: str,
    *,
    email: str | None = UNSET,
    capacity: int | None = UNSET,
) -> StoredOwner:
    """Create or change one owner; options not given keep their stored value."""
    with writing(book) as writer:
        found = writer.rows("SELECT id, email, capacity FROM owner WHERE name = :name", name=name)
        now = utcnow()
        old_email, old_capacity = (found[0].email, found[0].capacity) if found else (None, None)
        owner = StoredOwner(
            name,
            old_email if email is UNSET else email,
            old_capacity if capacity is UNSET else capacity,
        )
        if found:
            writer.run(
                "UPDATE owner SET email = :email, capacity = :capacity, updated_at = :now "
                "WHERE id = :id",
                email=owner.email,
                capacity=owner.capacity,
                now=now,
                id=found[0].id,
            )
        else:
            writer.insert(
                "owner",
                name=name,
                email=owner.email,
                capacity=owner.capacity,
                created_at=now,
                updated_at=now,
            )
    return owner
