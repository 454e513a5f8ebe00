"""The reads of owners that a read command's ``--owner`` needs, as textual SQL run by kacrm.store.reader: on a
current SQLite file `credit --owner` and `credit aging --owner` load neither SQLAlchemy nor the ORM (issue 19).
The owner table's list and writes are in kacrm.store.owners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine


def known_owner(book: SqliteBook | Engine, name: str) -> bool:
    """Whether a customer names ``name`` as owner or ``owner set`` stored it."""
    with reading(book) as reader:
        if reader.scalar("SELECT id FROM owner WHERE name = :name LIMIT 1", name=name) is not None:
            return True
        found = reader.scalar("SELECT id FROM customer WHERE owner = :name LIMIT 1", name=name)
        return found is not None


def owner_customer_codes(book: SqliteBook | Engine, name: str) -> set[str]:
    """The codes of the customers whose owner is ``name``."""
    with reading(book) as reader:
        return {
            row.code
            for row in reader.rows("SELECT code FROM customer WHERE owner = :name", name=name)
        }
