"""Choices stored in the database so that the whole team shares them (the ``setting`` table), read as textual SQL
(kacrm.store.reader): a read command that only needs a setting loads no ORM, and on a current SQLite file not
even SQLAlchemy."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kacrm.store.reader import SqliteBook, reading

if TYPE_CHECKING:
    from sqlalchemy import Engine

PRIMARY_KEY = "tier.primary"


def stored_primary(book: SqliteBook | Engine) -> dict[str, Any] | None:
    """The primary tiering stored by `kacrm tier primary` ({method, metric, window}), None if never set."""
    with reading(book) as reader:
        value = reader.scalar("SELECT value FROM setting WHERE key = :key", key=PRIMARY_KEY)
    return json.loads(value) if value is not None else None
