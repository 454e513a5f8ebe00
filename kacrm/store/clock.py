"""The one clock of stored timestamps: timezone-aware UTC, and the key of a record entered by hand. A module of its
own so that code on a fast path (the tier run, `done`) can stamp rows without importing the models (SQLModel and
the ORM cost 0.2 s to import)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4


def utcnow() -> datetime:
    return datetime.now(UTC)


def log_key() -> str:
    """The unique key of an interaction entered by hand (log, done): ``log-`` and 16 hex digits."""
    return f"log-{uuid4().hex[:16]}"
