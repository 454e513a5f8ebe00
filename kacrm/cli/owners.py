"""`kacrm owner list|set`: the salespeople of a team sharing one database (SPEC §13)."""

from __future__ import annotations

from typing import Annotated

import typer

from kacrm.app import owners
from kacrm.cli.common import FormatOption, OutputFormat, get_state
from kacrm.i18n import text
from kacrm.render.listing import Listing
from kacrm.render.output import emit
from kacrm.render.owners import OWNER_COLUMNS, owner_saved

app = typer.Typer(
    help="Owners (salespeople): their email for the digest and their capacity.\n\n"
    "Example: kacrm owner list",
    no_args_is_help=True,
)


@app.command("list")
def list_owners(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Every owner named by a customer or stored, with their customers and key accounts.

    capacity is the one in force: the owner's own (`owner set --capacity`), else [pool] capacity; 0 is no cap.

    Example: kacrm owner list --format json
    """
    state = get_state(ctx)
    rows = owners.owner_list(state.book, state.settings)
    if fmt in (
        OutputFormat.table,
        OutputFormat.md,
    ):  # for a reader, 0 in words; json and csv keep the number
        no_cap = text("owner_no_cap", state.lang)
        rows = [{**row, "capacity": row["capacity"] or no_cap} for row in rows]
    emit(Listing(OWNER_COLUMNS, rows), fmt, state)


@app.command("set")
def set_owner(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The owner as customers name them.")],
    email: Annotated[
        str | None, typer.Option("--email", help="Where their digest goes ('' clears it).")
    ] = None,
    capacity: Annotated[
        int | None, typer.Option("--capacity", help="How many accounts they may hold (0: no cap).")
    ] = None,
) -> None:
    """Store an owner's email and capacity, shared by everyone on this database.

    Example: kacrm owner set 张伟 --email zhangwei@example.com --capacity 40
    """
    state = get_state(ctx)
    owner = owners.set_owner(state.book, name, email=email, capacity=capacity)
    state.err.print(owner_saved(owner.name, owner.email, owner.capacity, state.lang))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="owner")
