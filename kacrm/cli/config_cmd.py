"""`kacrm config show`: the effective configuration and where each value came from."""

from __future__ import annotations

import typer

from kacrm.cli.common import FormatOption, OutputFormat, get_state

app = typer.Typer(help="Configuration.", no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Print every setting, its value and its source (default, config file or environment).

    Example: kacrm config show
    """
    from kacrm.render.listing import Column, Listing
    from kacrm.render.output import emit

    state = get_state(ctx)
    rows = [{"key": k, "value": v, "source": src} for k, v, src in state.settings.flat()]
    columns = [
        Column("key", "Setting", "设置"),
        Column("value", "Value", "值"),
        Column("source", "Source", "来源"),
    ]
    emit(Listing(columns, rows), fmt, state)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="config")
