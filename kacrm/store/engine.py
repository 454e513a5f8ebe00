"""One place that turns ``--db``/``KACRM_DB`` into a ready engine: URL, SQLite pragmas, mode 0600, migrations."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError

from kacrm.errors import KacrmError

# The newest migration; kept here so that opening an up-to-date database never loads Alembic.
# tests/test_migrations.py checks that it equals Alembic's head.
SCHEMA_HEAD = "0005"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("kacrm", appauthor=False) / "kacrm.db"


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from a path or URL; ``None`` means the default file in the user data dir."""
    if db is None or str(db) == "":
        return f"sqlite:///{default_db_path()}"
    text_db = str(db)
    if "://" in text_db:
        if text_db.startswith("postgresql://"):  # the psycopg 3 driver is the one we ship
            text_db = "postgresql+psycopg://" + text_db[len("postgresql://") :]
        return text_db
    return f"sqlite:///{Path(text_db).expanduser()}"


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (it holds personal data)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
    except OSError as exc:
        raise KacrmError(f"cannot create the database {path}: {exc.strerror}") from exc


def _set_sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(db: str | os.PathLike[str] | None, *, migrate: bool = True) -> Engine:
    """An engine on ``db``, with the schema created or upgraded to the newest version."""
    url = resolve_url(db)
    sqlite_path = _sqlite_path(url)
    if sqlite_path is not None:
        _create_private_file(sqlite_path)
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise KacrmError(f"cannot use database {db!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    if migrate:
        try:
            ensure_schema(engine)
        except OperationalError as exc:
            raise KacrmError(
                f"cannot open database {engine.url.render_as_string()}: {exc.orig}"
            ) from exc
    return engine


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision by one query; None for a database without one (new, or not kacrm's)."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            message = str(exc.orig)
            if "alembic_version" in message and (
                "no such table" in message or "does not exist" in message  # SQLite / PostgreSQL
            ):
                return None
            raise


def ensure_schema(engine: Engine) -> None:
    """Create or migrate the schema (Alembic); a no-op, without importing Alembic, when it is current."""
    if current_revision(engine) == SCHEMA_HEAD:
        return
    from kacrm.store.migrate import upgrade

    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        raise KacrmError(f"cannot upgrade the database schema: {exc}") from exc
