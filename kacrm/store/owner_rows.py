"""The reads of owners, as textual SQL run by kacrm.store.reader: on a current SQLite file `owner list`,
`credit --owner`, `credit aging --owner`, `report --owner` and `digest --dry-run --owner` or `--team` load neither
SQLAlchemy nor the ORM (issue 19). Storing an owner (`owner set`) is in kacrm.store.owners."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kacrm.domain import KEY_TIERS
from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

# per owner named by a customer: their customers, and those whose tier in force (pinned, else computed) is a key tier
_KEY_TIERS = ", ".join(f"'{tier}'" for tier in KEY_TIERS)
_COUNTS = (
    "SELECT owner, COUNT(id) AS customers, "
    f"SUM(CASE WHEN COALESCE(tier_pinned, tier) IN ({_KEY_TIERS}) THEN 1 ELSE 0 END) AS key_accounts "
    "FROM customer WHERE owner IS NOT NULL AND owner != '' GROUP BY owner"
)


def owner_rows(book: SqliteBook | Engine) -> list[dict[str, Any]]:
    """Every owner named by a customer or stored by ``owner set``: owner, email, customers, key_accounts (customers
    whose tier in force is a key tier), capacity (their own, None without one), by name in Python's order (the
    same on both backends, whatever the server's collation)."""
    with reading(book) as reader:
        named = {name: (int(n), int(key or 0)) for name, n, key in reader.tuples(_COUNTS)}
        stored = {
            name: (email, capacity)
            for name, email, capacity in reader.tuples("SELECT name, email, capacity FROM owner")
        }
    rows = []
    for name in sorted(named.keys() | stored.keys()):
        email, capacity = stored.get(name, (None, None))
        customers, key_accounts = named.get(name, (0, 0))
        rows.append(
            {
                "owner": name,
                "email": email,
                "customers": customers,
                "key_accounts": key_accounts,
                "capacity": capacity,
            }
        )
    return rows


def known_owner(book: SqliteBook | Engine, name: str) -> bool:
    """Whether a customer names ``name`` as owner or ``owner set`` stored it."""
    with reading(book) as reader:
        if reader.scalar("SELECT id FROM owner WHERE name = :name LIMIT 1", name=name) is not None:
            return True
        found = reader.scalar("SELECT id FROM customer WHERE owner = :name LIMIT 1", name=name)
        return found is not None


def former_owner(book: SqliteBook | Engine, name: str) -> bool:
    """Whether the ownership history names ``name`` (an owner whose accounts all went to the pool)."""
    with reading(book) as reader:
        found = reader.scalar(
            "SELECT id FROM ownership WHERE owner = :name OR previous_owner = :name LIMIT 1",
            name=name,
        )
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
