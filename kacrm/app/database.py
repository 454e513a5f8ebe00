"""The database a command works on: its engine from ``--db``/``KACRM_DB`` and a session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from kacrm.store.engine import make_engine


def open_engine(db: str | None) -> Engine:
    """The ready engine (pragmas, mode 0600, migrations) for a path, URL or ``None`` (the default file)."""
    return make_engine(db)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as current:
        yield current
