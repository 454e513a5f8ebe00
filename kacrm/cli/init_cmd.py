"""`kacrm init`: create an empty database where --db/KACRM_DB (or the default) points."""

from __future__ import annotations

import typer

from kacrm.app.database import init_database
from kacrm.cli.common import get_state
from kacrm.i18n import t


def init_command(ctx: typer.Context) -> None:
    """Create an empty database (or bring an existing one's schema up to date).

    Every command but import, demo and customer add refuses a database that does not exist; init makes one,
    and the directories it is to be in.

    Example: kacrm --db ~/kacrm/book.db init
    """
    state = get_state(ctx)
    where, created, directory = init_database(state.db)
    if directory is not None:
        state.err.print(t("init_created_directory", state.lang, directory=directory))
    state.err.print(t("init_created" if created else "init_exists", state.lang, path=where))


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
