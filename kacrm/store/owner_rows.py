"""The reads of owners that a read command's ``--owner`` needs, as textual SQL run by kacrm.store.reader: on a
current SQLite file `credit --owner`, `credit aging --owner`, `report --owner` and `digest --dry-run --owner` or
`--team` load neither SQLAlchemy nor the ORM (issue 19).
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


def owner_customer_ids(book: SqliteBook | Engine, name: str) -> set[int]:
    """The ids of the customers whose owner is ``name``."""
    with reading(book) as reader:
        return {
            row.id for row in reader.rows("SELECT id FROM customer WHERE owner = :name", name=name)
        }


def owner_emails(book: SqliteBook | Engine) -> dict[str, str]:
    """Owner name → stored email, for those that have one."""
    with reading(book) as reader:
        rows = reader.rows("SELECT name, email FROM owner WHERE email IS NOT NULL")
    return {name: email for name, email in rows if email}
