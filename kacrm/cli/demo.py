"""`kacrm demo`: a database built from the shipped sample data, and a first look at what kacrm makes of it."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.cli.common import OutputFormat, get_state, parse_date_option
from kacrm.i18n import t
from kacrm.render.output import emit


def demo_command(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Build the demo here (a path or URL) instead of a fresh temporary file."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The day 'today' means; default: the sample data's 2026-11-20."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Import into a --db that already has customers (an upsert)."),
    ] = False,
) -> None:
    """Import the sample data (206 customers, 3 years of orders…) into a demo database and show the highlights.

    The demo never touches your own database: without --db (here or before the command) it builds a new file
    under the temp dir, whatever KACRM_DB says.

    Example: kacrm demo
    """
    from kacrm.app.demo import SAMPLE_TODAY, default_demo_db, open_demo_db, run_demo

    state = get_state(ctx)
    today = parse_date_option(as_of, "--as-of") if as_of else state.as_of or SAMPLE_TODAY
    target = db or _global_db(ctx) or str(default_demo_db())
    engine = open_demo_db(target, force=force)
    try:
        state.err.print(t("demo_db", state.lang, path=target))
        sections = run_demo(engine, today, state.settings)
    finally:
        engine.dispose()
    for section in sections:
        if section.skipped:
            state.err.print(f"({section.title}: {section.skipped})")
        elif section.listing is not None:
            emit(section.listing, OutputFormat.table, state)
    command = f"kacrm --db {target} --as-of {today.isoformat()} due --week"
    state.err.print(t("demo_explore", state.lang, command=command))


def _global_db(ctx: typer.Context) -> str | None:
    """The database of `kacrm --db X demo`: the global --db when typed on the command line (the demo then builds
    there, as with `demo --db X`), never KACRM_DB, which names the user's own database."""
    source = ctx.parent.get_parameter_source("db") if ctx.parent else None
    if source is None or source.name != "COMMANDLINE":
        return None
    return get_state(ctx).db


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
