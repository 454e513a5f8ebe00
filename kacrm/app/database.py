"""The database a command works on: its engine from ``--db``/``KACRM_DB`` and a session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kacrm.store.engine import make_engine

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


def open_engine(db: str | None) -> Engine:
    """The ready engine (pragmas, mode 0600, migrations) for a path, URL or ``None`` (the default file)."""
    return make_engine(db)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    # SQLModel (with the ORM and pydantic, ~0.4 s) only for the commands that open a session: the read paths
    # that query through SQLAlchemy Core never load it
    from sqlmodel import Session

    with Session(engine) as current:
        yield current
