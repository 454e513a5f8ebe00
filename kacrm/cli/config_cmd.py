"""`kacrm config show`: the effective configuration and where each value came from."""

from __future__ import annotations

import typer

from kacrm.app.primary import primary as primary_tiering
from kacrm.cli.common import FormatOption, OutputFormat, get_state
from kacrm.render.config import settings_listing
from kacrm.render.output import emit

app = typer.Typer(
    help="Configuration: the settings in effect and where each comes from.\n\n"
    "Example: kacrm config show",
    no_args_is_help=True,
)


@app.command("show")
def show(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Print every setting, its value and its source (default, config file or environment).

    Example: kacrm config show
    """
    state = get_state(ctx)
    primary = primary_tiering(state.engine, state.settings.tier, state.settings.sources)
    stored = (
        {
            "tier.primary": primary.method,
            "tier.metric": primary.metric,
            "tier.window": primary.window,
        }
        if primary.source == "database"
        else None
    )
    emit(settings_listing(state.settings, stored), fmt, state)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="config")
