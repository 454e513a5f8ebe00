"""The one clock of stored timestamps: timezone-aware UTC. A module of its own so that code on a fast path (the
tier run) can stamp rows without importing the models (SQLModel and the ORM cost 0.2 s to import)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
