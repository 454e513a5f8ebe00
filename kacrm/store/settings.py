"""Choices stored in the database so that the whole team shares them (the ``setting`` table), read through
SQLAlchemy Core: a read command that only needs a setting loads no ORM."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, text

PRIMARY_KEY = "tier.primary"


def stored_primary(engine: Engine) -> dict[str, Any] | None:
    """The primary tiering stored by `kacrm tier primary` ({method, metric, window}), None if never set."""
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT value FROM setting WHERE key = :key"), {"key": PRIMARY_KEY}
        ).scalar()
    return json.loads(value) if value is not None else None
